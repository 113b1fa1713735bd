"""A tree file compiled into a validated networkx graph, with the queries a walk needs.

Validation is a list of small checks, each named for what it checks and each returning every
problem it finds (not just the first), located in the file. Targets are checked before the
graph is built, because networkx would silently create a node for a misspelt `next`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx

from sharewise import paths
from sharewise.domain.citations import Registry, load_registry
from sharewise.domain.errors import Location, Problem, TreeError
from sharewise.domain.facts import Vocabulary, load_vocabulary
from sharewise.domain.loader import validate_data
from sharewise.domain.result import TreeRef
from sharewise.domain.strict_yaml import Locator, load_yaml_bytes, read_source
from sharewise.domain.tree import Outcome, Question, TreeFile


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer a person can pick at a question, and where it leads."""

    value: str
    label: str
    next: str


@dataclass(frozen=True, slots=True)
class PathStep:
    """One question on a root-to-outcome path, with the value that led on."""

    node: str
    fact: str
    value: str


@dataclass(frozen=True, slots=True)
class TreePath:
    """A whole path from the start to an outcome: every combination of answers is one of these."""

    steps: tuple[PathStep, ...]
    outcome: str

    def answers(self) -> dict[str, str]:
        return {s.fact: s.value for s in self.steps}

    def describe(self) -> str:
        trail = " > ".join(f"{s.node}={s.value}" for s in self.steps)
        return f"{trail} -> {self.outcome}" if trail else f"-> {self.outcome}"


@dataclass
class CompiledTree:
    """A validated tree: the model, its graph, and where each part was written."""

    model: TreeFile
    source: str
    sha256: str
    locator: Locator
    vocabulary: Vocabulary
    registry: Registry
    graph: nx.DiGraph = field(repr=False)

    # --- lookups -------------------------------------------------------------------------
    @property
    def start(self) -> str:
        return self.model.start

    def is_outcome(self, node: str) -> bool:
        return node in self.model.outcomes

    def question(self, node: str) -> Question:
        return self.model.questions[node]

    def outcome(self, node: str) -> Outcome:
        return self.model.outcomes[node]

    def ref(self) -> TreeRef:
        m = self.model
        return TreeRef(
            id=m.id, title=m.title, version=m.version, law_as_at=m.law_as_at, sha256=self.sha256
        )

    def choices(self, node: str) -> list[Choice]:
        """The answers offered at a question: its options, then any values its default covers.

        Values routed by `otherwise` are offered too (labelled from the vocabulary), so a person
        can give every answer a facts file can.
        """
        q = self.question(node)
        listed = [Choice(o.value, o.label, o.next) for o in q.options]
        if q.otherwise is None:
            return listed
        have = {o.value for o in q.options}
        fact = self.vocabulary[q.fact]
        extra = [
            Choice(v, meaning[:1].upper() + meaning[1:], q.otherwise)
            for v, meaning in fact.values.items()
            if v not in have
        ]
        return listed + extra

    def route(self, node: str, value: str) -> str | None:
        """Where `value` leads from question `node`, or None if the fact has no such value."""
        q = self.question(node)
        for option in q.options:
            if option.value == value:
                return option.next
        if q.otherwise is not None and value in self.vocabulary[q.fact].values:
            return q.otherwise
        return None

    def reachable_outcomes(self, node: str) -> list[str]:
        """Outcome ids still reachable from `node`, in file order (why a question is asked)."""
        return self._reachable[node]

    @cached_property
    def _reachable(self) -> dict[str, list[str]]:
        order = {oid: i for i, oid in enumerate(self.model.outcomes)}
        out: dict[str, list[str]] = {}
        for node in self.graph.nodes:
            if self.is_outcome(node):
                out[node] = [node]
                continue
            found = [n for n in nx.descendants(self.graph, node) if self.is_outcome(n)]
            out[node] = sorted(found, key=order.__getitem__)
        return out

    def paths(self) -> Iterator[TreePath]:
        """Every root-to-outcome path, one per distinct combination of answers that matters."""
        stack: list[tuple[str, tuple[PathStep, ...]]] = [(self.start, ())]
        while stack:
            node, steps = stack.pop()
            if self.is_outcome(node):
                yield TreePath(steps, node)
                continue
            q = self.question(node)
            for choice in reversed(self.choices(node)):
                stack.append((choice.next, (*steps, PathStep(node, q.fact, choice.value))))

    def outcome_location(self, outcome: str) -> Location:
        return self.locator.key_at(("outcomes", outcome))

    def question_location(self, node: str) -> Location:
        return self.locator.key_at(("questions", node))


# --- loading ---------------------------------------------------------------------------------
def load_tree(
    path: str | Path,
    vocabulary: Vocabulary | None = None,
    registry: Registry | None = None,
) -> CompiledTree:
    """Load, validate and compile a tree file; raise TreeError listing every problem."""
    raw = read_source(path)
    name = str(path)
    data, locator = load_yaml_bytes(raw, name)
    model = validate_data(data, locator, TreeFile, "decision tree")
    vocab = vocabulary if vocabulary is not None else load_vocabulary(paths.facts_path())
    reg = registry if registry is not None else load_registry(paths.citations_path())
    return compile_tree(model, locator, vocab, reg, name, hashlib.sha256(raw).hexdigest())


def compile_tree(
    model: TreeFile,
    locator: Locator,
    vocabulary: Vocabulary,
    registry: Registry,
    source: str,
    sha256: str,
) -> CompiledTree:
    """Validate a parsed tree and build its graph; raise TreeError with every problem.

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
    graph = _build_graph(model)
    for graph_check in GRAPH_CHECKS:
        problems += graph_check(ctx, graph)
    if problems:
        raise TreeError(_sorted(problems))
    return CompiledTree(model, source, sha256, locator, vocabulary, registry, graph)


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


def _build_graph(model: TreeFile) -> nx.DiGraph:
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
        for i, option in enumerate(q.options):
            if option.value not in values:
                problems.append(
                    Problem(
                        ctx.q_at(qid, "options", i, "value"),
                        f"{qid}: {option.value!r} is not a value of fact {q.fact!r}",
                        "use one of: " + ", ".join(values),
                    )
                )
            elif option.value in seen:
                problems.append(
                    Problem(
                        ctx.q_at(qid, "options", i, "value"),
                        f"{qid}: value {option.value!r} is listed twice",
                        "keep one option per value",
                    )
                )
            seen.add(option.value)
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
def check_no_cycles(ctx: _Context, graph: nx.DiGraph) -> list[Problem]:
    """A walk must always end: no question may lead back to itself."""
    try:
        cycle = nx.find_cycle(graph, source=None)
    except nx.NetworkXNoCycle:
        return []
    nodes = [edge[0] for edge in cycle]
    trail = " -> ".join([*nodes, nodes[0]])
    return [
        Problem(
            ctx.locator.key_at(("questions", nodes[0])),
            f"cycle: {trail}",
            "point one of these options at a later question or an outcome",
        )
    ]


def check_all_reachable(ctx: _Context, graph: nx.DiGraph) -> list[Problem]:
    """Every node can be reached from the start (an unreachable node is dead text)."""
    reached = nx.descendants(graph, ctx.model.start) | {ctx.model.start}
    problems = []
    for node in graph.nodes:
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


def check_fact_asked_once(ctx: _Context, graph: nx.DiGraph) -> list[Problem]:
    """No path asks the same fact twice (the second answer could contradict the first)."""
    if not nx.is_directed_acyclic_graph(graph):
        return []
    problems = []
    for qid, q in ctx.model.questions.items():
        for earlier in sorted(nx.ancestors(graph, qid)):
            other = ctx.model.questions.get(earlier)
            if other is not None and other.fact == q.fact:
                problems.append(
                    Problem(
                        ctx.locator.key_at(("questions", qid)),
                        f"{qid}: fact {q.fact!r} is already asked by "
                        f"{earlier!r} on a path leading here",
                        "route around the second question, or ask another fact",
                    )
                )
    return problems


GRAPH_CHECKS: tuple[Callable[[_Context, nx.DiGraph], list[Problem]], ...] = (
    check_no_cycles,
    check_all_reachable,
    check_fact_asked_once,
)


def _did_you_mean(name: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean {close[0]!r}?" if close else "check the spelling"
