"""Deciding a case from a facts mapping, with nobody at the keyboard.

Facts files come from case systems, scenario banks and scripts; a typo in one must stop
with the fact's name and the allowed values, never guess.
"""

from __future__ import annotations

from collections.abc import Mapping

from sharewise.domain.errors import FactsError, Problem
from sharewise.domain.facts_file import load_facts
from sharewise.domain.graph import Choice, CompiledTree
from sharewise.domain.result import DecisionResult
from sharewise.domain.strict_yaml import Locator, Source
from sharewise.domain.walk import Walk, build_result


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
    try:
        route = route_facts(tree, facts)
    except MissingFact as gap:
        allowed = ", ".join(tree.vocabulary[gap.fact].values)
        raise FactsError(
            Problem(
                where.at(()),
                f"missing fact {gap.fact!r}, which the tree asks at {gap.node!r}",
                f"add '{gap.fact}: <value>' (one of: {allowed})",
            )
        ) from None
    except NoAnswerFits as gap:
        raise FactsError(
            Problem(
                where.at(()),
                f"no answer to {gap.node!r} fits {gap.given}",
                "check these facts against the question's answers (sharewise tree show)",
            )
        ) from None
    return result_of(tree, route, facts)


def result_of(
    tree: CompiledTree, route: list[Choice], facts: Mapping[str, object]
) -> DecisionResult:
    """The decided case for a route `route_facts` found.

    An answer that settles a fact the facts do not give (see `route_facts`) is not recorded
    as given: the path holds only what the facts said.
    """
    walk = Walk(tree)
    for choice in route:
        walk.choose(choice)
    steps = [s for s in walk.steps() if s.fact in facts]
    return build_result(tree, walk.node, steps)


class MissingFact(Exception):
    """The tree asks `fact` at `node` and the facts do not give it (or not enough of it)."""

    def __init__(self, node: str, fact: str) -> None:
        super().__init__(node, fact)
        self.node = node
        self.fact = fact


class NoAnswerFits(Exception):
    """The facts give values for `node` that no answer there has together."""

    def __init__(self, node: str, given: str) -> None:
        super().__init__(node, given)
        self.node = node
        self.given = given


def route_facts(
    tree: CompiledTree, facts: Mapping[str, object], node: str | None = None
) -> list[Choice]:
    """The answers the facts pick from `node` (default: the start) to an outcome.

    A fact the facts leave out is taken at its vocabulary `default` where it has one (a fact
    added later, such as `organisation_kind`); otherwise it is missing.

    A question may settle two facts with one answer (`Option.also`). If the facts give the
    question's own fact but not the other, every answer that fits is followed; when they all
    reach the same outcome the missing fact could not have changed it, so it need not be
    given (a public authority sharing nothing sensitive need not say whether it is sharing
    as a health professional). Otherwise the fact is missing, as for any question.
    """
    node = tree.start if node is None else node
    route: list[Choice] = []
    while not tree.is_outcome(node):
        q = tree.question(node)
        if q.fact not in facts:
            default = tree.vocabulary[q.fact].default
            if default is None:
                raise MissingFact(node, q.fact)
            # A fact added after the facts were written (see Fact.default): decided as
            # its default, which `result_of` leaves out of the path, as it was not given.
            facts = {**facts, q.fact: default}
        fitting = [c for c in tree.choices(node) if c.fits(facts)]
        exact = [c for c in fitting if c.settles(facts)]
        if len(exact) == 1:
            route.append(exact[0])
            node = exact[0].next
            continue
        if not fitting:
            given = ", ".join(f"{f}: {facts[f]}" for f in q.facts() if f in facts)
            raise NoAnswerFits(node, given)
        missing = next(f for f in q.facts() if f not in facts)
        ends: dict[str, list[Choice]] = {}
        for candidate in fitting:
            try:
                rest = route_facts(tree, facts, candidate.next)
            except MissingFact:
                raise MissingFact(node, missing) from None
            end = rest[-1].next if rest else candidate.next
            ends.setdefault(end, [candidate, *rest])
        if len(ends) != 1:
            raise MissingFact(node, missing)
        return [*route, *next(iter(ends.values()))]
    return route


def decide_file(facts_path: Source, tree: CompiledTree) -> DecisionResult:
    """Decide the case in a facts file."""
    facts, locator = load_facts(facts_path)
    return decide(tree, facts, locator)
