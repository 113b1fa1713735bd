"""Ledger throughput: durable appends by 1 writer and by 4 at once.

Appends are measured as a practitioner makes them, one durable commit (fsync) per record,
with realistic records (a shipped scenario decided on the shipped tree, about 5 KB with its
details), so the figure depends on the disk; `ledger_figures` sets it beside the disk's own
commit rate. (`verify` is measured in `bench_records`, as a command, against its floor.)

Run: `.venv/bin/python -m bench.bench_ledger [--appends N]`; `main()` returns the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sharewise.store.ledger import Ledger
from sharewise.store.sqlite import SQLiteBackend

WRITERS = 4


def _writer(path: str, count: int, barrier: Any) -> None:
    from bench.scenario_ledger import scenario_cases

    cases = scenario_cases()
    with Ledger(SQLiteBackend(path, lock_timeout=120)) as ledger:
        barrier.wait()
        for i in range(count):
            case = cases[i % len(cases)]
            ledger.record_decision(case.result, case.details)


def append_rate(folder: Path, writers: int, per_writer: int) -> float:
    """Durable appends per second with `writers` processes at once."""
    path = folder / f"append{writers}" / "ledger.sqlite3"
    SQLiteBackend(path).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(writers + 1)
    procs = [ctx.Process(target=_writer, args=(str(path), per_writer, barrier))
             for _ in range(writers)]  # fmt: skip
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    return writers * per_writer / elapsed


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--appends", type=int, default=300, help="appends per writer")
    args = parser.parse_args(argv if argv is not None else [])
    with tempfile.TemporaryDirectory(prefix="sharewise-bench-") as tmp:
        folder = Path(tmp)
        one = append_rate(folder, 1, args.appends * WRITERS)
        many = append_rate(folder, WRITERS, args.appends)
    return {
        "append_per_s_1_writer": round(one, 1),
        f"append_per_s_{WRITERS}_writers": round(many, 1),
        "writers": WRITERS,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
