"""A walk keeps where the person struggled: questions gone back over, answers changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.result import DecisionResult
from sharewise.domain.walk import Walk

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "trees" / "example.yaml"


@pytest.fixture(scope="module")
def tree() -> CompiledTree:
    return load_tree(EXAMPLE)


def pick(walk: Walk, value: str) -> None:
    walk.choose(next(c for c in walk.choices() if c.value == value))


def counts(result: DecisionResult) -> dict[str, tuple[int, int]]:
    return {s.node: (s.revisits, s.changes) for s in result.path}


def test_a_straight_walk_has_no_revisits_and_a_start(tree: CompiledTree) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    walk = Walk(tree)
    pick(walk, "yes")
    result = walk.result()
    assert set(counts(result).values()) == {(0, 0)}
    assert result.started is not None and before <= result.started <= dt.datetime.now(dt.UTC)


def test_back_then_the_same_answer_is_a_revisit_not_a_change(tree: CompiledTree) -> None:
    walk = Walk(tree)
    pick(walk, "no")
    walk.back()
    pick(walk, "no")
    first = walk.node
    assert first != "danger"
    while not walk.finished:
        walk.choose(walk.choices()[0])
    assert counts(walk.result())["danger"] == (1, 0)


def test_a_jump_back_and_another_answer_is_a_change(tree: CompiledTree) -> None:
    walk = Walk(tree)
    pick(walk, "no")
    walk.choose(walk.choices()[0])
    walk.jump_back(0)  # to the first question, clearing both answers
    pick(walk, "unsure")
    while not walk.finished:
        walk.choose(walk.choices()[0])
    assert counts(walk.result())["danger"] == (1, 1)


def test_old_records_without_the_fields_read_as_none(tree: CompiledTree) -> None:
    walk = Walk(tree)
    pick(walk, "yes")
    data = walk.result().model_dump(mode="json")
    del data["started"]
    for step in data["path"]:
        del step["revisits"], step["changes"]
    old = DecisionResult.model_validate(data)
    assert old.started is None and all(s.revisits == 0 == s.changes for s in old.path)
