"""Helpers shared by the command modules: loading the tree a command names, output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree


def load_tree_arg(path: str | None) -> CompiledTree:
    """The tree named by `--tree`, or the shipped England tree."""
    from sharewise import paths
    from sharewise.domain.graph import load_tree

    return load_tree(Path(path) if path else paths.default_tree_path())


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
