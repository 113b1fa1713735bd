"""Benchmarks for sharewise: `make bench` runs `bench.run`, which writes docs/performance.md."""
