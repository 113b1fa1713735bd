"""What refers to an entry is read through the `target` column's index, on every backend:
`records show` on an early entry of a big ledger no longer reads every later entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ledger_harness import Harness, make_details, make_result

from sharewise.domain.record import Verdict
from sharewise.store.base import Filters


def test_links_and_linked_to_find_exactly_the_entries_about_each(harness: Harness) -> None:
    with harness.open() as ledger:
        a = ledger.record_decision(make_result(), make_details())
        b = ledger.record_decision(make_result(), make_details("CS-2026-00418"))
        on_a = ledger.review(a.id, Verdict.AGREE, "A. Lead")
        on_b = ledger.review(b.id, Verdict.FOLLOW_UP, "A. Lead")
        again_a = ledger.record_decision(make_result(), make_details(), reassesses=str(a.seq))
        assert [e.id for e in ledger.linked_to(a.id)] == [on_a.id, again_a.id]
        assert [e.id for e in ledger.linked_to(b.id)] == [on_b.id]
        assert ledger.linked_to(on_a.id) == []
        found = ledger.links(among={a.id, b.id})
        assert {k: [e.id for e in v] for k, v in found.items()} == {
            a.id: [on_a.id, again_a.id],
            b.id: [on_b.id],
        }
        assert found == {k: v for k, v in ledger.links().items() if k in (a.id, b.id)}
        picked = Filters(targets=(b.id,))
        assert [row.id for row, _ in ledger.backend.rows(picked)] == [on_b.id]
        assert list(ledger.backend.rows(Filters(targets=()))) == []


def test_sqlite_reads_them_through_the_index(tmp_path: Path) -> None:
    from sharewise.store import open_ledger

    with open_ledger(tmp_path, on_wait=None) as ledger:
        a = ledger.record_decision(make_result(), make_details())
        ledger.review(a.id, Verdict.AGREE, "A. Lead")
        conn: sqlite3.Connection = ledger.backend._conn  # type: ignore[attr-defined]
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        assert len(ledger.linked_to(a.id)) == 1
        conn.set_trace_callback(None)
        (select,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        plan = " ".join(str(r) for r in conn.execute(f"EXPLAIN QUERY PLAN {select}"))
        assert "entries_target" in plan, plan
