"""`check_invariants` works each result out once per distinct set of answers the checks read;
these tests hold it to the plain proof: every invariant run afresh on every path."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharewise import paths
from sharewise.domain.graph import CompiledTree, TreePath, load_tree
from sharewise.domain.invariants import INVARIANTS, PathView, check_invariants

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "trees"


def _every_path_afresh(tree: CompiledTree) -> list[str]:
    """What check_invariants reports, by the plain proof: no result carried over."""
    first: dict[tuple[str, str], tuple[str, TreePath]] = {}
    count: dict[tuple[str, str], int] = {}
    for path in tree.paths():
        outcome = tree.outcome(path.outcome)
        for check in INVARIANTS:
            message = check(PathView.of(tree, path), outcome)
            if message is not None:
                key = (check.__name__, path.outcome)
                count[key] = count.get(key, 0) + 1
                first.setdefault(key, (message, path))
    found = []
    for (name, outcome), (message, path) in first.items():
        more = count[(name, outcome)] - 1
        extra = f" (and {more} more path{'s' if more != 1 else ''})" if more else ""
        found.append(
            (
                tree.outcome_location(outcome).line,
                f"{outcome}: {message} [{name}] on path {path.describe()}{extra}",
            )
        )
    return [message for _, message in sorted(found)]


TREES = [*sorted((FIXTURES / "invariants").glob("*.yaml")), FIXTURES / "example.yaml"]


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_same_problems_as_every_path_afresh(path: Path) -> None:
    tree = load_tree(path)
    assert [p.message for p in check_invariants(tree)] == _every_path_afresh(tree)


def test_england_tree_every_path_afresh() -> None:
    tree = load_tree(paths.default_tree_path())
    assert [p.message for p in check_invariants(tree)] == _every_path_afresh(tree) == []


def test_a_fixture_with_many_failing_paths_counts_every_one() -> None:
    """The count of paths in a report comes from every path, not from each result once."""
    tree = load_tree(FIXTURES / "invariants" / "legitimate_interests_unasked_sharer.yaml")
    messages = [p.message for p in check_invariants(tree)]
    assert messages == _every_path_afresh(tree)
    assert any("more path" in m for m in messages)


def test_a_check_sees_the_path_only_through_the_view() -> None:
    """The view holds neither the tree nor the path, so no check can read a fact unnoted."""
    tree = load_tree(FIXTURES / "example.yaml")
    view = PathView.of(tree, next(tree.paths()))
    assert not hasattr(view, "path") and not hasattr(view, "tree")
    fact = next(iter(next(tree.paths()).answers()))
    view.asked(fact)
    assert view._read == {fact}


def test_england_with_mistakes_on_many_paths(tmp_path: Path) -> None:
    """On the England tree's thousands of paths, with outcomes made wrong on many of them:
    the same problems, first paths and counts as every path afresh."""
    import re

    decisions = ["share_urgently", "do_not_share", "seek_advice", "no_personal_data", "share"]
    lines = paths.default_tree_path().read_text(encoding="utf-8").split("\n")
    found = [i for i, line in enumerate(lines) if re.match(r"^\s+decision: ", line)]
    for n, i in enumerate(found[::9]):
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = f"{indent}decision: {decisions[n % len(decisions)]}"
    wrong = tmp_path / "england-wrong.yaml"
    wrong.write_text("\n".join(lines).replace("ukgdpr.art10", "ukgdpr.art6.1e", 5))
    tree = load_tree(wrong, use_cache=False)
    messages = [p.message for p in check_invariants(tree)]
    assert len(messages) > 20 and any("more paths" in m for m in messages)
    assert messages == _every_path_afresh(tree)


@pytest.mark.parametrize("path", [*TREES, paths.default_tree_path()], ids=lambda p: p.stem)
def test_path_counts_over_the_graph_are_the_paths_counted(path: Path) -> None:
    import statistics

    from sharewise.domain.invariants import histogram, length_counts, path_lengths, question_stats

    tree = load_tree(path)
    lengths = path_lengths(tree)
    assert length_counts(tree) == histogram(lengths)
    assert sum(length_counts(tree).values()) == len(list(tree.paths()))
    assert question_stats(tree) == (min(lengths), float(statistics.median(lengths)), max(lengths))
