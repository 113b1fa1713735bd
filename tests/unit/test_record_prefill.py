"""Record suggestions from the walk's answers: what they say, where from, and what they skip."""

from __future__ import annotations

import datetime as dt

from sharewise.domain.record_prefill import is_unfinished, rationale_skeleton, suggestions
from sharewise.domain.result import DecisionResult, OutcomeView, Step, TreeRef
from sharewise.domain.tree import Decision, Law


def result(**answers: str) -> DecisionResult:
    return DecisionResult(
        decision=Decision.SHARE,
        outcome=OutcomeView(
            id="share",
            decision=Decision.SHARE,
            title="Share with the agency that needs it",
            summary="s",
            actions=["a"],
            law=Law(),
        ),
        citations=[],
        path=[
            Step(node=f, fact=f, answer=a, question=f"{f}?", label=f"label of {a}")
            for f, a in answers.items()
        ],
        tree=TreeRef(id="t", title="T", version="1", law_as_at=dt.date(2026, 1, 1), sha256="0"),
    )


def values(r: DecisionResult) -> dict[str, str]:
    return {k: s.value for k, s in suggestions(r).items()}


def test_the_school_disclosure_gets_consent_role_and_a_skeleton() -> None:
    r = result(
        recipient_role="safeguarding_role", without_consent_reason="would_prejudice_protection"
    )
    got = suggestions(r)
    assert got["consent.sought"].value == "no"
    assert "greater risk" in got["consent.reason"].value
    assert "label of would_prejudice_protection" in got["consent.reason"].source
    assert got["recipient.role"].value == "Safeguarding role"
    assert got["rationale"].value == "Share with the agency that needs it because "
    assert "informed.told" not in got  # never asked: nothing to suggest


def test_consent_given_and_refused() -> None:
    assert values(result(consent="given"))["consent.sought"] == "yes"
    refused = values(result(consent="refused", without_consent_reason="none"))
    assert refused["consent.reason"] == "Consent was sought and refused."
    not_sought = values(
        result(consent="not_sought", without_consent_reason="would_prejudice_protection")
    )
    assert not_sought["consent.sought"] == "no"
    assert not_sought["consent.reason"].count("Consent was not sought") == 1


def test_unsure_answers_suggest_nothing() -> None:
    got = values(result(consent="unsure", recipient_role="unsure", telling_increases_risk="unsure"))
    assert set(got) == {"rationale"}


def test_cannot_reasonably_obtain_leaves_the_switch_to_the_person() -> None:
    got = values(result(without_consent_reason="cannot_reasonably_obtain"))
    assert "consent.sought" not in got and "reasonably" in got["consent.reason"]


def test_telling_increases_risk() -> None:
    got = values(result(telling_increases_risk="yes"))
    assert got["informed.told"] == "no" and "increase the risk" in got["informed.reason"]
    assert values(result(telling_increases_risk="no"))["informed.told"] == "yes"


def test_an_untouched_skeleton_is_unfinished() -> None:
    r = result()
    assert is_unfinished(rationale_skeleton(r), r)
    assert is_unfinished("Share with the agency that needs it because", r)
    assert not is_unfinished(rationale_skeleton(r) + "she disclosed harm today.", r)
