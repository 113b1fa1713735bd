"""Reading a facts file: a YAML or JSON mapping of fact to value, or a scenario's facts.

Apart from `decide.py` so that a warm `decide` (`decide_cache.py`) reads facts exactly as
the full path does without importing the tree's models.
"""

from __future__ import annotations

from sharewise.domain.errors import FactsError, Location, Problem
from sharewise.domain.strict_yaml import Locator, Source, load_yaml_file


def load_facts(path: Source) -> tuple[dict[str, object], Locator]:
    """Read a facts file (a YAML or JSON mapping of fact to value)."""
    data, locator = load_yaml_file(path)
    if not isinstance(data, dict):
        raise FactsError(
            Problem(
                Location(str(path), 1, 1),
                "a facts file must be a mapping of fact: value",
                "write one 'fact: value' per line",
            )
        )
    # A scenario file keeps its facts under `facts:`; accept it as it is.
    if isinstance(data.get("facts"), dict) and "expect" in data:
        inner: dict[str, object] = data["facts"]
        return inner, _sub_locator(locator, "facts")
    return data, locator


def _sub_locator(locator: Locator, key: str) -> Locator:
    marks = {}
    for path, mark in locator.marks.items():
        if path[:1] == (key,):
            marks[path[1:]] = mark
        elif path[:2] == ("#key", key):
            marks[("#key", *path[2:])] = mark
    return Locator(locator.file, marks)
