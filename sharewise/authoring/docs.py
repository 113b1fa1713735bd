"""The generated parts of a tree's documentation page: statistics and diagrams.

A page marks each part with `<!-- BEGIN GENERATED name -->` ... `<!-- END GENERATED name -->`;
`tree build --docs PAGE` rewrites what is between the markers and nothing else, so the page's
prose stays the author's while its figures can never drift from the tree.
"""

from __future__ import annotations

from pathlib import Path


def docs_sections(tree_path: Path) -> dict[str, str]:
    """Statistics, the overview diagram and the full Mermaid diagram of a tree file."""
    from sharewise.domain import diagram
    from sharewise.domain.graph import load_tree
    from sharewise.domain.invariants import histogram, path_lengths, question_stats

    tree = load_tree(tree_path, use_cache=False)
    fewest, median, most = question_stats(tree)
    counts = histogram(path_lengths(tree))
    rows = "\n".join(f"| {n} | {c} |" for n, c in counts.items())
    stats = (
        f"{len(tree.model.questions)} question nodes, {len(tree.model.outcomes)} outcomes, "
        f"{sum(counts.values())} paths (one per combination of answers that matters).\n\n"
        f"Questions per path: **fewest {fewest}, median {median:g}, most {most}**.\n\n"
        f"| questions asked | paths |\n|---:|---:|\n{rows}"
    )
    return {
        "stats": stats,
        "overview": "```mermaid\n" + diagram.overview(tree) + "```",
        "mermaid": "```mermaid\n" + diagram.mermaid(tree) + "```",
    }


def render_docs(text: str, sections: dict[str, str]) -> str:
    """`text` with each generated section replaced by its new body."""
    for name, body in sections.items():
        begin = f"<!-- BEGIN GENERATED {name} -->"
        end = f"<!-- END GENERATED {name} -->"
        head, found, rest = text.partition(begin)
        if not found:
            continue
        _, _, tail = rest.partition(end)
        text = f"{head}{begin}\n{body}\n{end}{tail}"
    return text
