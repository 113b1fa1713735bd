"""Validation of a parsed tree: every check named for what it checks, every problem located.

Each check returns every problem it finds (not just the first), located in the file. Targets
are checked before the graph is built, because a graph would silently create a node for a
misspelt `next`. The graph checks work on plain dictionaries (`_Graph`): networkx takes
longer to import than the whole check of the England tree, and is imported here only to name
the cycle in a tree that has one (`nx.find_cycle`, whose report the fixtures pin), and by
`build_graph` for diagrams and tree authors' tools.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sharewise.domain.citations import Registry
from sharewise.domain.errors import Location, Problem, TreeError
from sharewise.domain.facts import Vocabulary
from sharewise.domain.source_text import Locator
from sharewise.domain.tree import Question, TreeFile

if TYPE_CHECKING:
    import networkx as nx


def validate_tree(
    model: TreeFile, locator: Locator, vocabulary: Vocabulary, registry: Registry
) -> None:
    """Raise TreeError listing every problem with the tree, or return if there is none.

    That every path ends at an outcome needs no check of its own: each question has at least
    one option (the model), every target exists (checked here) and there is no cycle, so every
    walk ends at a node with no way on, which can only be an outcome.
    """
    ctx = _Context(model, locator, vocabulary, registry)
    problems: list[Problem] = []
    for check in PRE_GRAPH_CHECKS:
        problems += check(ctx)
    if problems:
        # Graph checks would only repeat these problems in other words.
        raise TreeError(_sorted(problems))
    graph = _Graph.of(model)
    for graph_check in GRAPH_CHECKS:
        problems += graph_check(ctx, graph)
    if problems:
        raise TreeError(_sorted(problems))


def build_graph(model: TreeFile) -> nx.DiGraph:
    """The tree as a networkx directed graph: an edge for every option and default branch."""
    import networkx as nx

    graph = nx.DiGraph()
    for oid in model.outcomes:
        graph.add_node(oid, kind="outcome")
    for qid, q in model.questions.items():
        graph.add_node(qid, kind="question")
        for option in q.options:
            graph.add_edge(qid, option.next)
        if q.otherwise is not None:
            graph.add_edge(qid, q.otherwise)
    return graph


@dataclass(frozen=True)
class _Graph:
    """The tree's edges in plain dictionaries, in the order `build_graph` adds them: every
    outcome, then each question as it is first met (as a question or as a target)."""

    model: TreeFile
    #: node -> the nodes its options and default lead to (no repeats), every node a key
    edges: dict[str, dict[str, None]]

    @classmethod
    def of(cls, model: TreeFile) -> _Graph:
        edges: dict[str, dict[str, None]] = {oid: {} for oid in model.outcomes}
        for qid, q in model.questions.items():
            out = edges.setdefault(qid, {})
            for target in [*(o.next for o in q.options), *([q.otherwise] if q.otherwise else [])]:
                edges.setdefault(target, {})
                out[target] = None
        return cls(model, edges)

    def topological(self) -> list[str] | None:
        """Every node, each after every node leading to it; None if there is a cycle."""
        waiting = dict.fromkeys(self.edges, 0)
        for out in self.edges.values():
            for target in out:
                waiting[target] += 1
        ready = [n for n, k in waiting.items() if k == 0]
        order: list[str] = []
        while ready:
            node = ready.pop()
            order.append(node)
            for target in self.edges[node]:
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
        return order if len(order) == len(self.edges) else None

    def descendants(self, start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for target in self.edges[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen


@dataclass
class _Context:
    model: TreeFile
    locator: Locator
    vocabulary: Vocabulary
    registry: Registry

    def q_at(self, node: str, *rest: str | int) -> Location:
        return self.locator.at(("questions", node, *rest))

    def o_at(self, node: str, *rest: str | int) -> Location:
        return self.locator.at(("outcomes", node, *rest))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line, p.location.column, p.message))


# --- checks before the graph exists ----------------------------------------------------------
def check_ids_unique(ctx: _Context) -> list[Problem]:
    """A node id names either a question or an outcome, never both."""
    return [
        Problem(
            ctx.locator.key_at(("outcomes", oid)),
            f"{oid!r} is both a question and an outcome",
            "rename one of them",
        )
        for oid in ctx.model.outcomes
        if oid in ctx.model.questions
    ]


def check_targets_exist(ctx: _Context) -> list[Problem]:
    """The start and every `next`/`otherwise` name a node that exists."""
    nodes = set(ctx.model.questions) | set(ctx.model.outcomes)
    problems: list[Problem] = []
    if ctx.model.start not in nodes:
        problems.append(
            Problem(
                ctx.locator.at(("start",)),
                f"start node {ctx.model.start!r} does not exist",
                "name one of the questions",
            )
        )
    for qid, q in ctx.model.questions.items():
        for i, option in enumerate(q.options):
            if option.next not in nodes:
                problems.append(
                    Problem(
                        ctx.q_at(qid, "options", i, "next"),
                        f"{qid}: option {option.value!r} leads to "
                        f"{option.next!r}, which does not exist",
                        _did_you_mean(option.next, nodes),
                    )
                )
        if q.otherwise is not None and q.otherwise not in nodes:
            problems.append(
                Problem(
                    ctx.q_at(qid, "otherwise"),
                    f"{qid}: otherwise leads to {q.otherwise!r}, which does not exist",
                    _did_you_mean(q.otherwise, nodes),
                )
            )
    return problems


def check_facts_and_values(ctx: _Context) -> list[Problem]:
    """Each question binds a known fact; each option a distinct value of it; all values covered."""
    problems: list[Problem] = []
    for qid, q in ctx.model.questions.items():
        if q.fact not in ctx.vocabulary:
            problems.append(
                Problem(
                    ctx.q_at(qid, "fact"),
                    f"{qid}: unknown fact {q.fact!r}",
                    _did_you_mean(q.fact, set(ctx.vocabulary.names())),
                )
            )
            continue
        values = ctx.vocabulary[q.fact].values
        seen: set[str] = set()
        combos: set[tuple[str, frozenset[tuple[str, str]]]] = set()
        for i, option in enumerate(q.options):
            bad_also = _also_problems(ctx, qid, q.fact, i, option.also)
            problems += bad_also
            combo = (option.value, frozenset(option.also.items()))
            if option.value not in values:
                problems.append(
                    Problem(
                        ctx.q_at(qid, "options", i, "value"),
                        f"{qid}: {option.value!r} is not a value of fact {q.fact!r}",
                        "use one of: " + ", ".join(values),
                    )
                )
            elif combo in combos:
                what = f"value {option.value!r}" + (
                    " with " + _show(option.also) if option.also else ""
                )
                problems.append(
                    Problem(
                        ctx.q_at(qid, "options", i, "value"),
                        f"{qid}: {what} is listed twice",
                        "keep one option per value",
                    )
                )
            seen.add(option.value)
            if not bad_also:
                combos.add(combo)
        problems += _also_coverage(ctx, qid, q)
        missing = [v for v in values if v not in seen]
        if missing and q.otherwise is None:
            problems.append(
                Problem(
                    ctx.locator.key_at(("questions", qid)),
                    f"{qid}: values of {q.fact!r} with no option: {', '.join(missing)}",
                    "add an option for each, or an 'otherwise:' branch",
                )
            )
        if not missing and q.otherwise is not None:
            problems.append(
                Problem(
                    ctx.q_at(qid, "otherwise"),
                    f"{qid}: 'otherwise' can never be taken: every value has its own option",
                    "remove 'otherwise'",
                )
            )
    return problems


def _show(also: dict[str, str]) -> str:
    return ", ".join(f"{f}: {v}" for f, v in also.items())


def _also_problems(
    ctx: _Context, qid: str, own: str, i: int, also: dict[str, str]
) -> list[Problem]:
    """An option's `also` names known facts, other than the question's own, with their values."""
    problems: list[Problem] = []
    for fact, value in also.items():
        # Places only for a problem: the locator is read only to place one (parse_ahead).
        if fact == own:
            problems.append(
                Problem(
                    ctx.locator.key_at(("questions", qid, "options", i, "also", fact)),
                    f"{qid}: 'also' repeats the question's own fact {own!r}",
                    "remove it",
                )
            )
        elif fact not in ctx.vocabulary:
            problems.append(
                Problem(
                    ctx.locator.key_at(("questions", qid, "options", i, "also", fact)),
                    f"{qid}: unknown fact {fact!r} in 'also'",
                    _did_you_mean(fact, set(ctx.vocabulary.names())),
                )
            )
        elif value not in ctx.vocabulary[fact].values:
            problems.append(
                Problem(
                    ctx.q_at(qid, "options", i, "also", fact),
                    f"{qid}: {value!r} is not a value of fact {fact!r}",
                    "use one of: " + ", ".join(ctx.vocabulary[fact].values),
                )
            )
    return problems


def _also_coverage(ctx: _Context, qid: str, q: Question) -> list[Problem]:
    """Options sharing a value settle the same further facts, for every value of those facts.

    Otherwise a facts file (or a person) could hold a combination no answer offers, and a
    case would stop with nowhere to go.
    """
    problems: list[Problem] = []
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for i, option in enumerate(q.options):
        groups.setdefault(option.value, []).append((i, option.also))
    for value, members in groups.items():
        keys = set(members[0][1])
        if any(set(also) != keys for _, also in members):
            problems.append(
                Problem(
                    ctx.q_at(qid, "options", members[0][0], "value"),
                    f"{qid}: the options for {value!r} settle different facts in 'also'",
                    "give every option with this value the same facts in 'also'",
                )
            )
            continue
        if not keys or q.fact in keys or any(k not in ctx.vocabulary for k in keys):
            continue  # nothing paired, or a mistake in 'also' already reported
        have = {tuple(also[k] for k in sorted(keys)) for _, also in members}
        lacking = [
            combo
            for combo in itertools.product(*(ctx.vocabulary[k].values for k in sorted(keys)))
            if combo not in have
        ]
        if lacking:
            shown = "; ".join(
                ", ".join(f"{k}: {v}" for k, v in zip(sorted(keys), combo, strict=True))
                for combo in lacking
            )
            problems.append(
                Problem(
                    ctx.q_at(qid, "options", members[0][0], "value"),
                    f"{qid}: no option for {value!r} with {shown}",
                    "add an option for each combination",
                )
            )
    return problems


def check_citations_known(ctx: _Context) -> list[Problem]:
    """Every cited id is in the registry (a misspelt id would cite nothing)."""
    problems: list[Problem] = []
    known = set(ctx.registry.root)
    for oid, outcome in ctx.model.outcomes.items():
        for group in outcome.law.GROUPS:
            for i, cid in enumerate(getattr(outcome.law, group)):
                if cid not in ctx.registry:
                    problems.append(
                        Problem(
                            ctx.o_at(oid, "law", group, i),
                            f"{oid}: citation {cid!r} is not in the registry",
                            _did_you_mean(cid, known),
                        )
                    )
    return problems


PRE_GRAPH_CHECKS: tuple[Callable[[_Context], list[Problem]], ...] = (
    check_ids_unique,
    check_targets_exist,
    check_facts_and_values,
    check_citations_known,
)


# --- checks on the graph ---------------------------------------------------------------------
def check_no_cycles(ctx: _Context, graph: _Graph) -> list[Problem]:
    """A walk must always end: no question may lead back to itself."""
    if graph.topological() is not None:
        return []
    import networkx as nx  # only here, to report the same cycle as always

    cycle = nx.find_cycle(build_graph(ctx.model), source=None)
    nodes = [edge[0] for edge in cycle]
    trail = " -> ".join([*nodes, nodes[0]])
    return [
        Problem(
            ctx.locator.key_at(("questions", nodes[0])),
            f"cycle: {trail}",
            "point one of these options at a later question or an outcome",
        )
    ]


def check_all_reachable(ctx: _Context, graph: _Graph) -> list[Problem]:
    """Every node can be reached from the start (an unreachable node is dead text)."""
    reached = graph.descendants(ctx.model.start) | {ctx.model.start}
    problems = []
    for node in graph.edges:
        if node not in reached:
            kind = "questions" if node in ctx.model.questions else "outcomes"
            problems.append(
                Problem(
                    ctx.locator.key_at((kind, node)),
                    f"{node!r} cannot be reached from the start",
                    "lead an option to it, or remove it",
                )
            )
    return problems


def check_fact_asked_once(ctx: _Context, graph: _Graph) -> list[Problem]:
    """No path asks the same fact twice (the second answer could contradict the first)."""
    order = graph.topological()
    if order is None:
        return []
    facts = {qid: set(q.facts()) for qid, q in ctx.model.questions.items()}
    # First the facts asked on some path before each node (fewer than the nodes): where none
    # is a question's own, as everywhere in a valid tree, no earlier question is looked at.
    above: dict[str, set[str]] = {node: set() for node in order}
    for node in order:
        for target in graph.edges[node]:
            above[target] |= above[node]
            above[target] |= facts.get(node, set())
    twice = [qid for qid in ctx.model.questions if facts[qid] & above[qid]]
    if not twice:
        return []
    # Each node's ancestors, built in an order where every node comes after those before it.
    ancestors: dict[str, set[str]] = {node: set() for node in order}
    for node in order:
        for target in graph.edges[node]:
            ancestors[target] |= ancestors[node]
            ancestors[target].add(node)
    problems = []
    for qid in twice:
        for earlier in sorted(ancestors[qid]):
            other = ctx.model.questions.get(earlier)
            if other is None:
                continue
            for fact in sorted(facts[qid] & facts[earlier]):
                problems.append(
                    Problem(
                        ctx.locator.key_at(("questions", qid)),
                        f"{qid}: fact {fact!r} is already asked by "
                        f"{earlier!r} on a path leading here",
                        "route around the second question, or ask another fact",
                    )
                )
    return problems


GRAPH_CHECKS: tuple[Callable[[_Context, _Graph], list[Problem]], ...] = (
    check_no_cycles,
    check_all_reachable,
    check_fact_asked_once,
)


def _did_you_mean(name: str, known: set[str]) -> str:
    import difflib  # only for a problem

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean {close[0]!r}?" if close else "check the spelling"
