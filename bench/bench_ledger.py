"""Ledger throughput: durable appends (1 and 3 writers) and `verify` at 100,000 records.

`verify` is compared with the floor it cannot beat: reading the same rows and hashing the
same bytes with hashlib alone. Appends are measured as a practitioner makes them, one
durable commit (fsync) per record, so the figure depends on the disk.

Run: `.venv/bin/python -m bench.bench_ledger [--records N]`; `main()` returns the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sharewise.domain.record import EntryKind, RecordDetails
from sharewise.domain.result import DecisionResult, OutcomeView, Step, TreeRef
from sharewise.domain.tree import Decision, Law
from sharewise.store.ledger import Ledger, build_entry, details_parts, result_data
from sharewise.store.sqlite import SQLiteBackend
from sharewise.store.verify import hashlib_baseline, verify

DETAILS = {
    "case_ref": "CS-2026-00417",
    "practitioner": {"name": "J. Okafor", "role": "Designated safeguarding lead",
                     "organisation": "Riverside Primary School"},
    "recipient": {"name": "Duty team", "organisation": "Children's social care",
                  "role": "safeguarding_role"},
    "information": "Child's disclosure of being hit at home; description of bruising seen.",
    "method": "Secure email to the MASH inbox, followed by phone call",
    "consent": {"sought": False, "reason": "Seeking consent would put the child at risk."},
    "informed": {"told": False, "reason": "Telling the family could increase the risk."},
    "identities_protected": "Teacher's name withheld from the family.",
    "advice_sought": "Discussed with the head teacher (deputy DSL).",
    "rationale": "Disclosure of physical harm by a carer; referral needed today.",
    "review_by": "2026-12-06",
}  # fmt: skip


def _result() -> DecisionResult:
    law = Law(basis=["ukgdpr.art6.1e"], special_category=["ukgdpr.art9.2g"],
              supporting=["guidance.hmg2024"])  # fmt: skip
    steps = [
        Step(node=f"q{i}", fact=f"fact_{i}", answer="yes", question=f"Question {i}?", label="Yes")
        for i in range(8)
    ]
    return DecisionResult(
        decision=Decision.SHARE,
        outcome=OutcomeView(id="share_public", decision=Decision.SHARE, title="Share",
                            summary="Share what is needed.", actions=["Share securely."],
                            law=law),
        citations=law.all_ids(),
        path=steps,
        tree=TreeRef(id="england", title="England", version="1.0",
                     law_as_at=dt.date(2026, 11, 1), sha256="ab" * 32),
    )  # fmt: skip


def _writer(path: str, count: int, barrier: Any) -> None:
    details = RecordDetails.model_validate(DETAILS)
    result = _result()
    with Ledger(SQLiteBackend(path, lock_timeout=120)) as ledger:
        barrier.wait()
        for _ in range(count):
            ledger.record_decision(result, details)


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


def bulk_load(path: Path, count: int) -> float:
    """Build a ledger of `count` real entries in one transaction (setup, not a figure)."""
    backend = SQLiteBackend(path)
    public, personal = details_parts(RecordDetails.model_validate(DETAILS))
    data = {"result": result_data(_result()), "details": public}
    started = time.perf_counter()
    with backend._write() as conn:
        head = backend._head_of(conn)
        for _ in range(count):
            entry = build_entry(head, EntryKind.DECISION, data, personal, decision="share")
            backend._insert(conn, entry)
            head = type(head)(entry.row.seq, entry.row.hash)
    backend.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=300, help="appends per writer")
    args = parser.parse_args(argv if argv is not None else [])
    with tempfile.TemporaryDirectory(prefix="sharewise-bench-") as tmp:
        folder = Path(tmp)
        one = append_rate(folder, 1, args.appends)
        three = append_rate(folder, 3, args.appends)
        path = folder / "big" / "ledger.sqlite3"
        build_s = bulk_load(path, args.records)
        size = path.stat().st_size
        backend = SQLiteBackend(path)
        try:
            started = time.perf_counter()
            hashed = hashlib_baseline(backend)
            baseline_s = time.perf_counter() - started
            started = time.perf_counter()
            report = verify(backend)
            verify_s = time.perf_counter() - started
        finally:
            backend.close()
    assert report.intact and report.count == hashed == args.records
    return {
        "append_per_s_1_writer": round(one, 1),
        "append_per_s_3_writers": round(three, 1),
        "records": args.records,
        "ledger_bytes": size,
        "bulk_build_s": round(build_s, 2),
        "verify_s": round(verify_s, 2),
        "verify_records_per_s": round(args.records / verify_s),
        "hashlib_read_and_hash_s": round(baseline_s, 2),
        "verify_over_hashlib": round(verify_s / baseline_s, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
