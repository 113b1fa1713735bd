"""Reassessing a case on new information: a walk that starts from an earlier record's answers.

Serious case reviews keep finding risk assessments that were not revisited when something
new came to light. A reassessment offers each question with the answer given last time, so
the practitioner changes only what is new; the outcome then says which answers changed and
whether the decision and the law relied on changed with them. The new record links to the
earlier one (its chain `target`), which `records list`, `records show`, the timeline and
`records due` all follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sharewise.domain.errors import InputError
from sharewise.domain.graph import Choice
from sharewise.domain.result import DecisionResult
from sharewise.domain.walk import Walk


def earlier_answers(result: DecisionResult) -> dict[str, str]:
    """The answers an earlier result was decided on, fact by fact."""
    return {step.fact: step.answer for step in result.path}


def earlier_choice(walk: Walk, earlier: Mapping[str, str]) -> Choice | None:
    """The answer the earlier record gives to the walk's current question, if it gives one
    (a question the tree did not ask then, or an answer it no longer offers, has none). A
    fact added to the vocabulary since, with a `default`, is offered at that default: what
    `records replay` decides the earlier record with, so keeping it changes nothing."""
    if walk.finished:
        return None
    try:
        return walk.choices()[walk.index_for(earlier)]
    except InputError:
        return None


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One question answered differently (or only now, or no longer asked)."""

    fact: str
    question: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Changes:
    """What a reassessment changed against the record it reassesses."""

    answers: list[AnswerChange]
    decision_before: str
    decision_after: str
    citations_added: list[str]
    citations_removed: list[str]
    outcome_changed: bool

    @property
    def decision_changed(self) -> bool:
        return self.decision_before != self.decision_after

    @property
    def law_changed(self) -> bool:
        return bool(self.citations_added or self.citations_removed)

    def to_json_dict(self) -> dict[str, object]:
        return {
            "answers": [
                {"fact": a.fact, "question": a.question, "before": a.before, "after": a.after}
                for a in self.answers
            ],
            "decision": {"before": self.decision_before, "after": self.decision_after},
            "decision_changed": self.decision_changed,
            "outcome_changed": self.outcome_changed,
            "citations_added": self.citations_added,
            "citations_removed": self.citations_removed,
        }


def compare(before: DecisionResult, after: DecisionResult) -> Changes:
    """Which answers, and whether the decision and the law, changed from `before`."""
    was = {s.fact: s for s in before.path}
    now = {s.fact: s for s in after.path}
    changes: list[AnswerChange] = []
    for fact, step in now.items():
        old = was.get(fact)
        if old is None:
            changes.append(AnswerChange(fact, step.question, None, step.label))
        elif old.answer != step.answer:
            changes.append(AnswerChange(fact, step.question, old.label, step.label))
    for fact, step in was.items():
        if fact not in now:
            changes.append(AnswerChange(fact, step.question, step.label, None))
    return Changes(
        answers=changes,
        decision_before=before.decision.value,
        decision_after=after.decision.value,
        citations_added=[c for c in after.citations if c not in before.citations],
        citations_removed=[c for c in before.citations if c not in after.citations],
        outcome_changed=before.outcome.title != after.outcome.title,
    )


def describe(changes: Changes) -> list[str]:
    """The lines a practitioner reads at the outcome of a reassessment."""
    lines: list[str] = []
    if not changes.answers:
        lines.append("No answer changed.")
    for a in changes.answers:
        if a.before is None:
            lines.append(f"New question: {a.question} - {a.after}")
        elif a.after is None:
            lines.append(f"No longer asked: {a.question} (was: {a.before})")
        else:
            lines.append(f"Changed: {a.question} - was {a.before}, now {a.after}")
    if changes.decision_changed:
        lines.append(
            f"The decision changed: was {changes.decision_before.replace('_', ' ')}, "
            f"now {changes.decision_after.replace('_', ' ')}."
        )
    else:
        lines.append(f"The decision is unchanged: {changes.decision_after.replace('_', ' ')}.")
    if changes.law_changed:
        if changes.citations_added:
            lines.append("Now relies on: " + ", ".join(changes.citations_added))
        if changes.citations_removed:
            lines.append("No longer relies on: " + ", ".join(changes.citations_removed))
    else:
        lines.append("The law relied on is unchanged.")
    return lines
