"""A reassessment's link to the record it reassesses, on every backend: chained, listed,
refused for what is not a decision, and clearing the earlier record's review date."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_harness import Harness, make_details, make_result

from sharewise.domain.errors import InputError
from sharewise.domain.record import Verdict
from sharewise.store.verify import verify

PAST = dt.date(2026, 1, 10)
TODAY = dt.date(2026, 2, 1)


def test_a_reassessment_is_linked_and_verified(harness: Harness) -> None:
    with harness.open() as ledger:
        first = ledger.record_decision(make_result(), make_details(review_by=PAST))
        assert [e.id for e, _ in ledger.due(TODAY)] == [first.id]
        again = ledger.record_decision(make_result(), make_details(), reassesses=str(first.seq))
        assert ledger.get(again.id).target == first.id
        assert [e.id for e in ledger.linked_to(first.id)] == [again.id]
        assert [item.target_seq for item in ledger.listing()] == [None, first.seq]
        assert list(ledger.due(TODAY)) == []
        assert verify(ledger.backend).intact
    harness.drop_guards()
    harness.sql("UPDATE entries SET target = NULL WHERE seq = 2")
    harness.cover_tracks()
    with harness.open() as ledger:
        report = verify(ledger.backend)
    assert [b.seq for b in report.breaks] == [2]


def test_only_a_decision_can_be_reassessed(harness: Harness) -> None:
    with harness.open() as ledger:
        first = ledger.record_decision(make_result(), make_details())
        review = ledger.review(first.id, Verdict.AGREE, "A. Lead")
        with pytest.raises(InputError, match="not a decision to reassess"):
            ledger.record_decision(make_result(), make_details(), reassesses=review.id)
        with pytest.raises(InputError, match="no entry"):
            ledger.record_decision(make_result(), make_details(), reassesses="nope")
        assert ledger.count() == 2
