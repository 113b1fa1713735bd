"""Deciding a case from a facts mapping, with nobody at the keyboard.

Facts files come from case systems, scenario banks and scripts; a typo in one must stop
with the fact's name and the allowed values, never guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sharewise.domain.errors import FactsError, Location, Problem
from sharewise.domain.graph import CompiledTree
from sharewise.domain.result import DecisionResult
from sharewise.domain.strict_yaml import Locator, load_yaml_file
from sharewise.domain.walk import Walk


def decide(
    tree: CompiledTree, facts: Mapping[str, object], locator: Locator | None = None
) -> DecisionResult:
    """Walk `tree` with the answers in `facts`; raise FactsError naming any bad fact."""
    where = locator or Locator("facts")
    problems: list[Problem] = []
    for name, value in facts.items():
        if name not in tree.vocabulary:
            problems.append(
                Problem(
                    where.key_at((name,)),
                    f"unknown fact {name!r}",
                    "check the spelling against the fact vocabulary",
                )
            )
        elif not isinstance(value, str) or value not in tree.vocabulary[name].values:
            allowed = ", ".join(tree.vocabulary[name].values)
            problems.append(
                Problem(
                    where.at((name,)),
                    f"{name}: {value!r} is not a value of this fact",
                    f"use one of: {allowed}",
                )
            )
    if problems:
        raise FactsError(problems)
    walk = Walk(tree)
    while not walk.finished:
        q = tree.question(walk.node)
        if q.fact not in facts:
            allowed = ", ".join(tree.vocabulary[q.fact].values)
            raise FactsError(
                Problem(
                    where.at(()),
                    f"missing fact {q.fact!r}, which the tree asks at {walk.node!r}",
                    f"add '{q.fact}: <value>' (one of: {allowed})",
                )
            )
        walk.answer(str(facts[q.fact]))
    return walk.result()


def load_facts(path: str | Path) -> tuple[dict[str, object], Locator]:
    """Read a facts file (a YAML or JSON mapping of fact to value)."""
    data, locator = load_yaml_file(path)
    if not isinstance(data, dict):
        raise FactsError(
            Problem(
                Location(str(path), 1, 1),
                "a facts file must be a mapping of fact: value",
                "write one 'fact: value' per line",
            )
        )
    # A scenario file keeps its facts under `facts:`; accept it as it is.
    if isinstance(data.get("facts"), dict) and "expect" in data:
        inner: dict[str, object] = data["facts"]
        return inner, _sub_locator(locator, "facts")
    return data, locator


def _sub_locator(locator: Locator, key: str) -> Locator:
    marks = {}
    for path, mark in locator.marks.items():
        if path[:1] == (key,):
            marks[path[1:]] = mark
        elif path[:2] == ("#key", key):
            marks[("#key", *path[2:])] = mark
    return Locator(locator.file, marks)


def decide_file(facts_path: str | Path, tree: CompiledTree) -> DecisionResult:
    """Decide the case in a facts file."""
    facts, locator = load_facts(facts_path)
    return decide(tree, facts, locator)
