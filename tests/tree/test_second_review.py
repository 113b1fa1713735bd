"""The second legal review of the England tree (issue 10): each finding, proved on the tree.

The scenarios in decision_trees/scenarios/ prove the findings case by case; these tests prove
them over every path, so that a tree tuned to the scenarios alone would still fail here.
"""

from __future__ import annotations

import re

from sharewise.domain.graph import CompiledTree
from sharewise.domain.tree import Decision, Outcome


def _text(o: Outcome) -> str:
    return " ".join([o.title, o.summary, *o.actions])


def test_every_emergency_path_shares_urgently_and_never_narrows(every_path: list) -> None:
    emergencies = [(a, o) for _p, a, o in every_path if a.get("immediate_danger") == "yes"]
    assert len(emergencies) > 50
    for answers, o in emergencies:
        assert o.decision is Decision.SHARE_URGENTLY, answers
        text = _text(o)
        assert "save a life" not in text, o.title
        assert "Do not hold anything back" in text
    # Where no condition is confirmed, the outcome says so and sends them to the DPO.
    unconfirmed = [o for _a, o in emergencies if "no condition for the" in _text(o)]
    assert unconfirmed
    assert all("data protection officer" in _text(o) for o in unconfirmed)


def test_only_emergencies_share_urgently(every_path: list) -> None:
    for _p, answers, o in every_path:
        if o.decision is Decision.SHARE_URGENTLY:
            assert answers["immediate_danger"] == "yes"


def test_para10_only_for_the_police_and_without_a_policy_document(every_path: list) -> None:
    cited = [(a, o) for _p, a, o in every_path if "dpa2018.sch1.para10" in o.law.special_category]
    assert cited
    for answers, o in cited:
        assert answers.get("recipient_role") == "law_enforcement", answers
        assert o.decision.shares
    # The point of para 10(2): reached with the policy document missing or unknown.
    assert any(a.get("apd_in_place") in (None, "no", "unsure") for a, _o in cited)


def test_a_public_authority_refers_significant_harm_without_asking_first(
    every_path: list,
) -> None:
    """Para 6 does not depend on consent: 'not yet asked' never ends in 'ask consent first'."""
    for _p, a, o in every_path:
        if (
            a.get("sharer") == "public_authority"
            and a.get("concern") == "child_significant_harm"
            and a.get("consent") == "not_sought"
            and a.get("apd_in_place") == "yes"
        ):
            assert o.decision.shares, (a, o.title)


def test_a_public_authority_relies_on_para6_after_a_refusal(every_path: list) -> None:
    """Para 6 does not depend on consent: after a refusal a public authority referring
    significant harm cites it, not para 18 through the 18(2)(b) reading (LAW.md step 7)."""
    seen = 0
    for p, a, o in every_path:
        if (
            a.get("immediate_danger") == "no"
            and a.get("legal_requirement") == "none"
            and a.get("sharer") == "public_authority"
            and a.get("care_professional") != "yes"
            and a.get("concern") == "child_significant_harm"
            and a.get("consent") == "refused"
            and a.get("special_category") in ("yes", "unsure")
            and a.get("apd_in_place") == "yes"
        ):
            seen += 1
            assert o.decision is Decision.SHARE, a
            assert "dpa2018.sch1.para6" in o.law.special_category, (a, p.outcome)
            assert "dpa2018.sch1.para18" not in o.law.special_category, (a, p.outcome)
            assert "18(2)(b)" not in _text(o), p.outcome
    assert seen


def test_best_interests_advice_puts_others_first(england: CompiledTree) -> None:
    o = england.outcome("advice_best_interests")
    assert any("walk the tree again for them now" in a for a in o.actions)


def test_part3_conviction_needs_no_sensitive_condition(every_path: list) -> None:
    seen = 0
    for _p, a, o in every_path:
        if a.get("sharer") == "competent_authority" and a.get("special_category") == "no":
            if a.get("legal_requirement") in ("statutory_request", "statutory_duty"):
                continue
            if a.get("concern") == "child_welfare" and o.decision.value == "seek_advice":
                # Below significant harm, confidence is judged case by case whoever shares
                # (LAW.md step 9; tests/tree/test_doubtful_points.py): not about convictions.
                assert "without_consent_reason" in a, a  # held on consent, never on offences
                continue
            seen += 1
            assert o.decision.shares, a
            assert "dpa2018.s35" in o.law.basis
            assert not o.law.special_category
            assert "ukgdpr.art5" not in o.law.supporting  # Part 3 has its own principles
    assert seen


def test_part3_questions_never_cite_art9(england: CompiledTree) -> None:
    for path in england.paths():
        facts = path.answers()
        if facts.get("sharer") != "competent_authority" or "legal_requirement" in {
            k for k, v in facts.items() if v in ("statutory_request", "statutory_duty")
        }:
            continue
        for step in path.steps:
            question = england.question(step.node)
            if step.fact in ("special_category", "apd_in_place"):
                assert "Art 9" not in question.why, step.node
                assert "convictions" in (question.text + question.help).lower() or (
                    step.fact == "apd_in_place"
                )


def test_the_dead(every_path: list) -> None:
    dead = [(a, o) for _p, a, o in every_path if a.get("identifiable") == "deceased_only"]
    for a, o in dead:
        # Purpose and recipient are asked before anything is shared.
        disclosed = o.decision.shares or o.decision is Decision.NO_PERSONAL_DATA
        if disclosed and a.get("legal_requirement") == "none":
            assert "concern" in a and "recipient_role" in a, a
        if a.get("concern") == "no_safeguarding_purpose":
            assert o.decision is Decision.DO_NOT_SHARE
        if a.get("legal_requirement") in ("court_order", "statutory_request", "statutory_duty"):
            assert o.decision is Decision.SHARE
        if a.get("concern") == "adult_other" and a.get("confidential") == "yes":
            assert o.decision is Decision.SEEK_ADVICE


def test_children_first_when_capacity_is_unresolved(every_path: list) -> None:
    """Capacity unknown, not yet asked, or not known what they said: others come first."""
    for _p, a, o in every_path:
        unresolved = a.get("adult_has_capacity") == "unsure" or (
            a.get("adult_has_capacity") == "yes" and a.get("consent") in ("not_sought", "unsure")
        )
        if unresolved and a.get("legal_requirement") == "none":
            assert "others_at_risk" in a, a
            if a["others_at_risk"] == "yes":
                assert "Refer the children first" in o.title


def test_court_orders_cite_legal_claims_and_para33(england: CompiledTree) -> None:
    court = [o for oid, o in england.model.outcomes.items() if oid.startswith("comply_court")]
    assert court
    for o in court:
        assert "ukgdpr.art9.2f" in o.law.special_category
        assert "dpa2018.sch1.para33" in o.law.criminal_offence
        assert "legal claims" in " ".join(o.actions)


def test_police_answering_a_statutory_request_are_under_uk_gdpr(every_path: list) -> None:
    for _p, a, o in every_path:
        if (
            a.get("sharer") == "competent_authority"
            and a.get("legal_requirement") in ("statutory_request", "statutory_duty")
            and o.decision.shares
        ):
            assert "ukgdpr.art6.1c" in o.law.basis and "dpa2018.s35" not in o.law.basis


def test_para18_2b_is_quoted_exactly(england: CompiledTree) -> None:
    readings = [a for o in england.model.outcomes.values() for a in o.actions if "18(2)(b)" in a]
    assert readings
    for text in readings:
        assert "the controller cannot reasonably be expected to obtain the consent" in text


def test_not_confidential_is_never_called_given_in_confidence(every_path: list) -> None:
    for _p, a, o in every_path:
        if a.get("confidential") == "no":
            assert not re.search(r"(?<!not )given in confidence", _text(o)), o.title


def test_statutory_path_honours_explicit_consent(every_path: list) -> None:
    hits = [
        o
        for _p, a, o in every_path
        if a.get("legal_requirement") in ("statutory_request", "statutory_duty")
        and a.get("consent") == "given_explicitly"
        and o.decision.shares
    ]
    assert hits and all("ukgdpr.art9.2a" in o.law.special_category for o in hits)


def test_labels_tell_the_truth(england: CompiledTree) -> None:
    for oid, o in england.model.outcomes.items():
        first = o.actions[0]
        if o.decision is Decision.SEEK_ADVICE:
            assert not first.startswith(("Share", "Provide", "Give", "Call 999")), oid


def test_next_steps_fit_who_is_sharing(every_path: list) -> None:
    backwards = "Tell your designated safeguarding lead what you shared"
    for _p, a, o in every_path:
        text = _text(o)
        assert backwards not in text
        if not o.decision.shares or a.get("legal_requirement") != "none":
            continue
        if (
            a.get("sharer") in ("public_authority", "other_organisation")
            and a.get("care_professional") == "no"
            and a.get("immediate_danger") == "no"
        ):
            assert "designated safeguarding lead first" in o.actions[0], o.title
        if a.get("sharer") == "competent_authority" and a.get("immediate_danger") == "no":
            assert "MAPPA" in o.actions[-1] and "senior probation officer" in o.actions[-1]
        if a.get("care_professional") == "yes" and a.get("immediate_danger") == "no":
            assert "named or designated safeguarding professional" in o.actions[-1]


def test_emergency_with_the_sharer_unknown_says_the_basis_needs_naming(every_path: list) -> None:
    """Vital interests is life-or-death only (LAW.md step 1): where the sharer is not known,
    the record is told how serious harm short of that is covered, and to tell the DPO."""
    seen = 0
    for _p, a, o in every_path:
        if a.get("immediate_danger") == "yes" and a.get("sharer") == "unsure":
            seen += 1
            text = _text(o)
            assert "serious harm short of" in text and "data protection officer" in text, a
    assert seen


def test_part3_outcomes_speak_of_sensitive_not_special_category(every_path: list) -> None:
    """Part 3 has 'sensitive processing' (s.35(8)); 'special category' is UK GDPR's term."""
    for _p, a, o in every_path:
        if a.get("sharer") == "competent_authority" and a.get("legal_requirement") in (
            None,
            "none",
        ):
            assert "special category" not in _text(o).lower(), o.title


def test_next_steps_on_a_legal_requirement_fit_who_is_sharing(every_path: list) -> None:
    """Police and probation report through their own line, health through the named
    professional, even when the law requires the disclosure (finding 9)."""
    seen = {"ca": 0, "care": 0}
    for _p, a, o in every_path:
        if a.get("legal_requirement") not in ("statutory_request", "statutory_duty"):
            continue
        if not o.decision.shares:
            continue
        last = o.actions[-1]
        if a.get("sharer") == "competent_authority":
            seen["ca"] += 1
            assert "public protection unit" in last and "school" not in last, last
        elif a.get("care_professional") == "yes":
            seen["care"] += 1
            assert "named or designated safeguarding professional" in last, last
            assert "FGM" in last  # the s.5B duty is personal to health professionals too
    assert all(seen.values()), seen


def test_a_charity_asked_to_wait_for_consent_is_told_of_para6(every_path: list) -> None:
    """Para 6 is open to any controller exercising a statutory function (LAW.md step 7):
    an organisation told to ask the family first about significant harm hears of it."""
    seen = 0
    asks_first = ("ask_consent_first", "ask_consent_first_significant_harm")
    for p, a, o in every_path:
        if (
            a.get("sharer") == "other_organisation"
            and a.get("concern") == "child_significant_harm"
            and p.outcome in asks_first
        ):
            seen += 1
            assert "dpa2018.sch1.para6" in o.law.supporting, p.outcome
            assert o.advice is not None and "para 6" in " ".join(o.advice.ask), p.outcome
    assert seen


def test_the_panel_request_says_s16h_is_unconfirmed(england: CompiledTree) -> None:
    o = england.outcome("deceased_required_by_law")
    assert "s.16H" in _text(o)
    assert any("unconfirmed" in a and "16H" in a for a in o.actions)


def test_whom_to_ask_includes_probation_and_police(england: CompiledTree) -> None:
    """Advice asked before the sharer is known names a probation officer's and a police
    officer's route as well as a school's and a nurse's (finding 9)."""
    o = england.outcome("advice_capacity_unsure")
    assert o.advice is not None
    assert "senior probation officer" in o.advice.whom[0]
    assert "designated safeguarding lead" in o.advice.whom[0]


def test_not_sure_it_identifies_anyone_never_holds_back_protection(
    england: CompiledTree,
) -> None:
    """'Not sure' whether it is personal data is answered by treating it as personal data
    and walking on, never by leaving someone unprotected while it is checked."""
    o = england.outcome("advice_identifiable_unsure")
    assert any("walk the tree again answering 'Yes'" in a for a in o.actions)


def test_emergency_where_consent_cannot_be_given_cites_para18_with_the_policy_document(
    every_path: list,
) -> None:
    """Finding 7: where the person cannot consent and the policy document is in place, the
    emergency record cites para 18 (serious harm) beside Art 9(2)(c) (a threat to life)."""
    seen = 0
    for _p, a, o in every_path:
        if (
            a.get("immediate_danger") == "yes"
            and a.get("without_consent_reason") == "cannot_be_given"
            and a.get("concern") in ("child_significant_harm", "child_welfare", "adult_at_risk")
            and a.get("apd_in_place") == "yes"
            and a.get("special_category") in ("yes", "unsure")
        ):
            seen += 1
            assert {"ukgdpr.art9.2c", "dpa2018.sch1.para18"} <= set(o.law.special_category), a
    assert seen


def test_a_legal_requirement_waits_only_for_the_details_without_a_condition(
    every_path: list,
) -> None:
    """Where the law requires the disclosure but no Art 9 condition is confirmed for the
    health details, only those details wait: the rest is provided as the law requires."""
    seen = 0
    for _p, a, o in every_path:
        if (
            a.get("legal_requirement") in ("statutory_request", "statutory_duty")
            and o.decision is Decision.SEEK_ADVICE
            and a.get("special_category") in ("yes", "unsure")
            and "criminal_offence_data" not in a  # the offence route has its own advice
        ):
            seen += 1
            assert any("Only those details wait" in x for x in o.actions), o.title
    assert seen
