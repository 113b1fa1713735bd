"""Load a tree file, facts file or registry: strict YAML, then pydantic, errors as FILE:LINE:COL.

Pydantic reports errors by path (`questions.danger.options.0.next`); the locator from
`strict_yaml` turns each path back into the line a person wrote, and each error kind gets a
fix written for a tree author rather than a Python programmer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sharewise.domain.errors import InputError, Problem
from sharewise.domain.source_text import Locator

M = TypeVar("M", bound=BaseModel)

_FIXES = {
    "missing": "add this key",
    "extra_forbidden": "remove it, or check its spelling against the documented keys",
    "string_pattern_mismatch": (
        "use lower-case letters, digits and underscores, starting with a letter"
    ),
    "string_too_short": "write some text here",
    "too_short": "add at least one entry",
    "enum": "use one of the values listed",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "string_type": "write text here (quote it if it looks like a number or true/false)",
    "dict_type": "write a mapping (key: value lines) here",
    "list_type": "write a list (lines starting with '- ') here",
    "model_type": "write a mapping (key: value lines) here",
}


def problems_from_validation(
    exc: ValidationError, locator: Locator, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error, in file order."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not (isinstance(part, str) and "[" in part)]
        path = (*prefix, *loc)
        kind = err["type"]
        where = ".".join(str(p) for p in path) or "(top level)"
        if kind == "extra_forbidden":
            location = locator.key_at(path)
            message = f"unknown key {where!r}"
        elif kind == "missing":
            location = locator.at(path[:-1])
            message = f"missing key {where!r}"
        else:
            location = locator.at(path)
            # Our own validators' words, without pydantic's "Value error, " in front.
            message = f"{where}: {err['msg'].removeprefix('Value error, ')}"
        problems.append(Problem(location, message, _FIXES.get(kind, "")))
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    return problems


def load_model(path: str | Path, model: type[M], what: str) -> tuple[M, Locator]:
    """Load a YAML file into `model`, raising InputError with every located problem."""
    from sharewise.domain.strict_yaml import load_yaml_file

    data, locator = load_yaml_file(path)
    return validate_data(data, locator, model, what), locator


def validate_data(data: Any, locator: Locator, model: type[M], what: str) -> M:
    """Validate already-parsed data; `what` names the kind of file for the top-level error."""
    if not isinstance(data, dict):
        raise InputError(
            Problem(
                locator.at(()),
                f"a {what} must be a mapping of keys to values",
                "start the file with 'key: value' lines",
            )
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, locator)) from None
