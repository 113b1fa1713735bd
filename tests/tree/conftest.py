"""The shipped England tree and every path through it, loaded once for the tree's tests."""

from __future__ import annotations

import pytest

from sharewise import paths
from sharewise.domain.graph import CompiledTree, TreePath, load_tree
from sharewise.domain.nodes import Outcome


@pytest.fixture(scope="session")
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


@pytest.fixture(scope="session")
def every_path(england: CompiledTree) -> list[tuple[TreePath, dict[str, str], Outcome]]:
    """(path, its answers, its outcome) for every path of the England tree."""
    return [(p, p.answers(), england.outcome(p.outcome)) for p in england.paths()]
