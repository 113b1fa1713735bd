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
_FROM_HERE = None


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
        # node -> (its facts, {values of those facts: the answer taken, or _FROM_HERE})
        self._nodes: dict[str, tuple[tuple[str, ...], dict[tuple[Any, ...], Choice | None]]] = {}
        self._texts: dict[tuple[tuple[Choice, ...], frozenset[str]], str] = {}

    def _node(self, node: str) -> tuple[tuple[str, ...], dict[tuple[Any, ...], Choice | None]]:
        found = self._nodes.get(node)
        if found is None:
            found = self._nodes[node] = (tuple(self.tree.question(node).facts()), {})
        return found

    def _answer(
        self, node: str, key: tuple[Any, ...], facts: Mapping[str, object]
    ) -> Choice | None:
        """The one answer at `node` these facts settle exactly (as `route_facts` picks it)."""
        choices = self.tree.choices(node)
        fitting = [c for c in choices if c.fits(facts)]
        exact = [c for c in fitting if c.settles(facts)]
        return exact[0] if len(exact) == 1 else _FROM_HERE

    def route(self, facts: Mapping[str, object]) -> tuple[Choice, ...] | None:
        """The answers `route_facts` picks, or None if it would raise (missing, no fit)."""
        tree, node = self.tree, self.tree.start
        route: list[Choice] = []
        is_outcome = tree.is_outcome
        while not is_outcome(node):
            names, answers = self._node(node)
            if names[0] not in facts:
                return None
            key = tuple(facts.get(name) for name in names)
            if key in answers:
                choice = answers[key]
            else:
                choice = answers[key] = self._answer(node, key, facts)
            if choice is _FROM_HERE:
                try:
                    return (*route, *route_facts(tree, facts, node))
                except (MissingFact, NoAnswerFits):
                    return None
            route.append(choice)
            node = choice.next
        return tuple(route)

    def text(self, facts: Mapping[str, object]) -> str | None:
        values = self.values
        for name, value in facts.items():
            allowed = values.get(name)
            if allowed is None or value.__class__ is not str or value not in allowed:
                return None
        route = self.route(facts)
        if route is None:
            return None
        key = (route, frozenset(facts))
        text = self._texts.get(key)
        if text is None:
            result = result_of(self.tree, list(route), facts)
            text = self._texts[key] = self.dumps(result.to_json_dict())
        return text
