"""Deciding thousands of cases at once (`decide --batch`): the same answers as `decide`,
without redoing per case what depends only on the tree.

A case system exporting a day's referrals sends thousands of lines, most of them shaped
alike. Per line, `decide` rebuilds every question's answers, walks the tree, builds the
result's models and serialises them: about 200 µs. Here each question's answer is worked out
once for each combination of the values that can change it, and each distinct result is
serialised once (a route and the set of facts given fix it byte for byte), so a line costs
a few dictionary lookups. Anything out of the ordinary (an unknown fact or value, a missing
fact, a question two answers fit) goes to `decide` itself, so every message is the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sharewise.domain.decide import MissingFact, NoAnswerFits, result_of, route_facts
from sharewise.domain.graph import Choice, CompiledTree

#: Marks a question whose answer `route_facts` must work out from there (several fit).
_FROM_HERE = (None, -1)
_NOTHING: frozenset[str] = frozenset()


class BatchDecider:
    """`decide(tree, facts).to_json_dict()` as JSON text, remembered per node and per result.

    `text(facts)` returns the line `decide --batch` writes for a valid case, or None when
    the case is not a plain one (the caller then asks `decide`, which explains the problem).
    """

    def __init__(
        self,
        tree: CompiledTree,
        dumps: Callable[[Any], str] = lambda v: json.dumps(v, ensure_ascii=False),
    ) -> None:
        self.tree = tree
        self.dumps = dumps
        self.values = {name: frozenset(fact.values) for name, fact in tree.vocabulary.root.items()}
        # A fact the facts leave out is decided at its default, if it has one (see decide).
        self.defaults = tree.vocabulary.defaults()
        self._outcomes = frozenset(tree.model.outcomes)
        # node -> (its facts, {their values (one fact: the value itself): (answer, number)})
        self._nodes: dict[str, tuple[tuple[str, ...], dict[Any, tuple[Choice | None, int]]]] = {}
        # Every answer taken so far, by number: a route is a tuple of small integers.
        self._choices: list[Choice] = []
        self._numbers: dict[Choice, int] = {}
        self._texts: dict[tuple[tuple[int, ...], frozenset[str]], str] = {}

    def _node(self, node: str) -> tuple[tuple[str, ...], dict[Any, tuple[Choice | None, int]]]:
        found = self._nodes[node] = (tuple(self.tree.question(node).facts()), {})
        return found

    def _number(self, choice: Choice) -> int:
        number = self._numbers.get(choice)
        if number is None:
            number = self._numbers[choice] = len(self._choices)
            self._choices.append(choice)
        return number

    def _answer(self, node: str, facts: Mapping[str, object]) -> tuple[Choice | None, int]:
        """The one answer at `node` these facts settle exactly (as `route_facts` picks it)."""
        fitting = [c for c in self.tree.choices(node) if c.fits(facts)]
        exact = [c for c in fitting if c.settles(facts)]
        if len(exact) != 1:
            return _FROM_HERE
        return exact[0], self._number(exact[0])

    def route(self, facts: Mapping[str, object]) -> list[int] | None:
        """The answers `route_facts` picks, by number, or None if it would raise."""
        node, get = self.tree.start, facts.get
        route: list[int] = []
        outcomes, nodes = self._outcomes, self._nodes
        while node not in outcomes:
            names, answers = nodes.get(node) or self._node(node)
            if len(names) == 1:
                key: Any = get(names[0])
                if key is None:
                    key = self.defaults.get(names[0])
                    if key is None:
                        return None
                    facts = {**facts, names[0]: key}
                    get = facts.get
            elif names[0] in facts:
                key = tuple(map(get, names))
            else:
                return None
            hit = answers.get(key)
            if hit is None:
                hit = answers[key] = self._answer(node, facts)
            choice, number = hit
            if choice is None:
                try:
                    rest = route_facts(self.tree, facts, node)
                except (MissingFact, NoAnswerFits):
                    return None
                return [*route, *map(self._number, rest)]
            route.append(number)
            node = choice.next
        return route

    def text(self, facts: Mapping[str, object]) -> str | None:
        values = self.values
        try:
            for name, value in facts.items():
                if value not in values.get(name, _NOTHING) or value.__class__ is not str:
                    return None
        except TypeError:  # a list or an object as a value: `decide` says what is wrong
            return None
        route = self.route(facts)
        if route is None:
            return None
        key = (tuple(route), frozenset(facts))
        text = self._texts.get(key)
        if text is None:
            choices = [self._choices[n] for n in route]
            text = self._texts[key] = self.dumps(
                result_of(self.tree, choices, facts).to_json_dict()
            )
        return text
