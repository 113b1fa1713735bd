"""Properties of `decide` on the England tree, whose paired questions settle two facts at once.

Given every fact, a case is always decided and its path agrees with the facts; a fact the
path does not hold was never needed, so leaving it out never changes the outcome.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise import paths
from sharewise.domain.decide import decide
from sharewise.domain.errors import FactsError
from sharewise.domain.graph import CompiledTree, load_tree


@cache
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


@st.composite
def every_fact(draw: st.DrawFn) -> dict[str, str]:
    vocabulary = england().vocabulary
    return {
        name: draw(st.sampled_from(list(vocabulary[name].values))) for name in vocabulary.names()
    }


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(facts=every_fact())
def test_every_fact_given_decides_and_the_path_agrees(facts: dict[str, str]) -> None:
    result = decide(england(), facts)
    asked = [(s.node, s.fact) for s in result.path]
    assert len(asked) == len(set(asked)), "a fact recorded twice at one question"
    answers = {s.fact: s.answer for s in result.path}
    assert len(answers) == len(result.path), "a fact recorded at two questions"
    assert answers.items() <= facts.items()


@PROPERTY
@given(facts=every_fact(), data=st.data())
def test_a_fact_off_the_path_never_changes_the_outcome(
    facts: dict[str, str], data: st.DataObject
) -> None:
    tree = england()
    result = decide(tree, facts)
    on_path = {s.fact for s in result.path}
    off_path = sorted(set(facts) - on_path)
    if not off_path:
        return
    dropped = data.draw(st.sets(st.sampled_from(off_path), min_size=1), label="dropped")
    fewer = {k: v for k, v in facts.items() if k not in dropped}
    again = decide(tree, fewer)
    assert again.outcome.id == result.outcome.id
    assert again.path == result.path


@PROPERTY
@given(facts=every_fact(), data=st.data())
def test_a_fact_left_out_is_named_or_could_not_have_mattered(
    facts: dict[str, str], data: st.DataObject
) -> None:
    """Leaving out a fact the path holds stops with that fact named, unless only a paired
    answer settled it and every value of it leads to the same outcome."""
    tree = england()
    result = decide(tree, facts)
    gone = data.draw(st.sampled_from([s.fact for s in result.path]), label="gone")
    fewer = {k: v for k, v in facts.items() if k != gone}
    try:
        again = decide(tree, fewer)
    except FactsError as exc:
        assert f"missing fact {gone!r}" in exc.render()
        return
    primary = {tree.question(s.node).fact for s in result.path}
    assert gone not in primary, "a question's own fact was not needed"
    assert again.outcome.id == result.outcome.id
    assert gone not in {s.fact for s in again.path}
    assert {s.fact: s.answer for s in again.path}.items() <= fewer.items()
