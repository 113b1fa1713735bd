"""The IG lead's figures, checked against a ledger built from the scenario bank.

The expected figures are worked out here a second way, from the entries as the ledger
reads them back (pydantic models, not the raw bodies the figures stream over), so the two
must agree on every figure, on both backends, under every filter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from bank_ledger import TEAMS, TODAY, backdating_refused, build
from ledger_harness import Harness

from sharewise.domain.record import Entry, EntryKind
from sharewise.domain.result import by_question
from sharewise.reports import figures as F
from sharewise.store.ledger import Ledger


def expected(ledger: Ledger, scope: F.Scope) -> dict[Any, Any]:
    """Every figure, from the entries read back as models, in plain Python."""
    entries = list(ledger.entries())
    by_id = {e.id: e for e in entries}

    def root(e: Entry) -> str:
        while e.target is not None:
            e = by_id[e.target]
        return e.id

    later: dict[str, list[Entry]] = {}
    for e in entries:
        if e.target is not None:
            later.setdefault(root(e), []).append(e)
    out: Counter[Any] = Counter()
    awaiting = []
    for e in entries:
        if e.kind not in (EntryKind.DECISION, EntryKind.EMERGENCY):
            continue
        links = later.get(e.id, [])
        completions = [x for x in links if x.kind is EntryKind.COMPLETION]
        reviews = [x for x in links if x.kind is EntryKind.REVIEW]
        detailed = [x for x in links if x.kind is not EntryKind.REVIEW and x.details]
        details = detailed[-1].details if detailed else e.details
        assert details is not None
        result = e.result or (completions[0].result if completions else None)
        decision = result.decision.value if result else "none"
        verdict = reviews[-1].review.verdict.value if reviews and reviews[-1].review else None
        day = e.created.date()
        if (scope.date_from and day < scope.date_from) or (scope.date_to and day > scope.date_to):
            continue
        if scope.decision and decision != scope.decision:
            continue
        if scope.emergency is not None and (e.kind is EntryKind.EMERGENCY) != scope.emergency:
            continue
        if scope.reviewed is not None and (verdict is not None) != scope.reviewed:
            continue
        if scope.team and details.practitioner.organisation.lower() != scope.team.lower():
            continue
        out["total"] += 1
        out["decision", decision] += 1
        out["month", f"{e.created:%Y-%m}"] += 1
        out["review", verdict or "not_reviewed"] += 1
        out["team", details.practitioner.organisation] += 1
        if e.kind is EntryKind.EMERGENCY and not completions:
            awaiting.append(e.id)
        due = details.review_by
        if due and due <= TODAY and not any(r.created.date() >= due for r in reviews):
            out["due"] += 1
        if result is None:
            continue
        law = result.outcome.law
        for c in law.basis:
            out["basis", c] += 1
        for c in law.special_category:
            out["special", c] += 1
        for c in law.criminal_offence:
            out["criminal", c] += 1
        if result.decision.shares and details.consent and not details.consent.sought:
            out["without_consent"] += 1
        if result.decision.value == "do_not_share":
            out["not_shared"] += 1
        for group in by_question(result.path):
            if any(s.answer == "unsure" for s in group):
                out["unsure", group[0].question] += 1
            if group[0].revisits:
                out["revisited", group[0].question] += 1
            if group[0].changes:
                out["changed", group[0].question] += 1
        for s in result.path:
            if s.fact == "sharer":
                out["sharer", s.answer] += 1
        if result.started is not None:
            out["timed"] += 1
    out["awaiting"] = awaiting
    return dict(out)


def actual(f: F.Figures) -> dict[Any, Any]:
    out: Counter[Any] = Counter()
    out["total"] = f.total
    for figure, name in (
        (F.DECISION, "decision"),
        (F.MONTH, "month"),
        (F.REVIEW, "review"),
        (F.TEAM, "team"),
        (F.BASIS, "basis"),
        (F.SPECIAL, "special"),
        (F.CRIMINAL, "criminal"),
        (F.NOT_SURE, "unsure"),
        (F.REVISITED, "revisited"),
        (F.CHANGED, "changed"),
        (F.SHARER, "sharer"),
    ):
        for item, n in f.by(figure):
            out[name, item] = n
    for figure, name in (
        (F.DUE, "due"),
        (F.WITHOUT_CONSENT, "without_consent"),
        (F.NOT_SHARED, "not_shared"),
    ):
        if f.count(figure):
            out[name] = f.count(figure)
    if f.filing_minutes()["records_timed"]:
        out["timed"] = f.filing_minutes()["records_timed"]
    out["awaiting"] = f.awaiting
    return {k: v for k, v in out.items() if v}


SCOPES = [
    F.Scope(),
    F.Scope(date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31)),
    F.Scope(team=TEAMS[1].upper()),
    F.Scope(decision="share"),
    F.Scope(decision="none"),
    F.Scope(emergency=True),
    F.Scope(reviewed=True),
    F.Scope(reviewed=False, emergency=False),
]


@pytest.fixture
def bank(harness: Harness) -> tuple[Ledger, dict[str, Any]]:
    ledger = harness.open()
    return ledger, build(ledger)


@pytest.mark.parametrize("scope", SCOPES, ids=repr)
def test_every_figure_matches_the_ledger(
    bank: tuple[Ledger, dict[str, Any]], scope: F.Scope
) -> None:
    ledger, _ = bank
    want = {k: v for k, v in expected(ledger, scope).items() if v}
    got = actual(F.count(ledger.backend, scope, TODAY))
    assert got == want
    # The dashboard's held copy counts the same.
    assert actual(F.Held(ledger.backend, TODAY).figures(scope)) == want


def test_the_bank_exercises_every_figure(bank: tuple[Ledger, dict[str, Any]]) -> None:
    """Not a vacuous match: the ledger holds some of everything the figures count."""
    ledger, filed = bank
    f = F.count(ledger.backend, F.Scope(), TODAY)
    assert f.total == len(filed["records"]) + 2
    assert len(f.by(F.DECISION)) >= 3 and f.count(F.DECISION, "none") == 1
    assert f.by(F.BASIS) and f.by(F.SPECIAL) and f.by(F.SHARER) and f.by(F.NOT_SURE)
    assert f.by(F.REVISITED) and f.by(F.CHANGED)
    assert f.count(F.WITHOUT_CONSENT) and f.count(F.DUE)
    assert len(f.months()) >= 3 or backdating_refused(ledger)
    assert filed["waiting"] in f.awaiting and filed["completed"] not in f.awaiting
    assert dict(f.by(F.REVIEW)).keys() >= {"agree", "disagree", "follow_up", "not_reviewed"}
    assert f.amendments == 1
    assert f.filing_minutes()["median"] is not None


def test_an_amendment_changes_the_consent_figure(bank: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, filed = bank
    held = F.Held(ledger.backend, TODAY)
    behind = held.behind(F.Scope(), (F.WITHOUT_CONSENT, ""))
    amended = ledger.get(filed["amended"])
    assert amended.details is not None and amended.details.consent is not None
    assert amended.details.consent.sought  # as filed: consent sought ...
    assert amended.result is not None and amended.result.decision.shares
    assert amended.seq in behind  # ... as amended: not sought, so counted


@pytest.mark.parametrize(
    "key",
    [(F.DECISION, "share"), (F.REVIEW, "follow_up"), (F.AWAITING, ""), (F.DUE, "")],
    ids=str,
)
def test_the_records_behind_a_figure_are_as_many_as_it_counts(
    bank: tuple[Ledger, dict[str, Any]], key: F.Key
) -> None:
    ledger, _ = bank
    held = F.Held(ledger.backend, TODAY)
    f = held.figures(F.Scope())
    seqs = held.behind(F.Scope(), key)
    assert len(seqs) == f.counts[key] and seqs == sorted(seqs)
    for seq in seqs:
        entry = ledger.get(str(seq))
        assert entry.kind in (EntryKind.DECISION, EntryKind.EMERGENCY)


def test_empty_ledger_and_empty_period(harness: Harness) -> None:
    ledger = harness.open()
    f = F.count(ledger.backend, F.Scope(), TODAY)
    assert f.total == 0 and f.by(F.DECISION) == [] and f.filing_minutes()["median"] is None
    build(ledger)
    nothing = F.Scope(date_from=dt.date(2030, 1, 1), date_to=dt.date(2030, 3, 31))
    f = F.count(ledger.backend, nothing, TODAY)
    assert f.total == 0 and f.months() == [] and f.to_json_dict()["by_decision"] == {}


def test_an_impossible_period_is_refused() -> None:
    with pytest.raises(F.BadScope, match="swap the two dates"):
        F.Scope(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 8, 1))


def test_a_damaged_entry_is_listed_not_counted(harness: Harness) -> None:
    ledger = harness.open()
    filed = build(ledger)
    victim = ledger.get(filed["records"][2])
    harness.drop_guards()
    harness.sql("UPDATE entries SET body = ? WHERE seq = ?", (b"{not json", victim.seq))
    f = F.count(ledger.backend, F.Scope(), TODAY)
    assert f.unreadable == [victim.seq]
    assert f.total == len(filed["records"]) + 1


def test_records_filed_before_revisits_were_kept_still_verify_and_count(harness: Harness) -> None:
    """The chain commits to stored bytes: an entry in the older shape (no `started`, no
    `revisits`/`changes`) verifies, reads back and counts as before."""
    from bank_ledger import _append, bank_results, england
    from ledger_harness import make_details

    from sharewise.store.ledger import details_parts, result_data
    from sharewise.store.verify import verify

    ledger = harness.open()
    _, result = bank_results(england())[0]
    old = result_data(result)
    old.pop("started")
    for step in old["path"]:
        step.pop("revisits"), step.pop("changes")
    public, personal = details_parts(make_details())
    when = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
    ref = _append(
        ledger,
        EntryKind.DECISION,
        {"result": old, "details": public},
        personal,
        when,
        decision=result.decision.value,
    )
    assert verify(ledger.backend).intact
    back = ledger.get(ref.id)
    assert back.result is not None and back.result.started is None
    f = F.count(ledger.backend, F.Scope(), TODAY)
    assert f.total == 1 and f.count(F.DECISION, result.decision.value) == 1
    assert f.by(F.REVISITED) == [] and f.filing_minutes()["records_timed"] == 0
