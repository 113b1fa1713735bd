"""A case's timeline: every entry about one case reference, in the order it was made.

Reviews found the same failure again and again: a decision made once and never revisited as
the risk changed. The timeline puts a case's whole history in one place: the decisions, the
emergencies and their completions, reviews, amendments, reassessments, and the review dates
each set, saying which review date still stands. Entries that carry the case reference are
found by it; reviews (which carry none) and entries filed under another reference are
found through the entry they refer to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sharewise.domain.record import Entry, EntryKind
from sharewise.store.base import Filters
from sharewise.store.ledger import Ledger


@dataclass(frozen=True, slots=True)
class Moment:
    """One entry on a case's timeline, with what it does to the entries before it."""

    entry: Entry
    #: The entry it refers to (completes, reviews, amends, reassesses), by number.
    target_seq: int | None
    #: What it is, in a few words ("reassesses entry 1: share -> seek_advice").
    what: str
    review_by: dt.date | None
    #: Whether its review date still stands: "upcoming", "overdue" (what `records due`
    #: lists), or why it no longer does.
    review_status: str | None

    def to_json_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "seq": e.seq,
            "id": e.id,
            "kind": e.kind.value,
            "created": e.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "decision": e.decision.value if e.decision else None,
            "target_seq": self.target_seq,
            "what": self.what,
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "review_status": self.review_status,
        }


def timeline(ledger: Ledger, case: str, today: dt.date) -> list[Moment]:
    """Every entry about `case`, oldest first (empty when the ledger has none)."""
    own = [item.entry for item in ledger.listing(Filters(case=case))]
    seq_of = {e.id: e.seq for e in own}
    linked = ledger.links(among=set(seq_of))
    entries = {e.seq: e for e in own}
    for later in linked.values():
        for e in later:
            entries.setdefault(e.seq, e)
    ordered = [entries[s] for s in sorted(entries)]
    for e in ordered:
        seq_of.setdefault(e.id, e.seq)
    by_id = {e.id: e for e in ordered}
    # A review date stands until a later record for the case, or a reassessment, replaces it.
    superseded: dict[str, int] = {}
    last_with_details: Entry | None = None
    for e in ordered:
        if e.kind is EntryKind.DECISION and e.target in by_id:
            superseded.setdefault(e.target, e.seq)
        if e.details is not None and e.kind is not EntryKind.REVIEW:
            if last_with_details is not None:
                superseded.setdefault(last_with_details.id, e.seq)
            last_with_details = e
    moments = []
    for e in ordered:
        target = by_id.get(e.target) if e.target else None
        review_by = e.details.review_by if e.details else None
        status = None
        if review_by is not None:
            if e.id in superseded:
                status = f"replaced by entry {superseded[e.id]}"
            else:
                status = "overdue" if review_by < today else "upcoming"
        moments.append(
            Moment(e, target.seq if target else None, _what(e, target), review_by, status)
        )
    return moments


def _what(e: Entry, target: Entry | None) -> str:
    decided = e.decision.value if e.decision else None
    of = f"entry {target.seq}" if target is not None else "an earlier entry"
    if e.kind is EntryKind.DECISION and e.target:
        was = target.decision.value if target is not None and target.decision else None
        change = f"{was} -> {decided}" if was and was != decided else f"{decided}, unchanged"
        return f"reassesses {of}: {change}"
    if e.kind is EntryKind.DECISION:
        return f"decision: {decided}"
    if e.kind is EntryKind.EMERGENCY:
        return f"emergency record: {decided}" if decided else "emergency record, no decision yet"
    if e.kind is EntryKind.COMPLETION:
        return f"completes {of}" + (f": {decided}" if decided else "")
    if e.kind is EntryKind.REVIEW and e.review is not None:
        return f"review of {of}: {e.review.verdict.value}"
    if e.kind is EntryKind.AMENDMENT:
        return f"amends {of}"
    return e.kind.value
