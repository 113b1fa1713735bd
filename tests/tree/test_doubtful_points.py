"""The points the issue 10 audit left doubtful, decided again against LAW.md (docs/tree-law.md).

Each test holds a decision over every path, so that a tree tuned to the scenarios alone still
fails here; each fails on the tree before the decision.
"""

from __future__ import annotations

from sharewise.domain.tree import Outcome


def _text(o: Outcome) -> str:
    return " ".join([o.title, o.summary, *o.actions])


def _cites(o: Outcome, *ids: str) -> bool:
    return set(ids) <= set(o.law.all_ids())


def test_para10_on_a_legal_requirement_is_shared_and_said_to_be_an_interpretation(
    every_path: list,
) -> None:
    """LAW.md step 3: the law settles the question, so consent is not asked about; step 7:
    para 10 needs the disclosure to be made without consent so as not to prejudice its
    purpose. The tree shares (an FGM report is never held back) and says it reads the one
    into the other, sending the condition to the data protection officer."""
    found = 0
    for _p, answers, o in every_path:
        if answers.get("legal_requirement") not in ("statutory_request", "statutory_duty"):
            continue
        if not _cites(o, "dpa2018.sch1.para10"):
            continue
        found += 1
        assert o.decision.value == "share"
        text = _text(o)
        assert "Consent was not asked about on this route" in text
        assert "an interpretation, not settled guidance" in text
        assert "data protection officer today" in text
        assert "consent" not in answers and "without_consent_reason" not in answers
    assert found > 5


def test_para36_with_para10_is_shared_and_said_to_be_an_interpretation(every_path: list) -> None:
    """LAW.md step 8: whether para 36 needs a policy document is unconfirmed; step 7: para
    10(2) needs none for a disclosure to the police. Offence details go to the police (the
    Review Panel's finding: convictions left unshared), and the outcome says which part is a
    reading and sends it to the DPO."""
    found = 0
    for _p, _answers, o in every_path:
        if not _cites(o, "dpa2018.sch1.para36", "dpa2018.sch1.para10"):
            continue
        found += 1
        assert o.decision.value in ("share", "share_urgently")
        text = _text(o)
        assert "relying on it is an interpretation, not settled law" in text
        assert "tell your data protection officer today" in text
    assert found > 5


def test_court_orders_say_art_9_2_f_is_not_a_part3_condition(every_path: list) -> None:
    """LAW.md names no Schedule 8 condition for a court order: the outcome says so, sends
    that one point to the DPO, and still complies (step 3)."""
    found = 0
    for _p, answers, o in every_path:
        # (information only about the dead is not personal data: no condition is needed)
        if answers.get("legal_requirement") != "court_order" or answers["identifiable"] != "yes":
            continue
        found += 1
        assert o.decision.value == "share"
        text = _text(o)
        assert "Art 9(2)(f) is UK GDPR's condition, not yours" in text
        assert "Schedule 8 condition, which this tool does not name" in text
        assert "s.35(8)" in text
    assert found


def test_part3_sharers_below_significant_harm_respect_confidence(every_path: list) -> None:
    """LAW.md step 9 is the common law's and binds police and probation too: below
    significant harm, confidential or sensitive information shared without consent is a
    public-interest judgement made case by case (advice), and where consent could be asked
    it is asked first - as for every other sharer."""
    shared = held = 0
    for _p, answers, o in every_path:
        if (
            answers.get("sharer") != "competent_authority"
            or answers.get("concern") != "child_welfare"
            or answers.get("immediate_danger") != "no"
            or answers.get("legal_requirement") != "none"
        ):
            continue
        agreed = answers.get("consent") in ("given", "given_explicitly")
        if o.decision.value == "share":
            shared += 1
            sensitive = answers.get("special_category") != "no"
            assert agreed or (answers.get("confidential") == "no" and not sensitive), answers
        elif "consent" in answers or "without_consent_reason" in answers:
            held += 1
            assert o.decision.value == "seek_advice", answers
    assert shared and held
