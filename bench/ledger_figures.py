"""The ledger helper's `bench.bench_ledger` figures as table rows, with a disk floor for appends.

`bench_ledger.main` returns a dict of raw numbers; this turns it into rows. An append's floor
is the disk's: plain sqlite3 committing one row of the same size per transaction with the
ledger's own settings (WAL, `synchronous=FULL`), measured here in the same run. The goal
(issue 17) is that 4 writers together reach at least twice one writer's rate: encoding is
done before the write lock and the disk sync after it, so writers overlap all but the
splice, the hash and the unsynced commit. Beside it, for what the disk and the cores allow,
the same ratio for `sqlite3` alone appending as durably, measured in the same rounds
(`bench_ledger`'s plain writers).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import Figure
from bench.measure import NotAvailable

ROW_BYTES = 5_000  # about one decision entry with its personal details


def commit_floor(commits: int) -> float:
    """Durable one-row commits per second with sqlite3 alone, on the benchmark's disk."""
    with tempfile.TemporaryDirectory(prefix="sharewise-floor-") as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            blob = b"x" * ROW_BYTES
            start = time.perf_counter()
            for i in range(commits):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO t VALUES (?, ?)", (i + 1, blob))
                conn.execute("COMMIT")
            return commits / (time.perf_counter() - start)
        finally:
            conn.close()


def figures(raw: dict[str, Any], floor: float) -> list[Figure]:
    writers = int(raw.get("writers", 4))
    one, many = float(raw["append_per_s_1_writer"]), float(raw[f"append_per_s_{writers}_writers"])
    rows = []
    for n, rate in ((1, one), (writers, many)):
        rows.append(
            Figure(
                f"ledger append, SQLite full sync, {n} writer{'s' if n > 1 else ''}",
                f"{rate:,.0f} records/s",
                f"sqlite3 alone, one {ROW_BYTES // 1000} KB row per durable commit {floor:,.0f}/s",
                rate / floor,
                "(reported)",
                None,
                "ratio is the share of the disk's commit rate; realistic 5 KB records",
            )
        )
    ratio = float(raw.get("ratio", many / one))
    rounds = ", ".join(f"{r:.2f}" for r in raw.get("ratios", []))
    plain = [
        f"{what} {float(raw[f'plain_{kind}_ratio']):.2f}x"
        for kind, what in (("group", "with a group sync"), ("full", "syncing in each commit"))
        if f"plain_{kind}_ratio" in raw
    ]
    rows.append(
        Figure(
            f"ledger append, {writers} writers together against 1",
            f"{many:,.0f} records/s",
            f"1 writer {one:,.0f} records/s",
            ratio,
            "≥ 2x",
            ratio >= 2.0,
            "median of each round's ratio (rounds alternate 1 writer and 4: "
            f"{rounds}); encoding before the write lock, the disk sync after it"
            + (
                f"; sqlite3 alone, 4 processes against 1 in the same rounds: {', '.join(plain)}"
                if plain
                else ""
            ),
        )
    )
    for kind, what in (("group", "a group sync after the commit"), ("full", "synchronous=FULL")):
        if f"plain_{kind}_ratio" in raw:
            found = ", ".join(f"{r:.2f}" for r in raw.get(f"plain_{kind}_ratios", []))
            rows.append(
                Figure(
                    f"sqlite3 alone, {writers} writers against 1 ({what})",
                    f"{float(raw[f'plain_{kind}_ratio']):.2f}x",
                    "",
                    None,
                    "(reported)",
                    None,
                    f"5 KB rows, as durable as ours, in the same rounds ({found}): what "
                    f"{writers} writers can gain on this disk and these cores with nothing of ours",
                )
            )
    return rows


def main(quick: bool = False) -> list[Figure]:
    try:
        from bench import bench_ledger  # the ledger helper's module
    except ModuleNotFoundError as exc:
        if exc.name != "bench.bench_ledger":
            raise
        raise NotAvailable("bench/bench_ledger.py has not landed") from None

    argv = ["--appends", "5", "--rounds", "1"] if quick else []
    raw = bench_ledger.main(argv)
    return figures(raw, commit_floor(20 if quick else 300))
