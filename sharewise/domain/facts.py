"""The fact vocabulary: the public names and values that questions and facts files share.

A tree binds each question to one fact and each option to one of its values, so that a
facts file can decide a case with nobody at the keyboard. Loaded once per file, cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator


class Fact(BaseModel):
    """One fact: the question in neutral words and its values with their meanings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: str = Field(min_length=1)
    values: dict[str, str] = Field(min_length=1)
    # Whose fact it is: most change with every case; a few belong to the organisation or to
    # the practitioner's role and may be settled once in the settings (see settings.py).
    scope: Literal["case", "organisation", "practitioner"] = "case"
    # The answer a facts file that leaves this fact out is decided with. Only for a fact
    # added after facts files were written without it, whose absence means "not known":
    # those files, and records decided before it existed, keep deciding as they did.
    default: str | None = None

    @model_validator(mode="after")
    def _default_is_a_value(self) -> Fact:
        if self.default is not None and self.default not in self.values:
            raise ValueError(
                f"default {self.default!r} is not one of its values: {', '.join(self.values)}"
            )
        return self


class Vocabulary(RootModel[dict[str, Fact]]):
    """Every fact by name."""

    def __contains__(self, name: object) -> bool:
        return name in self.root

    def __getitem__(self, name: str) -> Fact:
        return self.root[name]

    def names(self) -> list[str]:
        return list(self.root)


@lru_cache(maxsize=8)
def load_vocabulary(path: Path) -> Vocabulary:
    """Load and validate a facts vocabulary file (errors located to the line)."""
    from sharewise.domain.model_cache import load_model_file

    return load_model_file(path, Vocabulary, "facts vocabulary")
