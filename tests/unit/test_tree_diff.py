"""The diff's own replay (`land`) agrees with deciding in full, and a tree compared with
itself changes nothing, whatever answers are given (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sharewise.domain.decide import decide
from sharewise.domain.errors import FactsError
from sharewise.domain.graph import load_tree
from sharewise.domain.tree_diff import Case, Replayer, Source, group, land, path_cases

ROOT = Path(__file__).resolve().parents[2]
TREES = [ROOT / "tests" / "fixtures" / "trees" / n for n in ("example.yaml", "paired.yaml")]
LOADED = [load_tree(t) for t in TREES]


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, dict[str, str]]:
    """A tree, and any values for any of its facts (a partial or odd set is fine)."""
    index = draw(st.sampled_from(range(len(LOADED))))
    tree = LOADED[index]
    facts = sorted({q.fact for q in tree.model.questions.values()})
    chosen = draw(st.lists(st.sampled_from(facts), unique=True))
    return index, {f: draw(st.sampled_from(list(tree.vocabulary[f].values))) for f in chosen}


@settings(max_examples=150, deadline=None)
@given(answers())
def test_land_agrees_with_decide(case: tuple[int, dict[str, str]]) -> None:
    index, facts = case
    tree = LOADED[index]
    landed = land(tree, facts)
    try:
        full = decide(tree, facts)
    except FactsError:
        assert not landed.decided and landed.gap
        return
    assert (landed.decision, landed.title, landed.citations) == (
        full.decision.value,
        full.outcome.title,
        tuple(full.citations),
    )
    assert landed.asked == {s.fact for s in full.path}


@settings(max_examples=60, deadline=None)
@given(answers())
def test_a_tree_against_itself_changes_nothing(case: tuple[int, dict[str, str]]) -> None:
    index, facts = case
    tree = LOADED[index]
    on = Replayer(tree)
    extra = Case(Source.RECORD, "r", facts, on(facts), on(facts))
    groups, totals = group([*path_cases(tree, tree), extra])
    assert groups == [] and totals[Source.RECORD] == (0, 1)
    assert totals[Source.PATH][0] == 0 and totals[Source.PATH][1] > 0
