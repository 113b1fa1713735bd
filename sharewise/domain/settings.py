"""Settled answers: facts about the organisation or the practitioner, answered once.

Who is sharing (a public authority, the police, a charity), whether the organisation has an
appropriate policy document, whether the practitioner is a health or social care
professional: the same for every case, and the policy document is something the IG lead
knows and a practitioner often does not. Settled here, those questions are answered without
being asked (marked as such in the record, and open to change for a single case), which
takes two or three questions off most walks. Only facts whose vocabulary `scope` is
`organisation` or `practitioner` may be settled: nothing about a case ever is.

The file is `settings.yaml` in the data folder, strict YAML an IG lead can write and deploy:

    facts:
      sharer: public_authority
      apd_in_place: "yes"
    retention_years: 7

`retention_years` is the organisation's retention period for decision records: `records
purge` then erases the personal details of records older than that by itself, and refuses
a cut-off that would erase records still inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.facts import Vocabulary
from sharewise.domain.loader import validate_data
from sharewise.domain.source_text import Locator

FILE_NAME = "settings.yaml"


class Settings(BaseModel):
    """The settings file's shape."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: dict[str, str] = Field(default_factory=dict)
    retention_years: int | None = Field(default=None, ge=1, le=100)


def settings_path(data_folder: Path) -> Path:
    return data_folder / FILE_NAME


def check_facts(
    facts: Mapping[str, object], vocabulary: Vocabulary, locator: Locator | None = None
) -> list[Problem]:
    """Every problem with a set of settled answers (unknown fact, case fact, bad value)."""
    problems: list[Problem] = []
    for name, value in facts.items():
        here = locator.at(("facts", name)) if locator else Location("settings")
        if name not in vocabulary:
            problems.append(
                Problem(here, f"unknown fact {name!r}", "see decision_trees/facts.yaml")
            )
            continue
        fact = vocabulary[name]
        if fact.scope == "case":
            settable = ", ".join(n for n in vocabulary.names() if vocabulary[n].scope != "case")
            problems.append(
                Problem(
                    here,
                    f"{name!r} changes from case to case and cannot be settled",
                    f"settle only: {settable}",
                )
            )
        elif value not in fact.values or value == "unsure":
            allowed = ", ".join(v for v in fact.values if v != "unsure")
            problems.append(
                Problem(here, f"{name}: {value!r} cannot be settled", f"use one of: {allowed}")
            )
    return problems


def _read(data_folder: Path) -> Settings:
    path = settings_path(data_folder)
    if not path.exists():
        return Settings()
    from sharewise.domain.strict_yaml import load_yaml_file

    data, locator = load_yaml_file(path)
    return validate_data(data, locator, Settings, "settings file")


def load_retention(data_folder: Path) -> int | None:
    """The organisation's retention period in years, or None when none is set."""
    return _read(data_folder).retention_years


def save_retention(data_folder: Path, years: int | None) -> Path:
    """Set (or with None, remove) the retention period; the settled answers stay as they are."""
    from sharewise.private_files import write_private

    if years is not None and not 1 <= years <= 100:
        raise InputError(
            Problem(Location("retention"), f"{years} years", "give a number of years, 1 to 100")
        )
    current = _read(data_folder)
    return write_private(settings_path(data_folder), _text(current.facts, years))


def _text(facts: Mapping[str, str], years: int | None) -> str:
    header = (
        "# Answers settled for every case: facts about the organisation or the "
        "practitioner.\n# Written by `sharewise settings`; see docs/deploy.md.\n"
    )
    content: dict[str, object] = {"facts": dict(sorted(facts.items()))}
    if years is not None:
        content["retention_years"] = years
    import yaml

    # safe_dump quotes 'yes' and 'no', so other YAML readers keep them as text too.
    return header + yaml.safe_dump(content, default_flow_style=False, allow_unicode=True)


def load_settings(data_folder: Path, vocabulary: Vocabulary) -> dict[str, str]:
    """The settled answers, checked; {} when there is no settings file."""
    path = settings_path(data_folder)
    if not path.exists():
        return {}
    from sharewise.domain.strict_yaml import load_yaml_file

    data, locator = load_yaml_file(path)
    settings = validate_data(data, locator, Settings, "settings file")
    problems = check_facts(settings.facts, vocabulary, locator)
    if problems:
        raise InputError(problems)
    return dict(settings.facts)


def save_settings(data_folder: Path, facts: Mapping[str, str], vocabulary: Vocabulary) -> Path:
    """Write the settled answers (checked first: a bad one is refused, nothing written)."""
    from sharewise.private_files import write_private

    problems = check_facts(facts, vocabulary)
    if problems:
        raise InputError(problems)
    # The retention period is kept as it was: changing an answer never drops it (unless
    # the file could not be read at all, which this write is replacing).
    try:
        years = _read(data_folder).retention_years
    except InputError:
        years = None
    return write_private(settings_path(data_folder), _text(facts, years))
