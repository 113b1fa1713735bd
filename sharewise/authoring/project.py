"""Loading a tree author's rules package from its folder, and writing what it generates.

A rules package is a folder with an `__init__.py` that defines `SPEC` (a `TreeSpec`) and
names the files it generates: `OUTPUT` (the tree file, relative to the folder) and,
optionally, `VOCABULARY` (the facts file; default `../facts.yaml`).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sharewise.authoring.builder import build, render
from sharewise.authoring.spec import TreeSpec


@dataclass(frozen=True)
class RulesPackage:
    """A loaded rules folder: its spec, and where its tree and vocabulary live."""

    folder: Path
    spec: TreeSpec
    output: Path
    vocabulary: Path

    def text(self) -> str:
        """The tree file's text as the rules generate it now."""
        vocab: dict[str, Any] = yaml.safe_load(self.vocabulary.read_text(encoding="utf-8"))
        return render(self.spec, build(self.spec, vocab))

    def is_current(self) -> bool:
        """Whether the tree file on disk is exactly what the rules generate."""
        return self.output.exists() and self.output.read_text(encoding="utf-8") == self.text()

    def write(self) -> None:
        self.output.write_text(self.text(), encoding="utf-8")


def load_rules(folder: Path) -> RulesPackage:
    """Import the rules package in `folder` (its relative imports work as in a package)."""
    folder = folder.resolve()
    init = folder / "__init__.py"
    if not init.is_file():
        raise FileNotFoundError(f"{folder}: not a rules package (no __init__.py)")
    name = f"_sharewise_rules_{folder.name}"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"{init}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ImportError(f"{exc.filename}:{exc.lineno}:{exc.offset or 0}: {exc.msg}") from exc
    except Exception as exc:  # the author's code: say where it failed, not a traceback
        raise ImportError(f"{init}: the rules failed to load: {type(exc).__name__}: {exc}") from exc
    tree_spec = getattr(module, "SPEC", None)
    if not isinstance(tree_spec, TreeSpec):
        raise ImportError(f"{init}: defines no SPEC (a sharewise.authoring.TreeSpec)")
    output = folder / str(getattr(module, "OUTPUT", f"../{folder.name}.yaml"))
    vocabulary = folder / str(getattr(module, "VOCABULARY", "../facts.yaml"))
    return RulesPackage(folder, tree_spec, output.resolve(), vocabulary.resolve())
