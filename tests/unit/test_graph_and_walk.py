"""The compiled graph and the walk engine, on the small example tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharewise.domain.errors import FactsError, InputError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.tree import Decision
from sharewise.domain.walk import Walk


@pytest.fixture()
def tree(example_tree_path: Path) -> CompiledTree:
    return load_tree(example_tree_path)


def test_paths_enumerate_every_combination(tree: CompiledTree) -> None:
    paths = list(tree.paths())
    described = {p.describe() for p in paths}
    assert "danger=yes -> act_now" in described
    assert "danger=no > identifiable=yes > sharer=competent_authority -> ask_now" in described
    # Every value of every fact asked is somewhere on a path.
    for qid, q in tree.model.questions.items():
        seen = {s.value for p in paths for s in p.steps if s.node == qid}
        assert seen == set(tree.vocabulary[q.fact].values)


def test_otherwise_values_are_offered_as_choices(tree: CompiledTree) -> None:
    values = [c.value for c in tree.choices("sharer")]
    assert values[:2] == ["public_authority", "other_organisation"]
    assert "competent_authority" in values
    by_value = {c.value: c.next for c in tree.choices("sharer")}
    assert by_value["competent_authority"] == "ask_now"
    assert "no_such_value" not in by_value


def test_reachable_outcomes_narrow_as_the_walk_goes(tree: CompiledTree) -> None:
    walk = Walk(tree)
    everything = {o.title for o in walk.reachable_outcomes()}
    walk.answer("no")
    walk.answer("yes")
    narrowed = {o.title for o in walk.reachable_outcomes()}
    assert narrowed < everything
    assert "Act now" not in narrowed
    assert "ukgdpr.art6.1e" in walk.citations_in_play()
    assert "ukgdpr.art6.1d" not in walk.citations_in_play()


def test_answer_back_and_jump_back(tree: CompiledTree) -> None:
    walk = Walk(tree)
    walk.answer("no")
    walk.answer("yes")
    walk.answer("public_authority")
    assert walk.finished and walk.outcome is not None
    assert walk.outcome.decision is Decision.SHARE
    walk.back()
    assert walk.node == "sharer" and not walk.finished
    assert [a.node for a in walk.would_clear(1)] == ["identifiable"]
    cleared = walk.jump_back(0)
    assert [a.node for a in cleared] == ["danger", "identifiable"]
    assert walk.node == "danger" and walk.answers == []
    walk.back()  # at the start, back does nothing
    assert walk.node == "danger"


def test_bad_answer_names_the_fact_and_values(tree: CompiledTree) -> None:
    walk = Walk(tree)
    with pytest.raises(InputError, match="immediate_danger") as info:
        walk.answer("maybe")
    assert "yes, no, unsure" in info.value.render()


def test_result_records_the_path(tree: CompiledTree) -> None:
    walk = Walk(tree)
    for value in ("no", "yes", "other_organisation"):
        walk.answer(value)
    result = walk.result()
    assert [s.answer for s in result.path] == ["no", "yes", "other_organisation"]
    assert result.citations == ["ukgdpr.art6.1ea", "ukgdpr.annex1.para6"]
    assert result.tree.id == "example" and len(result.tree.sha256) == 64
    data = result.to_json_dict()
    assert set(data) >= {"decision", "outcome", "citations", "path", "tree"}
    assert data["path"][0] == {"node": "danger", "fact": "immediate_danger", "answer": "no"}


def test_result_before_outcome_is_an_error(tree: CompiledTree) -> None:
    with pytest.raises(InputError, match="no outcome yet"):
        Walk(tree).result()


def test_decide_from_facts(tree: CompiledTree) -> None:
    from sharewise.domain.decide import decide

    result = decide(
        tree, {"immediate_danger": "no", "identifiable": "no", "sharer": "public_authority"}
    )
    assert result.decision is Decision.NO_PERSONAL_DATA
    assert [s.fact for s in result.path] == ["immediate_danger", "identifiable"]


@pytest.mark.parametrize(
    ("facts", "fragment"),
    [
        ({"immediate_danger": "no"}, "missing fact 'identifiable'"),
        ({"immediate_danger": "perhaps"}, "'perhaps' is not a value"),
        ({"immediate_danger": "no", "identifiabel": "yes"}, "unknown fact 'identifiabel'"),
        ({"immediate_danger": True}, "True is not a value"),
    ],
)
def test_decide_names_the_bad_fact(
    tree: CompiledTree, facts: dict[str, object], fragment: str
) -> None:
    from sharewise.domain.decide import decide

    with pytest.raises(FactsError, match=fragment):
        decide(tree, facts)


def test_facts_file_errors_are_located(tree: CompiledTree, tmp_path: Path) -> None:
    from sharewise.domain.decide import decide_file

    f = tmp_path / "facts.yaml"
    f.write_text('immediate_danger: "no"\nidentifiable: maybe\n')
    with pytest.raises(FactsError) as info:
        decide_file(f, tree)
    assert info.value.render().startswith(f"{f}:2:15: identifiable: 'maybe'")
