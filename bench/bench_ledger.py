"""Ledger throughput: durable appends by 1 writer and by 4 at once.

Appends are measured as a practitioner makes them, one durable commit (fsync) per record,
with realistic records (a shipped scenario decided on the shipped tree, about 5 KB with its
details), so the figure depends on the disk; `ledger_figures` sets it beside the disk's own
commit rate. (`verify` is measured in `bench_records`, as a command, against its floor.)

Each rate runs from the moment the writers are let go to the moment the last one's last
append returned (durable), as each writer reports it: not to the end of its process, whose
teardown (closing the ledger, then the interpreter's own, with pydantic and the rest loaded)
took 130 to 520 ms of a 1 to 2 s round on the loaded machine, four of them at once against
one, and made four writers look slower than they append.

Beside ours, in the same rounds, the plainest code that appends as durably: `sqlite3` alone,
one 5 KB row per transaction in a WAL, 1 process and then 4, (a) `synchronous=FULL` (each
commit syncs, inside the write lock) and (b) `synchronous=NORMAL` with a group sync after the
commit (the first to sync covers every row committed before it; the others see its note and
leave), both polling for the write lock as ours does. Their ratios say what 4 writers can
gain on this disk and these cores with nothing of ours.

Run: `.venv/bin/python -m bench.bench_ledger [--appends N]`; `main()` returns the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sharewise.store.ledger import Ledger
from sharewise.store.sqlite import SQLiteBackend

WRITERS = 4
ROW_BYTES = 5_000  # the plain writers' rows: about one decision entry with its details


def _writer(path: str, count: int, barrier: Any, done: Any) -> None:
    from bench.scenario_ledger import scenario_cases

    cases = scenario_cases()
    finished = None
    try:
        with Ledger(SQLiteBackend(path, lock_timeout=120)) as ledger:
            barrier.wait()
            for i in range(count):
                case = cases[i % len(cases)]
                ledger.record_decision(case.result, case.details)
            finished = time.monotonic()
    finally:
        done.put(finished)


def _begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, polling (SQLite's own busy handler sleeps 1, 2, 5 ... ms)."""
    pause = 0.0002
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
        time.sleep(pause)
        pause = min(pause * 1.5, 0.001)


def _plain_writer(path: str, count: int, group: bool, barrier: Any, done: Any) -> None:
    """sqlite3 alone: `count` durable one-row transactions (see the module docstring)."""
    finished = None
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    note = os.open(f"{path}-sync", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        conn.execute(f"PRAGMA synchronous={'NORMAL' if group else 'FULL'}")
        conn.execute("PRAGMA wal_autocheckpoint=0" if group else "PRAGMA wal_autocheckpoint=1000")
        body = os.urandom(ROW_BYTES)

        def synced(seq: int) -> bool:
            text = os.pread(note, 20, 0).strip()
            return bool(text) and int(text) >= seq

        barrier.wait()
        for _ in range(count):
            _begin(conn)
            seq = conn.execute("INSERT INTO t(body) VALUES (?)", (body,)).lastrowid or 0
            conn.execute("COMMIT")
            if not group or synced(seq):
                continue
            fcntl.flock(note, fcntl.LOCK_EX)
            try:
                if not synced(seq):
                    head = conn.execute("SELECT max(seq) FROM t").fetchone()[0]
                    wal = os.open(f"{path}-wal", os.O_RDONLY)
                    try:
                        os.fdatasync(wal)
                    finally:
                        os.close(wal)
                    os.pwrite(note, str(head).encode().ljust(20), 0)
            finally:
                fcntl.flock(note, fcntl.LOCK_UN)
            if seq % 128 == 0:  # as the ledger does: checkpoint after the sync
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                conn.execute("PRAGMA busy_timeout=20")
                conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
                conn.execute("PRAGMA busy_timeout=0")
        finished = time.monotonic()
    finally:
        os.close(note)
        conn.close()
        done.put(finished)


def appending_together(target: Callable[..., None], args: list[tuple[Any, ...]]) -> float:
    """Seconds from the moment every writer (a spawned process running `target(*one,
    barrier, done)`, waiting at the barrier once ready) is let go to the moment the last
    one's last append returned, as each reports it on `done` (the system-wide monotonic
    clock): the appends, without the writers' start-up or teardown."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(args) + 1)
    done = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*one, barrier, done)) for one in args]
    for p in procs:
        p.start()
    try:
        barrier.wait(timeout=300)
        started = time.monotonic()
        ends = [done.get(timeout=600) for _ in procs]
    finally:
        for p in procs:
            p.join(60)
            if p.is_alive():
                p.kill()
    if any(p.exitcode for p in procs) or None in ends:
        raise SystemExit("a writer failed")
    return float(max(ends) - started)


def append_rate(folder: Path, writers: int, per_writer: int) -> float:
    """Durable appends per second with `writers` processes at once."""
    path = folder / f"append{writers}" / "ledger.sqlite3"
    SQLiteBackend(path).close()
    elapsed = appending_together(_writer, [(str(path), per_writer)] * writers)
    return writers * per_writer / elapsed


def plain_rate(folder: Path, writers: int, per_writer: int, group: bool) -> float:
    """Durable one-row commits per second by `writers` sqlite3-only processes at once."""
    path = folder / f"plain{'group' if group else 'full'}{writers}.sqlite3"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)")
    elapsed = appending_together(_plain_writer, [(str(path), per_writer, group)] * writers)
    return writers * per_writer / elapsed


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--appends", type=int, default=100, help="appends per writer a round")
    parser.add_argument("--rounds", type=int, default=21, help="rounds of 1 writer, then 4")
    parser.add_argument(
        "--no-plain", action="store_true", help="without sqlite3 alone beside ours in each round"
    )
    args = parser.parse_args(argv if argv is not None else [])
    # The disk's commit rate on this shared machine swings several times over within
    # seconds (the other people's work), so one long run of each says little: short rounds
    # alternate (1 writer then 4, then 4 then 1, ...) and each round's ratio is its own.
    # Nine rounds' ratios went from 0.94 to 3.25 and their median moved with one round;
    # twenty-one (about 90 s) hold it steadier.
    ones, manys, ratios = [], [], []
    plain: dict[str, list[float]] = {"group": [], "full": []}
    with tempfile.TemporaryDirectory(prefix="sharewise-bench-") as tmp:
        for i in range(args.rounds):
            folder = Path(tmp) / f"round{i}"
            folder.mkdir(parents=True)
            order = (1, WRITERS) if i % 2 == 0 else (WRITERS, 1)
            rates = {}
            for n in order:
                rates[n] = append_rate(folder, n, args.appends * WRITERS // n)
            ones.append(rates[1])
            manys.append(rates[WRITERS])
            ratios.append(rates[WRITERS] / rates[1])
            if args.no_plain:
                continue
            for kind in ("group", "full"):
                alone = {n: plain_rate(folder, n, args.appends * WRITERS // n, kind == "group")
                         for n in order}  # fmt: skip
                plain[kind].append(alone[WRITERS] / alone[1])
    figures: dict[str, Any] = {
        "append_per_s_1_writer": round(statistics.median(ones), 1),
        f"append_per_s_{WRITERS}_writers": round(statistics.median(manys), 1),
        "ratio": round(statistics.median(ratios), 2),
        "ratios": [round(r, 2) for r in ratios],
        "writers": WRITERS,
    }
    for kind, found in plain.items():
        if found:
            figures[f"plain_{kind}_ratio"] = round(statistics.median(found), 2)
            figures[f"plain_{kind}_ratios"] = [round(r, 2) for r in found]
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
