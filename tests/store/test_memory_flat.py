"""Nothing reads the whole ledger into memory (issue 17): every command that reads the
ledger has the same peak memory on a ledger ten times the size.

Each command runs as a child process, as a person runs it, and its own peak RSS is read by
`wait4` (`bench.measure.run_once`). The ledgers hold realistic records (the shipped
scenarios decided on the shipped tree, about 5 KB an entry with its details, emergencies,
completions, amendments and reviews), written by the store's own code in one transaction.
`make bench` compares 10,000 with 100,000 entries; here 2,000 and 8,000 keep the test to
under a minute while still telling flat from per-record: a command holding even each
entry's bare stored JSON (5 KB) would grow by 29 MiB between the two, far past the 20%
allowed (about 10 MiB of a 48 MiB process). Below about 2,000 entries every command's peak
still rises to a plateau (38 MiB at 400, 48 from 2,000 to 100,000: SQLite's page cache
and the allocator's arenas filling), which is why the smaller ledger is not smaller. The
readable exports (md, html) are left out here: 23 s at these sizes, over half the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import bench_records
from bench.measure import compile_package, run_once, sharewise_command

SMALL, BIG = 2_000, 8_000

#: Every command that reads the ledger, as `make bench` measures it (`bench_records`).
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    **{c.name: c.argv for c in bench_records.COMMANDS},
    **dict(bench_records.MEMORY_ONLY),
    "`tree diff --ledger` (England against itself)": lambda d, o: _tree_diff(),
}


def _tree_diff() -> list[str]:
    from sharewise import paths

    tree = str(paths.default_tree_path())
    return ["tree", "diff", tree, tree, "--ledger", "--scenarios", "none"]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    compile_package()  # as installed: the children load bytecode, not the compiler
    found = {}
    for size in (SMALL, BIG):
        folder = tmp_path_factory.mktemp(f"ledger-{size}")
        bench_records.build(folder, size)
        found[size] = folder
    return found


def _peak_kib(argv: list[str], data: Path, out: Path) -> int:
    env = dict(os.environ, SHAREWISE_DATA_DIR=str(data))
    run = run_once([*sharewise_command(), *argv], env, stdout=out, check=False)
    assert run.returncode in (0, 1), f"{' '.join(argv)} exited {run.returncode}"
    return run.max_rss_kib


@pytest.mark.parametrize("name", list(COMMANDS))
def test_peak_memory_is_flat_in_the_ledgers_size(
    name: str, ledgers: dict[int, Path], tmp_path: Path
) -> None:
    argv = COMMANDS[name]
    peaks = {
        size: _peak_kib(
            argv(ledgers[size], tmp_path / f"out-{size}"), ledgers[size], tmp_path / "o"
        )
        for size in (SMALL, BIG)
    }
    assert peaks[BIG] <= peaks[SMALL] * bench_records.FLAT, (
        f"{name}: peak {peaks[BIG] / 1024:.1f} MiB at {BIG:,} entries, "
        f"{peaks[SMALL] / 1024:.1f} MiB at {SMALL:,}"
    )
