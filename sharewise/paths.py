"""Where the shipped trees, vocabulary and registry live, for a clone and for an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir() -> Path:
    """The `decision_trees` folder: beside the package in a clone, inside it in a wheel."""
    beside = _PACKAGE.parent / "decision_trees"
    if beside.is_dir():
        return beside
    return _PACKAGE / "_data" / "decision_trees"


def default_tree_path() -> Path:
    """The tree a practitioner gets without asking: England."""
    return shipped_dir() / "england.yaml"


def shipped_trees() -> list[Path]:
    """Every shipped tree file (the vocabulary and registry are not trees)."""
    skip = {"facts.yaml", "citations.yaml"}
    return sorted(p for p in shipped_dir().glob("*.yaml") if p.name not in skip)


def facts_path() -> Path:
    return shipped_dir() / "facts.yaml"


def citations_path() -> Path:
    return shipped_dir() / "citations.yaml"


def scenarios_dir() -> Path:
    return shipped_dir() / "scenarios"
