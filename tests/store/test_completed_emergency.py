"""An emergency record once completed, as an IG lead reads the ledger, on every backend.

The ledger is append-only: the emergency entry keeps the decision it was filed with (often
none) and its completion is a later entry. Reading is where the two are put together: a
listing shows the emergency with the decision its completion brought and the entry that
completed it, and the decision and case filters find the emergency through its completion.
Nothing is rewritten, and the completion is still listed as what it is.

A completion must also be about the same case: one whose case reference differs from its
emergency record's is refused unless the caller says the reference has changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ledger_harness import Harness, make_details, make_result

from sharewise.domain.record import EntryKind, RecordDetails
from sharewise.domain.tree import Decision
from sharewise.store.base import Filters
from sharewise.store.ledger import CaseRefDiffers, Completion, Ledger
from sharewise.store.verify import verify


def quick(case_ref: str = "CS-2026-00417") -> RecordDetails:
    """What a practitioner files at once: the case and who acted (a made-up person)."""
    return RecordDetails.model_validate(
        {
            "case_ref": case_ref,
            "practitioner": {"name": "R. Mensah", "role": "School nurse", "organisation": "Ward 3"},
        },
        context={"emergency": True},
    )


def _scene(ledger: Ledger) -> tuple[str, str, str]:
    """Emergency (no decision) 1, an unrelated decision 2, the completion 3 deciding to
    share urgently, and an emergency 4 never completed. Returns the three ids."""
    emergency = ledger.record_emergency(quick())
    ledger.record_decision(make_result(Decision.SHARE), make_details("CS-2026-00999"))
    done = ledger.complete(
        emergency.id, make_details("CS-2026-00417"), make_result(Decision.SHARE_URGENTLY)
    )
    open_one = ledger.record_emergency(quick("CS-2026-00500"))
    return emergency.id, done.id, open_one.id


def test_listing_shows_an_emergency_with_its_completions_decision(harness: Harness) -> None:
    with harness.open() as ledger:
        emergency, done, open_one = _scene(ledger)
        listed = list(ledger.listing())
        report = verify(ledger.backend)
    assert [item.entry.seq for item in listed] == [1, 2, 3, 4]
    first, second, third, fourth = listed
    assert first.entry.id == emergency and first.entry.decision is None  # as stored
    assert first.completed_by == Completion(3, done, "share_urgently")
    assert first.decision == "share_urgently"
    assert (second.completed_by, second.decision, second.target_seq) == (None, "share", None)
    assert third.entry.kind is EntryKind.COMPLETION and third.decision == "share_urgently"
    assert (third.completed_by, third.target_seq) == (None, 1)
    assert fourth.entry.id == open_one and fourth.completed_by is None
    assert fourth.decision is None
    assert report.intact, report.breaks


def test_decision_filter_finds_the_emergency_through_its_completion(harness: Harness) -> None:
    with harness.open() as ledger:
        _scene(ledger)
        urgent = [e.seq for e in ledger.entries(Filters(decision="share_urgently"))]
        urgent_listed = [i.entry.seq for i in ledger.listing(Filters(decision="share_urgently"))]
        share = [e.seq for e in ledger.entries(Filters(decision="share"))]
        count = ledger.count()
    assert urgent == urgent_listed == [1, 3]  # the emergency, and its completion as itself
    assert share == [2]
    assert count == 4  # reading added nothing


def test_an_emergencys_own_decision_is_not_replaced(harness: Harness) -> None:
    with harness.open() as ledger:
        decided = ledger.record_emergency(quick(), make_result(Decision.SHARE_URGENTLY))
        ledger.complete(decided.id, make_details())  # details only: it already holds one
        undecided = ledger.record_emergency(quick())
        ledger.complete(undecided.id, make_details())  # completed without a decision
        listed = list(ledger.listing())
        urgent = [e.seq for e in ledger.entries(Filters(decision="share_urgently"))]
    assert [(i.entry.seq, i.decision) for i in listed] == [
        (1, "share_urgently"),
        (2, None),
        (3, None),
        (4, None),
    ]
    assert listed[0].completed_by is not None and listed[0].completed_by.seq == 2
    assert listed[2].completed_by == Completion(4, listed[3].entry.id, None)
    assert urgent == [1]


def test_case_filter_finds_the_emergency_under_the_reference_it_was_completed_with(
    harness: Harness,
) -> None:
    with harness.open() as ledger:
        emergency = ledger.record_emergency(quick("POLICE-LOG-1187"))
        ledger.record_decision(make_result(), make_details("CS-2026-00418"))
        ledger.complete(
            emergency.id,
            make_details("CS-2026-00417"),
            make_result(Decision.SHARE_URGENTLY),
            new_case_ref=True,
        )
        new = [e.seq for e in ledger.entries(Filters(case="CS-2026-00417"))]
        old = [e.seq for e in ledger.entries(Filters(case="POLICE-LOG-1187"))]
        urgent = Filters(case="CS-2026-00417", decision="share_urgently")
        both = [i.entry.seq for i in ledger.listing(urgent)]
        other = [e.seq for e in ledger.entries(Filters(case="CS-2026-00417", decision="share"))]
    assert new == [1, 3] and old == [1] and both == [1, 3] and other == []


def test_links_are_shown_for_reviews_and_amendments(harness: Harness) -> None:
    from sharewise.domain.record import Verdict

    with harness.open() as ledger:
        first = ledger.record_decision(make_result(), make_details())
        ledger.review(first.id, Verdict.AGREE, "I. G. Lead", "Proportionate.")
        ledger.amend(first.id, make_details(rationale="Corrected rationale."))
        listed = list(ledger.listing())
    assert [(i.entry.kind.value, i.target_seq) for i in listed] == [
        ("decision", None),
        ("review", 1),
        ("amendment", 1),
    ]


def test_a_completion_for_another_case_reference_is_refused(harness: Harness) -> None:
    with harness.open() as ledger:
        emergency = ledger.record_emergency(quick("CS-2026-00417"))
        with pytest.raises(CaseRefDiffers) as caught:
            ledger.complete(emergency.id, make_details("CS-2026-00418"))
        assert ledger.count() == 1
        # The message names the field, never the references: they are personal data.
        assert "CS-2026" not in caught.value.render()
        assert "case reference" in caught.value.render()
        done = ledger.complete(emergency.id, make_details("CS-2026-00418"), new_case_ref=True)
        assert ledger.get(done.id).target == emergency.id


def test_case_references_compare_as_the_ledger_stores_them(harness: Harness) -> None:
    composed, decomposed = "CS-\u00c91", "CS-E\u03011"  # the same text typed two ways
    with harness.open() as ledger:
        emergency = ledger.record_emergency(quick(composed))
        done = ledger.complete(emergency.id, make_details(decomposed))
        assert ledger.get(done.id).target == emergency.id


def test_an_emergency_whose_details_were_purged_can_still_be_completed(
    harness: Harness,
) -> None:
    with harness.open() as ledger:
        emergency = ledger.record_emergency(quick())
        ledger.purge(dt.date.today() + dt.timedelta(days=1))
        assert ledger.get(emergency.id).erased
        done = ledger.complete(emergency.id, make_details("CS-2026-00418"))
        assert ledger.get(done.id).target == emergency.id


def _five_completed(ledger: Ledger) -> None:
    """Five emergencies, each completed, alternating between two cases."""
    for i in range(5):
        ref = ledger.record_emergency(quick(f"CS-{i % 2}"))
        ledger.complete(ref.id, make_details(f"CS-{i % 2}"), make_result())


@contextmanager
def _traced(ledger: Ledger) -> Iterator[list[str]]:
    """Every SQL statement SQLite runs inside the block."""
    statements: list[str] = []
    conn = ledger.backend.connection  # type: ignore[attr-defined]
    conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        conn.set_trace_callback(None)


def test_listing_a_case_is_one_query(tmp_path: Path) -> None:
    """No query per row: the completion is found by the same statement (SQLite's trace)."""
    from sharewise.store.sqlite import SQLiteBackend

    with Ledger(SQLiteBackend(tmp_path / "ledger.sqlite3")) as ledger:
        _five_completed(ledger)
        with _traced(ledger) as statements:
            listed = list(ledger.listing(Filters(case="CS-0", decision="share")))
    assert [i.entry.kind for i in listed] == [EntryKind.EMERGENCY, EntryKind.COMPLETION] * 3
    assert all(i.decision == "share" for i in listed)
    assert len(statements) == 1, statements


def test_listing_the_newest_reads_only_the_last_that_match(harness: Harness) -> None:
    """What the Records screen reads: the newest few that match, oldest first as always,
    each still through its completion; the tally counts all that match."""
    with harness.open() as ledger:
        emergency, done, open_one = _scene(ledger)
        ledger.record_decision(make_result(), make_details("CS-2026-00600"))  # 5
        kinds = Filters(kinds=("decision", "emergency"))
        two = list(ledger.listing(kinds, newest=2))
        three = list(ledger.listing(kinds, newest=3))
        everything = list(ledger.listing(newest=100))
        none = list(ledger.listing(kinds, newest=0))
        urgent = list(ledger.listing(Filters(decision="share_urgently"), newest=1))
        tallies = (
            ledger.tally(kinds),
            ledger.tally(),
            ledger.tally(Filters(decision="share_urgently")),
            ledger.tally(Filters(case="CS-2026-00500")),
            ledger.tally(Filters(case="nobody")),
        )
    assert [i.entry.seq for i in two] == [4, 5]
    assert [i.entry.seq for i in three] == [2, 4, 5]
    assert [i.entry.seq for i in everything] == [1, 2, 3, 4, 5]
    assert none == []
    assert [i.entry.seq for i in urgent] == [3]
    # An emergency among the newest still comes with its completion.
    first = next(i for i in everything if i.entry.id == emergency)
    assert first.completed_by == Completion(3, done, "share_urgently")
    assert everything[2].target_seq == 1
    assert everything[3].entry.id == open_one and everything[3].completed_by is None
    assert [(t.total, t.waiting) for t in tallies] == [(4, 1), (5, 1), (2, 0), (1, 1), (0, 0)]


def test_links_among_some_ids_rebuilds_only_theirs(harness: Harness) -> None:
    from sharewise.domain.record import Verdict

    with harness.open() as ledger:
        emergency, done, _ = _scene(ledger)
        other = ledger.record_decision(make_result(), make_details("CS-2026-00600"))
        ledger.review(other.id, Verdict.AGREE, "I. G. Lead", None)
        some = ledger.links(among={emergency})
        every = ledger.links()
    assert {k: [e.id for e in v] for k, v in some.items()} == {emergency: [done]}
    assert set(every) == {emergency, other.id}


def test_the_newest_and_the_tally_are_one_query_each(tmp_path: Path) -> None:
    """No query per row, and the database stops after the newest (SQLite's trace)."""
    from sharewise.store.sqlite import SQLiteBackend

    with Ledger(SQLiteBackend(tmp_path / "ledger.sqlite3")) as ledger:
        _five_completed(ledger)
        with _traced(ledger) as statements:
            listed = list(ledger.listing(Filters(case="CS-0"), newest=2))
            tally = ledger.tally(Filters(case="CS-0", kinds=("emergency",)))
    assert [i.entry.seq for i in listed] == [9, 10]
    assert (tally.total, tally.waiting) == (3, 0)
    assert len(statements) == 2, statements
    assert "LIMIT" in statements[0]
