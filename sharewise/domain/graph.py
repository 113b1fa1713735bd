"""A validated tree, compiled, with the queries a walk needs; and loading one from a file.

Loading validates the tree (`validate.py`) the first time a given file is seen and remembers
that in a cache keyed by the file's SHA-256 (`tree_cache.py`), so that deciding a case does
not re-parse the YAML or import networkx every time. A compiled tree holds plain nodes
(`nodes.py`: the pydantic models' fields, without pydantic), as it holds the vocabulary and
the registry: a tree loaded from the cache is walked without importing pydantic, which is
imported when a result or a record is built (the running UI's memory, issue 17).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sharewise import paths
from sharewise.domain.errors import Location
from sharewise.domain.nodes import Outcome, Question, Registry, Tree, Vocabulary
from sharewise.domain.source_text import Locator, Source, read_source

if TYPE_CHECKING:
    from sharewise.domain import citations, facts
    from sharewise.domain.result import TreeRef
    from sharewise.domain.tree import TreeFile

#: A tree's bytes parsed elsewhere, asked for when the parse is due (None: parse them here).
Parsed = Callable[[], "tuple[Any, Locator] | None"]


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer a person can pick at a question, and where it leads.

    `fact` is the question's fact and `value` its answer; `also` holds any further facts the
    same answer settles (see `nodes.Option.also`).
    """

    value: str
    label: str
    next: str
    fact: str = ""
    also: tuple[tuple[str, str], ...] = ()

    @property
    def facts(self) -> dict[str, str]:
        """Every fact this answer settles, the question's own first."""
        return {self.fact: self.value, **dict(self.also)}

    def fits(self, known: Mapping[str, object]) -> bool:
        """Whether this answer agrees with every fact in `known` that it settles."""
        return all(known.get(f, v) == v for f, v in self.facts.items())

    def settles(self, known: Mapping[str, object]) -> bool:
        """Whether `known` gives every fact this answer settles, with these values."""
        return all(f in known and known[f] == v for f, v in self.facts.items())


@dataclass(frozen=True, slots=True)
class PathStep:
    """One fact settled on a root-to-outcome path: the question, the fact and its value.

    An answer that settles several facts gives one step per fact, all at the same node.
    """

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

    @property
    def questions(self) -> int:
        """Questions asked on the path: one answer may settle several facts (`Option.also`)."""
        return len({s.node for s in self.steps})

    def describe(self) -> str:
        parts: list[str] = []
        node = None
        for s in self.steps:
            if s.node == node:
                parts[-1] += f" & {s.fact}={s.value}"
            else:
                parts.append(f"{s.node}={s.value}")
            node = s.node
        trail = " > ".join(parts)
        return f"{trail} -> {self.outcome}" if trail else f"-> {self.outcome}"


@dataclass
class CompiledTree:
    """A validated tree: its plain nodes (`nodes.Tree`, the validated model's data), the
    vocabulary and registry it was checked against, and where each part was written."""

    model: Tree
    source: str
    sha256: str
    locator: Locator
    vocabulary: Vocabulary
    registry: Registry

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
        from sharewise.domain.result import TreeRef  # the results' models: not for checking

        m = self.model
        return TreeRef(
            id=m.id, title=m.title, version=m.version, law_as_at=m.law_as_at, sha256=self.sha256
        )

    def choices(self, node: str) -> list[Choice]:
        """The answers offered at a question: its options, then any values its default covers.

        Values routed by `otherwise` are offered too (labelled from the vocabulary), so a person
        can give every answer a facts file can. Built once per question (deciding a ledger
        of records asks for them hundreds of thousands of times); each caller gets its own
        list.
        """
        found = self._choices.get(node)
        if found is None:
            found = self._choices[node] = self._build_choices(node)
        return list(found)

    @cached_property
    def _choices(self) -> dict[str, list[Choice]]:
        return {}

    def _build_choices(self, node: str) -> list[Choice]:
        q = self.question(node)
        listed = [
            Choice(o.value, o.label, o.next, q.fact, tuple(o.also.items())) for o in q.options
        ]
        if q.otherwise is None:
            return listed
        have = {o.value for o in q.options}
        fact = self.vocabulary[q.fact]
        extra = [
            Choice(v, meaning[:1].upper() + meaning[1:], q.otherwise, q.fact)
            for v, meaning in fact.values.items()
            if v not in have
        ]
        return listed + extra

    def reachable_outcomes(self, node: str) -> list[str]:
        """Outcome ids still reachable from `node`, in file order (why a question is asked)."""
        return self._reachable[node]

    @cached_property
    def _reachable(self) -> dict[str, list[str]]:
        order = {oid: i for i, oid in enumerate(self.model.outcomes)}
        found: dict[str, frozenset[str]] = {oid: frozenset((oid,)) for oid in order}

        def outcomes_below(node: str) -> frozenset[str]:
            # The tree is a validated DAG, so this memoised walk ends and visits each node once.
            if node not in found:
                below: set[str] = set()
                for choice in self.choices(node):
                    below |= outcomes_below(choice.next)
                found[node] = frozenset(below)
            return found[node]

        for qid in self.model.questions:
            outcomes_below(qid)
        return {node: sorted(ids, key=order.__getitem__) for node, ids in found.items()}

    def paths(self) -> Iterator[TreePath]:
        """Every root-to-outcome path, one per distinct combination of answers that matters."""
        return iter(self._paths)

    @cached_property
    def _paths(self) -> tuple[TreePath, ...]:
        # Enumerated once: `tree check` proves invariants, counts and measures the same paths.
        # Each answer's steps are made once, not once for every path through it (thousands
        # of paths share each question's answers).
        ways: dict[str, list[tuple[tuple[PathStep, ...], str]]] = {}
        outcomes = self.model.outcomes
        found: list[TreePath] = []
        stack: list[tuple[str, tuple[PathStep, ...]]] = [(self.start, ())]
        while stack:
            node, steps = stack.pop()
            if node in outcomes:
                found.append(TreePath(steps, node))
                continue
            onward = ways.get(node)
            if onward is None:
                onward = ways[node] = [
                    (tuple(PathStep(node, f, v) for f, v in choice.facts.items()), choice.next)
                    for choice in reversed(self.choices(node))
                ]
            for here, target in onward:
                stack.append((target, steps + here))
        return tuple(found)

    def outcome_location(self, outcome: str) -> Location:
        return self.locator.key_at(("outcomes", outcome))

    def question_location(self, node: str) -> Location:
        return self.locator.key_at(("questions", node))


# --- loading ---------------------------------------------------------------------------------
def load_named_tree(path: Source | None) -> CompiledTree:
    """The tree a person named (`--tree`, SHAREWISE_TREE), or the shipped England tree.

    Here, below both the command line and the UI, so that neither reaches into the other
    to load the tree it was started with.
    """
    return load_tree(path if path else paths.default_tree_path())


def load_tree(
    path: Source,
    vocabulary: facts.Vocabulary | None = None,
    registry: citations.Registry | None = None,
    *,
    use_cache: bool = True,
) -> CompiledTree:
    """Load, validate and compile a tree file; raise TreeError listing every problem.

    `use_cache=False` validates even a tree proven valid before, and leaves nothing in the
    cache: `tree check` is asked to check, not to remember (writing the cache entry cost it
    about a tenth of its time on the England tree).
    """
    return _load(lambda: read_source(path), str(path), vocabulary, registry, use_cache=use_cache)


def load_tree_source(
    raw: bytes,
    name: str,
    vocabulary: facts.Vocabulary | None = None,
    registry: citations.Registry | None = None,
    *,
    use_cache: bool = True,
    parsed: Parsed | None = None,
    keep_source: bool = True,
) -> CompiledTree:
    """As `load_tree`, from a tree's bytes (a tree the ledger kept, named `name`).

    `parsed`, if given, is asked for these bytes already parsed by `strict_yaml` when the
    parse is due, after the models are imported (`parse_ahead`: a child parses meanwhile);
    None from it means parse them here. `keep_source=False` (`tree check`, which records
    nothing) leaves the bytes out of `tree_sources`, whose compressing is about 5 ms."""
    return _load(
        lambda: raw,
        name,
        vocabulary,
        registry,
        use_cache=use_cache,
        parsed=parsed,
        keep_source=keep_source,
    )


def _load(
    read: Callable[[], bytes],
    name: str,
    vocabulary: facts.Vocabulary | None,
    registry: citations.Registry | None,
    *,
    use_cache: bool,
    parsed: Parsed | None = None,
    keep_source: bool = True,
) -> CompiledTree:
    """Every tree loaded is remembered by its SHA-256 (`tree_sources`), so that a decision
    recorded on it can keep a copy of exactly these bytes in the ledger.

    The bytes are read here (`read`), not by the caller, so that on a cache hit only their
    compressed copy is alive while the nodes are built from the cache: the UI's peak memory
    is reached there, and the England tree's bytes are 890 KiB (70 KiB compressed). A hit
    with the shipped vocabulary and registry imports no pydantic (`model_cache.plain_*`).
    """
    from sharewise.domain import tree_sources

    raw = read()
    sha = hashlib.sha256(raw).hexdigest()
    if not use_cache:
        tree = _validate(raw, name, vocabulary, registry, sha, parsed)
        if keep_source:
            tree_sources.remember(sha, raw)
        return tree
    from sharewise.domain import tree_cache  # not for `tree check`, which never uses it

    vocab, reg = _plain(vocabulary, registry)
    key = tree_cache.cache_key(sha, vocab, reg)
    packed = tree_sources.pack(raw)
    del raw
    cached = tree_cache.load(key, name, lambda: tree_sources.source(sha))
    if cached is not None:
        plain, locator = cached
        tree_sources.keep(sha, packed)
        return CompiledTree(plain, name, sha, locator, vocab, reg)
    tree = _validate(tree_sources.unpack(packed), name, vocabulary, registry, sha, parsed)
    tree_cache.store(key, tree.model)
    tree_sources.keep(sha, packed)
    return tree


def _plain(
    vocabulary: facts.Vocabulary | None, registry: citations.Registry | None
) -> tuple[Vocabulary, Registry]:
    """The vocabulary and registry as a compiled tree holds them: the shipped files' from
    the model cache without pydantic (`model_cache`), or the models given, made plain."""
    from sharewise.domain import model_cache

    vocab = (
        model_cache.plain_vocabulary(paths.facts_path())
        if vocabulary is None
        else Vocabulary.from_model(vocabulary)
    )
    reg = (
        model_cache.plain_registry(paths.citations_path())
        if registry is None
        else Registry.from_model(registry)
    )
    return vocab, reg


def _validate(
    raw: bytes,
    name: str,
    vocabulary: facts.Vocabulary | None,
    registry: citations.Registry | None,
    sha: str,
    parsed: Parsed | None = None,
) -> CompiledTree:
    """The full path: parse the YAML, validate the model, check and compile the graph."""
    from sharewise.domain.citations import load_registry
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.loader import validate_data
    from sharewise.domain.tree import TreeFile

    vocab = vocabulary if vocabulary is not None else load_vocabulary(paths.facts_path())
    reg = registry if registry is not None else load_registry(paths.citations_path())
    found = parsed() if parsed is not None else None
    if found is None:
        from sharewise.domain.strict_yaml import load_yaml_bytes

        found = load_yaml_bytes(raw, name)
    data, locator = found
    model = validate_data(data, locator, TreeFile, "decision tree")
    return compile_tree(model, locator, vocab, reg, name, sha)


def compile_tree(
    model: TreeFile,
    locator: Locator,
    vocabulary: facts.Vocabulary,
    registry: citations.Registry,
    source: str,
    sha256: str,
) -> CompiledTree:
    """Validate a parsed tree and compile it into plain nodes; raise TreeError with every
    problem."""
    from sharewise.domain.validate import validate_tree

    validate_tree(model, locator, vocabulary, registry)
    return CompiledTree(
        Tree.from_model(model),
        source,
        sha256,
        locator,
        Vocabulary.from_model(vocabulary),
        Registry.from_model(registry),
    )
