"""`check_fact_asked_once` looks at earlier questions only where a fact may be asked twice;
it reports what looking at every question's every ancestor reports."""

from __future__ import annotations

import re
from pathlib import Path

from sharewise import paths
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.loader import validate_data
from sharewise.domain.strict_yaml import load_yaml_bytes, load_yaml_file
from sharewise.domain.tree import TreeFile
from sharewise.domain.validate import _Context, _Graph, check_fact_asked_once


def _every_ancestor(ctx: _Context, graph: _Graph) -> list[str]:
    """The check as it was: every question's every ancestor, sorted."""
    order = graph.topological()
    assert order is not None
    ancestors: dict[str, set[str]] = {node: set() for node in order}
    for node in order:
        for target in graph.edges[node]:
            ancestors[target] |= ancestors[node]
            ancestors[target].add(node)
    facts = {qid: set(q.facts()) for qid, q in ctx.model.questions.items()}
    found = []
    for qid in ctx.model.questions:
        for earlier in sorted(ancestors[qid]):
            if earlier in ctx.model.questions:
                for fact in sorted(facts[qid] & facts[earlier]):
                    found.append(f"{ctx.locator.key_at(('questions', qid))} {qid} {fact} {earlier}")
    return found


def _england_asking_twice(tmp_path: Path) -> Path:
    """The England tree with six questions asking, instead of their own fact, one asked
    before them with the same values."""
    from sharewise.domain.graph import load_tree

    tree = load_tree(paths.default_tree_path(), use_cache=False)
    model, vocabulary = tree.model, tree.vocabulary
    lines = paths.default_tree_path().read_text(encoding="utf-8").split("\n")
    starts = {
        m[1]: i
        for i, line in enumerate(lines)
        if (m := re.match(r"^  ([a-z][a-z0-9_]*):\s*$", line))
    }
    edges = {
        q: [o.next for o in n.options] + ([n.otherwise] if n.otherwise else [])
        for q, n in model.questions.items()
    }

    def below(node: str, seen: set[str]) -> set[str]:
        for target in edges.get(node, []):
            if target not in seen:
                seen.add(target)
                below(target, seen)
        return seen

    changed: set[str] = set()
    for p, asked in model.questions.items():
        for q in sorted(below(p, set()) & set(model.questions) - changed - {p}):
            later = model.questions[q]
            same = set(vocabulary[asked.fact].values) == set(vocabulary[later.fact].values)
            if asked.fact != later.fact and same and not any(o.also for o in later.options):
                line = next(i for i in range(starts[q], starts[q] + 8) if "    fact: " in lines[i])
                lines[line] = f"    fact: {asked.fact}"
                changed |= {p, q}
                break
        if len(changed) >= 12:
            break
    out = tmp_path / "england-twice.yaml"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def test_the_same_problems_as_every_ancestor(tmp_path: Path) -> None:
    file = _england_asking_twice(tmp_path)
    vocabulary = load_vocabulary(paths.facts_path())
    data, locator = load_yaml_file(file)
    model = validate_data(data, locator, TreeFile, "decision tree")
    ctx = _Context(model, locator, vocabulary, None)  # type: ignore[arg-type]
    graph = _Graph.of(model)
    found = [
        f"{p.location} {p.message.split(':')[0]} {p.message.split(chr(39))[1]} "
        f"{p.message.split(chr(39))[3]}"
        for p in check_fact_asked_once(ctx, graph)
    ]
    assert len(found) >= 6
    assert found == _every_ancestor(ctx, graph)


def test_none_on_the_england_tree() -> None:
    data, locator = load_yaml_bytes(paths.default_tree_path().read_bytes(), "england.yaml")
    model = validate_data(data, locator, TreeFile, "decision tree")
    ctx = _Context(model, locator, load_vocabulary(paths.facts_path()), None)  # type: ignore[arg-type]
    assert (
        check_fact_asked_once(ctx, _Graph.of(model)) == [] == _every_ancestor(ctx, _Graph.of(model))
    )
