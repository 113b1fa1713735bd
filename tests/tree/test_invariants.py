"""Each legal invariant catches a tree that breaks it, naming the outcome and the path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sharewise.domain.graph import load_tree
from sharewise.domain.invariants import check_invariants, histogram, question_stats

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "trees" / "invariants"

# fixture file -> (invariant that must fire, outcome it must name, a path step it must name)
CASES = {
    "no_basis": ("basis_present", "share_without_basis", "sharer=public_authority"),
    "no_s35": ("basis_present", "share_police", "sharer=competent_authority"),
    "legitimate_interests_unasked_sharer": (
        "no_li_for_public_authority",
        "share_li",
        "concern=child_significant_harm",
    ),
    "recognised_li_public": ("no_li_for_public_authority", "share_rli", "sharer=public_authority"),
    "public_task_charity": ("no_public_task_for_others", "share_task", "sharer=other_organisation"),
    "special_no_condition": (
        "special_category_condition",
        "share_plain",
        "sharer=public_authority",
    ),
    "art9g_without_paragraph": ("special_category_condition", "share_9g", "special=yes"),
    "criminal_no_art10": ("criminal_offence_authority", "share_no_art10", "special=no"),
    "para18_with_consent": ("no_para18_with_consent", "share_18", "consent=given"),
    "para18_without_policy": ("policy_document_for_part2", "share_18", "consent=refused"),
    "vital_interests_can_consent": (
        "vital_interests_only_when_cannot_consent",
        "share_vital",
        "danger=yes",
    ),
    "court_order_refused": ("court_order_obeyed", "refuse", "legal=court_order"),
    "refusal_not_recorded": ("records_why", "refuse", "concern=no_safeguarding_purpose"),
    "emergency_held_back": ("emergency_shares_urgently", "advice", "danger=yes"),
    "legal_requirement_refused": (
        "legal_requirement_complied",
        "anon",
        "legal=statutory_request",
    ),
    "para10_not_police": (
        "para10_only_to_law_enforcement",
        "share_10",
        "recipient=safeguarding_role",
    ),
    "sch8_for_offence_data": (
        "no_sch8_for_offence_data_alone",
        "share_conviction",
        "sharer=competent_authority",
    ),
    "share_says_wait": ("share_never_waits", "share_wait", "sharer=public_authority"),
    "label_disagrees": (
        "label_matches_first_action",
        "mislabelled",
        "concern=child_significant_harm",
    ),
}


def test_every_fixture_has_a_case() -> None:
    assert {p.stem for p in FIXTURES.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_invariant_is_caught_with_its_path(name: str) -> None:
    invariant, outcome, step = CASES[name]
    tree = load_tree(FIXTURES / f"{name}.yaml")
    problems = [p for p in check_invariants(tree) if f"[{invariant}]" in p.message]
    assert problems, f"{invariant} did not fire on {name}.yaml"
    message = problems[0].render()
    assert message.startswith(f"{FIXTURES / name}.yaml:")
    assert f"{outcome}:" in message
    assert f"on path {step}" in message or f"> {step}" in message
    assert f"-> {outcome}" in message
    # Located at the outcome in the file, not at the top.
    assert problems[0].location.line > 1


def test_unasked_fact_counts_as_every_value() -> None:
    """(f) with the sharer never asked is wrong: the sharer might be a public authority."""
    tree = load_tree(FIXTURES / "legitimate_interests_unasked_sharer.yaml")
    assert any("may be a public authority" in p.message for p in check_invariants(tree))


def test_stats_count_questions_per_path() -> None:
    tree = load_tree(FIXTURES / "para18_with_consent.yaml")
    fewest, median, most = question_stats(tree)
    assert (fewest, most) == (1, 4)
    assert fewest <= median <= most
    assert histogram([1, 2, 2, 4]) == {1: 1, 2: 2, 4: 1}


# The six invariants of the second legal review (issue 10). Each fixture breaks that one
# rule and no other, so its failure proves the invariant itself, not a neighbour.
SECOND_REVIEW = (
    "emergency_held_back",
    "legal_requirement_refused",
    "para10_not_police",
    "sch8_for_offence_data",
    "share_says_wait",
    "label_disagrees",
)


@pytest.mark.parametrize("name", SECOND_REVIEW)
def test_second_review_fixture_breaks_its_invariant_alone(name: str) -> None:
    invariant = CASES[name][0]
    problems = check_invariants(load_tree(FIXTURES / f"{name}.yaml"))
    named = [re.search(r"\[(\w+)\] on path", p.message) for p in problems]
    assert problems and all(named), [p.message for p in problems]
    fired = {m[1] for m in named if m}
    assert fired == {invariant}
