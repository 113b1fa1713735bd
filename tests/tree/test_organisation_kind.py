"""A public authority's record names only its own statutory functions once its kind is known.

The kinds and their functions below are written from LAW.md step 6 and the citation registry,
not from the rules: Children Act 1989 s.17 and s.47 and Children Act 2004 s.10 are the local
authority's, s.11 lists councils and NHS bodies, Education Act 2002 s.175 binds maintained
schools (and councils), s.157 academies. Where the kind is not known the list stays as it was.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sharewise import paths
from sharewise.domain.decide import decide
from sharewise.domain.errors import FactsError
from sharewise.domain.facts import Fact
from sharewise.domain.graph import CompiledTree
from sharewise.domain.scenarios import load_scenario

#: Every statutory function a public authority's record has cited as the ground of its task.
FUNCTIONS = {
    "dpa2018.s8",
    "ca1989.s17",
    "ca1989.s47",
    "ca2004.s10",
    "ca2004.s11",
    "ea2002.s175",
    "ea2002.s157",
    "care2014.s42",
}
#: A child's case: the functions that are each kind's own.
OWN = {
    "nhs_body": {"dpa2018.s8", "ca2004.s11"},
    "maintained_school": {"dpa2018.s8", "ea2002.s175"},
    "academy": {"dpa2018.s8", "ea2002.s157"},
}
#: The list every public authority's record about a child held before, which is a council's.
EVERY_KIND = {"dpa2018.s8", "ca1989.s17", "ca1989.s47", "ca2004.s10", "ca2004.s11", "ea2002.s175"}


def test_a_known_kind_names_only_its_own_functions(every_path: list) -> None:
    seen = set()
    for _p, answers, o in every_path:
        kind = answers.get("organisation_kind")
        if kind not in OWN:
            continue
        seen.add(kind)
        assert set(o.law.supporting) & FUNCTIONS == OWN[kind], (answers, o.law.supporting)
        assert list(o.law.basis) == ["ukgdpr.art6.1e"]
        law = next(a for a in o.actions if a.startswith("The law you rely on"))
        assert "from your statutory duties as a" in law or "as an" in law
    assert seen == set(OWN)


def test_a_council_another_body_or_not_sure_keeps_the_list(every_path: list) -> None:
    """A council's own functions are the list every public authority had; another public body
    and "not sure" keep it too, under the heading that says to rely on what applies."""
    by_rest: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    for _p, answers, o in every_path:
        kind = answers.get("organisation_kind")
        if kind is None or kind in OWN:
            continue
        assert set(o.law.supporting) >= EVERY_KIND, answers
        rest = tuple(sorted((f, v) for f, v in answers.items() if f != "organisation_kind"))
        by_rest.setdefault(rest, {})[kind] = o.title + "|" + " ".join(o.actions)
    assert by_rest
    for outcomes in by_rest.values():
        assert set(outcomes) == {"council", "other_public_body", "unsure"}
        assert len(set(outcomes.values())) == 1  # the same outcome as "not sure"


def test_the_kind_is_asked_last_and_only_before_a_public_authoritys_share_about_a_child(
    every_path: list,
) -> None:
    """So it lengthens no other walk: not an emergency, a legal requirement, an adult's case,
    or any path that ends in advice or a refusal."""
    asked = 0
    for p, answers, o in every_path:
        facts = [s.fact for s in p.steps]
        if "organisation_kind" not in facts:
            continue
        asked += 1
        assert facts[-1] == "organisation_kind", facts
        assert answers["sharer"] == "public_authority"
        assert answers["immediate_danger"] == "no" and answers["legal_requirement"] == "none"
        assert answers["concern"] in ("child_significant_harm", "child_welfare")
        assert o.decision.value == "share"
    assert asked > 100


def test_the_kind_is_asked_wherever_a_public_authority_shares_about_a_child(
    every_path: list,
) -> None:
    for _p, answers, o in every_path:
        if (
            answers.get("sharer") == "public_authority"
            and answers.get("legal_requirement") == "none"
            and answers.get("concern") in ("child_significant_harm", "child_welfare")
            and o.decision.value == "share"
        ):
            assert "organisation_kind" in answers, answers


def test_facts_without_the_kind_decide_as_not_sure(england: CompiledTree) -> None:
    """Facts files written before the fact existed (the shared scenarios among them), and
    records decided before it, decide as before: the fact's default is "not sure"."""
    facts = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
    assert "organisation_kind" not in facts
    before = decide(england, facts)
    unsure = decide(england, {**facts, "organisation_kind": "unsure"})
    assert before.outcome.id == unsure.outcome.id == "share_pa_s_child_sc18_cr_oa"
    assert set(before.outcome.law.supporting) >= EVERY_KIND
    # The path holds only what the facts said.
    assert "organisation_kind" not in [s.fact for s in before.path]
    school = decide(england, {**facts, "organisation_kind": "maintained_school"})
    assert set(school.outcome.law.supporting) & FUNCTIONS == OWN["maintained_school"]
    assert [s.fact for s in school.path][-1] == "organisation_kind"


def test_a_fact_without_a_default_is_still_missing(england: CompiledTree) -> None:
    facts = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
    del facts["sharer"]
    with pytest.raises(FactsError, match="missing fact 'sharer'"):
        decide(england, facts)


def test_a_default_must_be_one_of_the_facts_values() -> None:
    with pytest.raises(ValidationError, match="default 'maybe' is not one of its values"):
        Fact(ask="Which?", values={"a": "one", "unsure": "not sure"}, default="maybe")
    assert Fact(ask="Which?", values={"a": "one", "unsure": "?"}, default="unsure").default


def test_the_vocabulary_says_the_kind_is_the_organisations_and_defaults_to_not_sure(
    england: CompiledTree,
) -> None:
    fact = england.vocabulary["organisation_kind"]
    assert fact.scope == "organisation" and fact.default == "unsure"
    assert [n for n in england.vocabulary.names() if england.vocabulary[n].default] == [
        "organisation_kind"
    ]


def test_training_never_marks_the_kind_wrong_where_the_scenario_does_not_say(
    england: CompiledTree,
) -> None:
    """A trainee at a school answers "a maintained school" to a scenario written before the
    question existed: the debrief takes the answer as theirs, with the same outcome."""
    from sharewise.domain.training import debrief
    from sharewise.domain.walk import Walk

    facts = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
    walk = Walk(england)
    while not walk.finished:
        walk.answer_from({**facts, "organisation_kind": "maintained_school"})
    trainee = walk.result()
    assert [s.fact for s in trainee.path][-1] == "organisation_kind"
    found = debrief(england, facts, trainee)
    assert found.same_outcome and "_ms_" in found.model.outcome.id
    assert found.correct_count == len(found.answers)


def test_a_reassessment_of_an_earlier_record_offers_not_sure_for_the_kind(
    england: CompiledTree,
) -> None:
    """A record decided before the question existed: reassessing it offers "not sure" (what
    `records replay` decides it with), so keeping every answer changes nothing."""
    from sharewise.domain.reassess import earlier_answers, earlier_choice
    from sharewise.domain.walk import Walk

    facts = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
    before = decide(england, facts)
    walk = Walk(england)
    earlier = earlier_answers(before)
    while not walk.finished:
        choice = earlier_choice(walk, earlier)
        assert choice is not None, walk.question
        walk.choose(choice)
    assert walk.result().outcome.id == before.outcome.id
    assert walk.steps()[-1].fact == "organisation_kind" and walk.steps()[-1].answer == "unsure"
