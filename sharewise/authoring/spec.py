"""What a tree author writes: question wording, outcomes, and the rules as a function.

A question may have wording variants for different contexts: the rules ask
`f("special_category/part3")` to ask the fact `special_category` in the words registered
under that key. The answer is one value of the one fact either way, so a path never asks a
fact twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The rules receive `f`; `f(fact)` (or `f("fact/variant")`) returns the practitioner's answer.
F = Callable[[str], str]


@dataclass(frozen=True)
class Ask:
    """A question's wording: a short id stem, the sentence, an example, why, and labels."""

    short: str
    text: str
    help: str
    why: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Pair:
    """Two facts asked as one question when the second follows straight after the first.

    Labels are keyed "first" or "first+second" by fact value. `only` limits the pairing to
    some values of the first fact (empty: every value whose next question is `second`).
    """

    first: str
    second: str
    ask: Ask
    only: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Out:
    """An outcome node as it will be written."""

    id: str
    decision: str
    title: str
    summary: str
    actions: tuple[str, ...]
    law: tuple[tuple[str, tuple[str, ...]], ...] = ()
    whom: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()

    def as_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "decision": self.decision,
            "title": self.title,
            "summary": self.summary,
            "actions": list(self.actions),
        }
        law = {g: list(ids) for g, ids in self.law if ids}
        if law:
            data["law"] = law
        if self.whom:
            data["advice"] = {"whom": list(self.whom), "ask": list(self.ask)}
        return data


class Stop(Exception):
    """Raised by the rules to end a path at an outcome."""

    def __init__(self, out: Out) -> None:
        super().__init__(out.id)
        self.out = out


@dataclass(frozen=True)
class TreeSpec:
    """Everything the builder needs for one tree: metadata, wording and the rules."""

    id: str
    title: str
    version: str
    jurisdiction: str
    law_as_at: str
    description: str
    asks: dict[str, Ask]
    decide: Callable[[F], Out]
    pairs: dict[tuple[str, str], Pair] = field(default_factory=dict)
    # Prefix for the ids of questions asked after an answer that starts an emergency.
    emergency: tuple[str, str] | None = None
    header: str = ""
