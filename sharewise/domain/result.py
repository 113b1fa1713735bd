"""The result of deciding a case: the path taken, the outcome reached and the tree used.

This is what `decide --json` prints and what a decision record stores, so its keys are a
public interface (see docs/cli.md): add, never rename.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from sharewise.domain.tree import Decision, Law


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(_Frozen):
    """One question asked and the answer given."""

    node: str
    fact: str
    answer: str
    question: str
    label: str
    # Answered from the organisation's or practitioner's settings, not asked (see walk.py).
    preset: bool = False
    # How often the person went back over this question before filing (back, or a jump to
    # it), and how often that changed its answer: where practitioners struggle. Absent
    # (0) in records filed before they were kept.
    revisits: int = 0
    changes: int = 0


def by_question(path: Sequence[Step]) -> list[list[Step]]:
    """The steps of a path grouped by the question that settled them, in order.

    One answer may settle several facts (a tree's `also`), giving one step per fact at the
    same node; whoever shows a path to a person shows each question once.
    """
    groups: list[list[Step]] = []
    for step in path:
        if groups and groups[-1][0].node == step.node:
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


class TreeRef(_Frozen):
    """Which tree decided: enough to replay the decision on exactly the same law."""

    id: str
    title: str
    version: str
    law_as_at: dt.date
    sha256: str


class OutcomeView(_Frozen):
    """The outcome reached, as shown to the practitioner and stored in the record."""

    id: str
    decision: Decision
    title: str
    summary: str
    actions: list[str]
    law: Law
    advice_whom: list[str] = []
    advice_ask: list[str] = []


class DecisionResult(_Frozen):
    """A decided case."""

    decision: Decision
    outcome: OutcomeView
    citations: list[str]
    path: list[Step]
    tree: TreeRef
    # When the person started the walk (UTC, whole seconds): with the record's own time,
    # how long deciding took. None for a case decided from a facts file, and in records
    # filed before it was kept.
    started: dt.datetime | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The `decide --json` object (contract keys first, extras after)."""
        return {
            "decision": self.decision.value,
            "outcome": {
                "id": self.outcome.id,
                "title": self.outcome.title,
                "summary": self.outcome.summary,
                "actions": list(self.outcome.actions),
                "law": self.outcome.law.model_dump(),
                "advice": {"whom": self.outcome.advice_whom, "ask": self.outcome.advice_ask},
            },
            "citations": list(self.citations),
            "path": [_step_json(s) for s in self.path],
            "tree": {
                "id": self.tree.id,
                "version": self.tree.version,
                "sha256": self.tree.sha256,
                "law_as_at": self.tree.law_as_at.isoformat(),
            },
        }


def _step_json(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"node": step.node, "fact": step.fact, "answer": step.answer}
    if step.preset:
        out["preset"] = True
    return out
