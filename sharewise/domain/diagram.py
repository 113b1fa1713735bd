"""Diagrams of a tree (Mermaid, Graphviz dot, indented text) for docs and reviewers."""

from __future__ import annotations

from sharewise.domain.graph import Choice, CompiledTree


def _esc(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def _edge(choice: Choice) -> str:
    """An answer as an edge label: its value, and any further facts it settles."""
    return ", ".join([choice.value, *(f"{f}={v}" for f, v in choice.also)])


def mermaid(tree: CompiledTree) -> str:
    """A Mermaid flowchart: questions as boxes, outcomes as rounded boxes by decision."""
    lines = ["flowchart TD"]
    for qid, q in tree.model.questions.items():
        lines.append(f'  {qid}["{_esc(q.text)}"]')
    for oid, o in tree.model.outcomes.items():
        lines.append(f'  {oid}(["{o.decision.value}: {_esc(o.title)}"])')
        lines.append(f"  class {oid} {o.decision.value}")
    for qid in tree.model.questions:
        for choice in tree.choices(qid):
            lines.append(f'  {qid} -- "{_esc(_edge(choice))}" --> {choice.next}')
    lines += _CLASSES
    return "\n".join(lines) + "\n"


_CLASSES = [
    "  classDef share_urgently fill:#fdd,stroke:#a00",
    "  classDef share fill:#dfd,stroke:#070",
    "  classDef do_not_share fill:#eee,stroke:#555",
    "  classDef seek_advice fill:#ffd,stroke:#a80",
    "  classDef no_personal_data fill:#def,stroke:#058",
]


def overview(tree: CompiledTree) -> str:
    """A Mermaid flowchart of what is asked in what order, small enough for any renderer.

    The full diagram of a real tree has hundreds of nodes (each question node per branch) and
    GitHub's renderer refuses it. Here every question node that settles the same facts is one
    box, every outcome is folded into its decision, and an edge means "some answer here
    leads there", so a reader sees the order of the law at a glance.
    """
    kinds: dict[tuple[str, ...], str] = {}
    names: dict[str, str] = {}
    for q in tree.model.questions.values():
        facts = tuple(q.facts())
        if facts not in kinds:
            kinds[facts] = f"q{len(kinds) + 1}"
            names[kinds[facts]] = " + ".join(facts)

    def box(node: str) -> str:
        if tree.is_outcome(node):
            return tree.outcome(node).decision.value
        return kinds[tuple(tree.question(node).facts())]

    edges: dict[tuple[str, str], None] = {}
    for qid in tree.model.questions:
        for choice in tree.choices(qid):
            edges.setdefault((box(qid), box(choice.next)), None)
    lines = ["flowchart TD"]
    lines += [f'  {key}["{_esc(label)}"]' for key, label in names.items()]
    decisions = dict.fromkeys(o.decision.value for o in tree.model.outcomes.values())
    for d in decisions:
        lines.append(f'  {d}(["{d}"])')
        lines.append(f"  class {d} {d}")
    lines += [f"  {a} --> {b}" for a, b in edges]
    lines += _CLASSES
    return "\n".join(lines) + "\n"


def dot(tree: CompiledTree) -> str:
    """A Graphviz digraph."""
    lines = [f'digraph "{_esc(tree.model.id)}" {{', "  rankdir=TB;"]
    for qid, q in tree.model.questions.items():
        lines.append(f'  {qid} [shape=box, label="{_esc(q.text)}"];')
    for oid, o in tree.model.outcomes.items():
        lines.append(f'  {oid} [shape=ellipse, label="{o.decision.value}\\n{_esc(o.title)}"];')
    for qid in tree.model.questions:
        for choice in tree.choices(qid):
            lines.append(f'  {qid} -> {choice.next} [label="{_esc(_edge(choice))}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def text(tree: CompiledTree) -> str:
    """An indented outline; shared subtrees are printed once and referred to after that."""
    out: list[str] = [
        f"{tree.model.title} ({tree.model.id} {tree.model.version}, "
        f"law as at {tree.model.law_as_at.isoformat()})"
    ]
    printed: set[str] = set()

    def visit(node: str, depth: int, via: str) -> None:
        pad = "  " * depth
        if tree.is_outcome(node):
            o = tree.outcome(node)
            out.append(f"{pad}{via}=> [{o.decision.value}] {o.title} ({node})")
            return
        q = tree.question(node)
        if node in printed:
            out.append(f"{pad}{via}-> see {node}")
            return
        printed.add(node)
        facts = " + ".join(q.facts())
        out.append(f"{pad}{via}? {q.text} ({node}, fact {facts})")
        for choice in tree.choices(node):
            visit(choice.next, depth + 1, f"{_edge(choice)}: ")

    visit(tree.start, 0, "")
    return "\n".join(out) + "\n"
