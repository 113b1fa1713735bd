"""The ledger helper's `bench.bench_ledger` figures as table rows, with a disk floor for appends.

`bench_ledger.main` returns a dict of raw numbers; this turns it into rows. Appends have no
goal in issue 6, but a figure needs a baseline: the same disk's floor, measured here in the
same run, is plain sqlite3 committing one row of the same size per transaction with the
ledger's own settings (WAL, `synchronous=FULL`).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import Figure, ms
from bench.measure import NotAvailable

ROW_BYTES = 3_000  # about one decision entry with its personal details


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
    rows = []
    for writers, key in ((1, "append_per_s_1_writer"), (3, "append_per_s_3_writers")):
        rate = float(raw[key])
        rows.append(
            Figure(
                f"ledger append, SQLite full sync, {writers} writer{'s' if writers > 1 else ''}",
                f"{rate:,.0f} records/s",
                f"sqlite3 alone, one {ROW_BYTES // 1000} KB row per durable commit {floor:,.0f}/s",
                rate / floor,
                "(no goal: reported)",
                None,
                "ratio is the share of the disk's commit rate",
            )
        )
    verify_s, hashlib_s = float(raw["verify_s"]), float(raw["hashlib_read_and_hash_s"])
    # bench_ledger rounds seconds to 0.01: at smoke sizes, use the ratio it worked out.
    ratio = verify_s / hashlib_s if hashlib_s >= 0.1 else float(raw["verify_over_hashlib"])
    rows.append(
        Figure(
            f"`verify` over {int(raw['records']):,} records",
            ms(verify_s),
            f"same rows read and hashed with hashlib alone {ms(hashlib_s)}",
            ratio,
            "≤ 5x",
            ratio <= 5.0,
            f"{int(raw['verify_records_per_s']):,} records/s; in-process (bench_ledger)",
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

    argv = ["--records", "2000", "--appends", "5"] if quick else []
    raw = bench_ledger.main(argv)
    return figures(raw, commit_floor(20 if quick else 300))
