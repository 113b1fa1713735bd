"""Replaying a stored decision on the current tree: has the law (or the tree) moved since?

An IG lead asks this when a tree is updated: would the answers given then lead somewhere
else now? The answers recorded are the only input; if the current tree asks something that
was not asked then, the replay stops there and says so rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharewise.domain.decide import MissingFact, NoAnswerFits, result_of, route_facts
from sharewise.domain.graph import CompiledTree
from sharewise.domain.result import DecisionResult


@dataclass(frozen=True, slots=True)
class Replay:
    """The original decision beside what the current tree makes of the same answers."""

    original: DecisionResult
    result: DecisionResult | None
    # When the current tree needs an answer the record does not hold: the fact and question.
    unanswered_fact: str | None = None
    unanswered_question: str | None = None

    @property
    def same_tree(self) -> bool:
        return self.result is not None and self.result.tree.sha256 == self.original.tree.sha256

    @property
    def decision_changed(self) -> bool:
        return self.result is None or self.result.decision != self.original.decision

    @property
    def added_citations(self) -> list[str]:
        now = self.result.citations if self.result else []
        return [c for c in now if c not in self.original.citations]

    @property
    def removed_citations(self) -> list[str]:
        now = self.result.citations if self.result else []
        return [c for c in self.original.citations if c not in now]

    @property
    def changed(self) -> bool:
        """Anything a reviewer should look at: decision, outcome or law cited."""
        if self.result is None:
            return True
        return (
            self.decision_changed
            or self.result.outcome.id != self.original.outcome.id
            or bool(self.added_citations or self.removed_citations)
        )


def replay(tree: CompiledTree, original: DecisionResult) -> Replay:
    """Decide the original answers again on `tree`."""
    answers = {step.fact: step.answer for step in original.path}
    try:
        route = route_facts(tree, answers)
    except MissingFact as gap:
        return Replay(original, None, gap.fact, tree.question(gap.node).text)
    except NoAnswerFits as gap:
        return Replay(original, None, None, tree.question(gap.node).text)
    return Replay(original, result_of(tree, route, answers))
