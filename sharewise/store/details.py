"""Reading a practitioner's details file (`record-details.example.yaml`) into the model.

People write these by hand, so the file is read as strict YAML and every problem is
reported as FILE:LINE:COL with a fix. The messages name fields, never their contents: a
details file is personal data and error output ends up in terminal logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sharewise.domain.errors import InputError, Problem
from sharewise.domain.record import RecordDetails

if TYPE_CHECKING:
    from sharewise.domain.strict_yaml import Locator, Source

#: An optional top-level key (not in the contract's example; added, never renamed): an
#: emergency record needs only the case reference and the practitioner now.
EMERGENCY_KEY = "to_be_completed"


def load_details(path: Source, *, allow_emergency: bool = True) -> tuple[RecordDetails, bool]:
    """(details, is_emergency) from a details file; InputError (exit 2) if it is not valid."""
    details, emergency, _ = load_details_located(path, allow_emergency=allow_emergency)
    return details, emergency


def load_details_located(
    path: Source, *, allow_emergency: bool = True
) -> tuple[RecordDetails, bool, Locator]:
    """As `load_details`, with where each key was written, for a problem found only once
    the ledger is open (a completion's case reference that is not its emergency's)."""
    from sharewise.domain.loader import problems_from_validation
    from sharewise.domain.strict_yaml import load_yaml_file

    data, locator = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError(
            Problem(
                locator.at(()),
                "a details file must be a mapping of keys to values",
                "start from docs/examples/record-details.yaml",
            )
        )
    emergency: Any = data.pop(EMERGENCY_KEY, False)
    if emergency is not True and emergency is not False:
        raise InputError(
            Problem(
                locator.at((EMERGENCY_KEY,)),
                f"{EMERGENCY_KEY} must be true or false",
                "write true for an emergency record",
            )
        )
    if emergency and not allow_emergency:
        raise InputError(
            Problem(
                locator.key_at((EMERGENCY_KEY,)),
                "only a new decision can be recorded as to be completed",
                f"remove {EMERGENCY_KEY}",
            )
        )
    try:
        details = RecordDetails.model_validate(data, context={"emergency": emergency})
    except ValidationError as exc:
        problems = problems_from_validation(exc, locator)
        for index, problem in enumerate(problems):
            if problem.fix == "" and "missing" in problem.message:
                problems[index] = Problem(
                    problem.location,
                    problem.message,
                    "add these keys (see docs/examples/record-details.yaml)",
                )
        raise InputError(problems) from None
    return details, bool(emergency), locator
