"""Pydantic models of a decision-tree file, as a tree author writes it in YAML.

The models are strict (`extra="forbid"`) so that a misspelt key is an error with a place,
not a silently ignored line. Graph-level checks (targets exist, no cycles, coverage) live in
`graph.py`; these models only check the shape of each node. A loaded tree holds the plain
form of these (`nodes.py`, with the same fields), built once from a validated model.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# The decision is shared with the plain nodes a loaded tree holds (`nodes.py`), which must
# not import pydantic.
from sharewise.domain import nodes
from sharewise.domain.nodes import Decision as Decision

NodeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
CitationId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


#: One set of field names for all the nodes that set the same fields (see `_Strict`).
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class _Strict(BaseModel):
    # The nodes' own validators are built on first use (defer_build), not at import: a tree
    # is validated through TreeFile's, which holds their schemas, so `tree check` never uses
    # theirs (about 10 ms of its start). What each validates is the same either way.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    @model_validator(mode="after")
    def _share_fields_set(self) -> Self:
        """Pydantic gives every instance a set of its own naming the fields it was given:
        2,256 sets for the England tree's nodes (0.85 MiB of the running UI's memory), of
        which six differ. Nodes that set the same fields share one set instead. The models
        are frozen, so pydantic never adds to it (`model_copy` copies the set before
        updating); it is still read as before (`model_fields_set`, `exclude_unset`)."""
        own = self.__pydantic_fields_set__
        object.__setattr__(
            self, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(own), own)
        )
        return self


class Option(_Strict):
    """One answer to a question: a value of the question's fact and where it leads.

    `also` lets one answer settle further facts at once ("a public authority, sharing as a
    health professional" settles `sharer` and `care_professional`). Two facts the law asks
    about together then cost the practitioner one question, not two, while records and facts
    files still hold one value per fact.
    """

    value: str = Field(min_length=1)
    also: dict[str, str] = Field(default_factory=dict)
    label: Text
    next: NodeId

    def facts(self, primary: str) -> dict[str, str]:
        """Every fact this answer settles, given the question's own fact."""
        return {primary: self.value, **self.also}


class Question(_Strict):
    """A question bound to one fact of the vocabulary (its options may settle others too)."""

    fact: str = Field(min_length=1)
    text: Text
    help: Text
    why: Text
    options: list[Option] = Field(min_length=1)
    # Where every value of the fact not listed in `options` leads (an explicit default branch).
    otherwise: NodeId | None = None

    def facts(self) -> list[str]:
        """The facts this question settles: its own, then any an option settles as well."""
        seen = {self.fact: None}
        for option in self.options:
            seen.update(dict.fromkeys(option.also))
        return list(seen)


class Law(_Strict):
    """The law an outcome relies on, split the way a decision record must state it.

    `basis` is the Art 6 lawful basis (or DPA 2018 s.35 for a competent authority under Part 3);
    `special_category` the Art 9 condition with its Schedule 1 paragraph; `criminal_offence`
    the Art 10 route; `confidentiality` why a duty of confidence does not stop the sharing;
    `transparency` the route for telling or not telling the person; `supporting` the statutes
    and guidance behind the reasoning.
    """

    basis: list[CitationId] = Field(default_factory=list)
    special_category: list[CitationId] = Field(default_factory=list)
    criminal_offence: list[CitationId] = Field(default_factory=list)
    confidentiality: list[CitationId] = Field(default_factory=list)
    transparency: list[CitationId] = Field(default_factory=list)
    supporting: list[CitationId] = Field(default_factory=list)

    #: The groups in the record's order: the plain Law's, so the two can never disagree.
    GROUPS: ClassVar[tuple[str, ...]] = nodes.Law.GROUPS

    def all_ids(self) -> list[str]:
        """Every cited id once, in the order of the groups."""
        return nodes.all_ids(self)


class Advice(_Strict):
    """For `seek_advice`: whom to ask and what to ask them, so "not sure" leads somewhere."""

    whom: list[Text] = Field(min_length=1)
    ask: list[Text] = Field(min_length=1)


class Outcome(_Strict):
    """A leaf of the tree: the decision, in plain words, with the law behind it."""

    decision: Decision
    title: Text
    summary: Text
    actions: list[Text] = Field(min_length=1)
    law: Law = Field(default_factory=Law)
    advice: Advice | None = None


class TreeFile(_Strict):
    """A whole tree file: metadata, the start node, questions and outcomes by id."""

    model_config = ConfigDict(defer_build=False)  # the one validator a tree goes through

    id: NodeId
    title: Text
    version: str = Field(min_length=1, max_length=40)
    jurisdiction: Text
    law_as_at: dt.date
    description: Text | None = None
    start: NodeId
    questions: dict[NodeId, Question] = Field(min_length=1)
    outcomes: dict[NodeId, Outcome] = Field(min_length=1)
