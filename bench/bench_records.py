"""Reading a big ledger: `records list` with a filter, `records export --format csv`, and the
peak memory of verify and export at 10,000 and 100,000 records.

The ledgers are built once through the store's public API (`open_ledger(...).record_decision`,
so every entry is chained and hashed exactly as a practitioner's would be) and kept in
bench/.work, keyed by the source of the store and the tree, so a change to either rebuilds
them. Only while building is SQLite's sync relaxed (`PRAGMA synchronous=OFF` on the
connection): a throwaway fixture does not need to survive a power cut, and 100,000 fsyncs
would spend the whole time budget on the disk. Every measured command runs with the store's
own settings.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path

from bench.figures import Figure, attempt, mib, ms
from bench.measure import (
    ROOT,
    WORK,
    child_env,
    compare,
    paired_ratio,
    run_once,
    sharewise_command,
)

SIZES = (10_000, 100_000)
CASES = 5_000  # distinct case references: a case filter matches SIZE / CASES entries
CASE = "CS-2026-00042"
_SOURCES = ("sharewise/store", "sharewise/domain/chain.py", "sharewise/domain/record.py")


def _tree_path() -> Path:
    england = ROOT / "decision_trees" / "england.yaml"
    return england if england.exists() else ROOT / "tests" / "fixtures" / "trees" / "example.yaml"


def _key(size: int) -> str:
    digest = hashlib.sha256(str(size).encode())
    for name in _SOURCES:
        base = ROOT / name
        for file in sorted([base] if base.is_file() else base.rglob("*.py")):
            digest.update(file.read_bytes())
    digest.update(_tree_path().read_bytes())
    return digest.hexdigest()[:12]


def build(data_dir: Path, size: int) -> float:
    """Append `size` decision records to a new ledger in `data_dir`; returns the seconds."""
    from sharewise.domain.decide import decide
    from sharewise.domain.errors import SharewiseError
    from sharewise.domain.graph import load_tree
    from sharewise.store import open_ledger
    from sharewise.store.details import load_details

    try:
        tree = load_tree(_tree_path())
    except SharewiseError:  # the England tree not (yet) loadable: records from the example
        tree = load_tree(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
    results = [decide(tree, p.answers()) for p in tree.paths()][:50]
    details, _ = load_details(ROOT / "tests" / "fixtures" / "record-details.yaml")
    variants = [details.model_copy(update={"case_ref": f"CS-2026-{c:05d}"}) for c in range(CASES)]
    start = time.perf_counter()
    with open_ledger(data_dir, on_wait=None) as ledger:
        ledger.backend.connection.execute("PRAGMA synchronous=OFF")  # type: ignore[attr-defined]
        for i in range(size):
            ledger.record_decision(results[i % len(results)], variants[i % CASES])
    return time.perf_counter() - start


def ledger_dir(size: int) -> Path:
    """A data folder holding a ledger of `size` records, built if not cached."""
    key = _key(size)
    folder = WORK / f"ledger-{size}-{key}"
    if (folder / "ok").exists():
        return folder
    for stale in WORK.glob(f"ledger-{size}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True)
    seconds = build(folder, size)
    (folder / "ok").write_text(f"{seconds:.1f}\n")
    return folder


# The floors: the same rows read with sqlite3 alone, in a fresh interpreter.
_RAW_LIST = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute("SELECT e.seq, e.id, e.kind, e.created, e.decision, p.case_ref"
                   " FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
                   " WHERE p.case_ref = ? ORDER BY e.seq", (sys.argv[2],)):
    print(*r)
"""
_RAW_CSV = """
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""))
for r in c.execute("SELECT e.seq, e.id, e.kind, e.created, e.decision, e.body, p.data"
                   " FROM entries e LEFT JOIN personal p ON p.seq = e.seq ORDER BY e.seq"):
    w.writerow(r)
"""


def _sqlite_file(data_dir: Path) -> Path:
    from sharewise.store import ledger_path

    return ledger_path(data_dir)


def list_filtered(data_dir: Path, size: int, repeats: int) -> Figure:
    env = child_env(data_dir)
    argv = [*sharewise_command(), "records", "list", "--case", CASE]
    raw = [sys.executable, "-c", _RAW_LIST, str(_sqlite_file(data_dir)), CASE]
    tgt, base = compare(argv, raw, repeats=repeats, warmup=1, env=env)
    return Figure(
        f"`records list --case` at {size:,} records ({size // CASES} match)",
        ms(tgt.median),
        f"same query with sqlite3 alone {ms(base.median)}",
        paired_ratio(tgt, base),
        "< 0.5 s",
        tgt.median < 0.5,
    )


def export_csv(data_dir: Path, size: int, repeats: int) -> tuple[Figure, tuple[int, float]]:
    """The export against its floor; also returns (peak RSS KiB, seconds) for the memory row."""
    env = child_env(data_dir)
    out = WORK / "export.csv"
    argv = [*sharewise_command(), "records", "export", "--format", "csv", "--out", str(out)]
    raw = [sys.executable, "-c", _RAW_CSV, str(_sqlite_file(data_dir)), str(WORK / "raw.csv")]
    tgt, base = compare(argv, raw, repeats=repeats, warmup=0, env=env)
    figure = Figure(
        f"`records export --format csv` at {size:,} records",
        ms(tgt.median),
        f"rows to CSV with sqlite3 and csv alone {ms(base.median)}",
        paired_ratio(tgt, base),
        "streaming (memory below)",
        None,
        f"{out.stat().st_size / 2**20:.0f} MiB written; {size / tgt.median:,.0f} records/s",
    )
    return figure, (tgt.peak_rss_kib, tgt.median)


def peak(argv_tail: list[str], data_dir: Path, repeats: int) -> tuple[int, float]:
    """(peak RSS KiB, median seconds) of a sharewise command on the ledger in `data_dir`."""
    env = child_env(data_dir)
    runs = [run_once([*sharewise_command(), *argv_tail], env) for _ in range(repeats)]
    times = sorted(r.seconds for r in runs)
    return max(r.max_rss_kib for r in runs), times[len(times) // 2]


def memory_figure(
    what: str, sizes: tuple[int, int], small: tuple[int, float], big: tuple[int, float]
) -> Figure:
    ratio = big[0] / small[0]
    return Figure(
        f"peak memory of {what}, {sizes[1]:,} records",
        mib(big[0]),
        f"same at {sizes[0]:,} records {mib(small[0])}",
        ratio,
        "flat (≤ 1.2x)",
        ratio <= 1.2,
        f"took {ms(small[1])} and {ms(big[1])}",
    )


def main(repeats: int = 5, sizes: tuple[int, int] = SIZES) -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    small, big = ledger_dir(sizes[0]), ledger_dir(sizes[1])
    figures = attempt(
        "`records list --case`", "< 0.5 s", lambda: [list_filtered(big, sizes[1], repeats)]
    )
    big_export: list[tuple[int, float]] = []  # the export at full size, reused for memory

    def export() -> list[Figure]:
        figure, used = export_csv(big, sizes[1], 1)  # 100,000 records: one run of each
        big_export.append(used)
        return [figure]

    figures += attempt("`records export --format csv`", "streaming", export)
    verify_cmd = ["records", "verify"]
    export_cmd = ["records", "export", "--format", "csv", "--out", str(WORK / "mem.csv")]

    def verify_memory() -> list[Figure]:
        return [
            memory_figure(
                "`records verify`", sizes, peak(verify_cmd, small, 1), peak(verify_cmd, big, 1)
            )
        ]

    def export_memory() -> list[Figure]:
        at_big = big_export[0] if big_export else peak(export_cmd, big, 1)
        return [
            memory_figure(
                "`records export --format csv`", sizes, peak(export_cmd, small, 1), at_big
            )
        ]

    figures += attempt("peak memory of `records verify`", "flat", verify_memory)
    figures += attempt("peak memory of `records export`", "flat", export_memory)
    return figures
