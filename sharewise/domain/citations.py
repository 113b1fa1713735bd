"""The citation registry: each provision or guidance a tree may cite, by a stable id.

A tree cites ids only; the registry holds the title, a plain gist and a link, so that the
wording of the law is maintained in one place and records keep stable ids.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel


class Citation(BaseModel):
    """One provision: what it is called, what it means in plain words, where to read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    gist: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")
    checked: Literal["primary", "official", "secondary"]


class Registry(RootModel[dict[str, Citation]]):
    """Every citation by id."""

    def __contains__(self, cid: object) -> bool:
        return cid in self.root

    def __getitem__(self, cid: str) -> Citation:
        return self.root[cid]

    def get(self, cid: str) -> Citation | None:
        return self.root.get(cid)


@lru_cache(maxsize=8)
def load_registry(path: Path) -> Registry:
    """Load and validate a citation registry file."""
    from sharewise.domain.model_cache import load_model_file

    return load_model_file(path, Registry, "citation registry")
