"""What a change of tree does to decisions: the same answers decided on two trees, compared.

When the law moves, a tree author needs to see every case the new tree decides differently,
and an IG lead needs to know which filed records would now come out another way. Both are
the same question asked of different answers: every path through either tree, the scenario
bank, and the answers stored in records. Each set of answers is decided on both sides
(`land`); the ones whose decision, outcome, law cited or questions asked differ are
gathered into groups that changed the same way (`group`), each described by the answers
all its members share ("14 records with sharer = charity and data = offence now share
instead of seeking advice").

Only the answers are replayed: nothing here reads a ledger or a file, so the same code
serves `tree diff`, `records replay` and the IG lead's screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sharewise.domain.decide import MissingFact, NoAnswerFits, route_facts
from sharewise.domain.graph import CompiledTree
from sharewise.domain.result import TreeRef


class Source(StrEnum):
    """Where a set of answers came from."""

    PATH = "path"
    SCENARIO = "scenario"
    RECORD = "record"


@dataclass(frozen=True, slots=True)
class Landing:
    """Where one set of answers ends on one tree: the outcome, or why it cannot be decided."""

    decision: str | None
    outcome: str | None
    title: str
    citations: tuple[str, ...]
    #: Every fact the route asked (and the answers gave), in no particular order.
    asked: frozenset[str]
    #: When it cannot be decided: the question the answers do not settle.
    gap: str | None = None

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def sameness(self) -> tuple[object, ...]:
        """What must match for two landings to count as the same decision.

        The outcome's id is left out: a rewrite may rename outcomes without changing what a
        practitioner is told; its title, decision and law are what they see and rely on.
        """
        return (self.decision, self.title, frozenset(self.citations), self.asked, self.gap)


def land(tree: CompiledTree, answers: Mapping[str, str]) -> Landing:
    """Decide `answers` on `tree` (without building a full result: this runs per record)."""
    try:
        route = route_facts(tree, answers)
    except MissingFact as gap:
        text = tree.question(gap.node).text
        return Landing(None, None, "", (), frozenset(), f"{text} ({gap.fact})")
    except NoAnswerFits as gap:
        text = tree.question(gap.node).text
        return Landing(None, None, "", (), frozenset(), f"{text} (no answer fits)")
    end = route[-1].next if route else tree.start
    outcome = tree.outcome(end)
    asked = frozenset(f for choice in route for f in choice.facts if f in answers)
    return Landing(
        outcome.decision.value,
        end,
        outcome.title,
        tuple(outcome.law.all_ids()),
        asked,
    )


def landing_of(result: Mapping[str, Any]) -> Landing:
    """Where a recorded result ended, as `land` would say it (`result` as a record stores
    it: `DecisionResult.model_dump(mode="json")`)."""
    outcome = result["outcome"]
    return Landing(
        str(result["decision"]),
        str(outcome["id"]),
        str(outcome["title"]),
        tuple(result["citations"]),
        frozenset(step["fact"] for step in result["path"]),
    )


def answers_of(result: Mapping[str, Any]) -> dict[str, str]:
    """The answers a recorded result (as stored) was decided on."""
    return {step["fact"]: step["answer"] for step in result["path"]}


@dataclass(frozen=True, slots=True)
class Case:
    """One set of answers and where it lands on each side."""

    source: Source
    #: The path's answers written out, the scenario's id, or the record's id.
    ident: str
    answers: Mapping[str, str]
    before: Landing
    after: Landing
    #: For a record: its number in the chain and the tree it was decided on.
    seq: int | None = None
    tree_sha256: str | None = None

    @property
    def changed(self) -> bool:
        return self.before.sameness() != self.after.sameness()

    @property
    def decision_changed(self) -> bool:
        return self.before.decision != self.after.decision


@dataclass
class Group:
    """Cases that changed in the same way."""

    before: Landing
    after: Landing
    cases: list[Case] = field(default_factory=list)

    @property
    def added_citations(self) -> list[str]:
        return [c for c in self.after.citations if c not in self.before.citations]

    @property
    def removed_citations(self) -> list[str]:
        return [c for c in self.before.citations if c not in self.after.citations]

    @property
    def asks_now(self) -> list[str]:
        return sorted(self.after.asked - self.before.asked)

    @property
    def no_longer_asks(self) -> list[str]:
        return sorted(self.before.asked - self.after.asked)

    def count(self, source: Source) -> int:
        return sum(1 for c in self.cases if c.source is source)

    def shared_answers(self) -> dict[str, str]:
        """The answers every case in the group gave: what the group has in common."""
        common: dict[str, str] | None = None
        for case in self.cases:
            if common is None:
                common = dict(case.answers)
            else:
                common = {f: v for f, v in common.items() if case.answers.get(f) == v}
            if not common:
                return {}
        return common or {}

    def headline(self) -> str:
        """One line saying what changed, for a person."""
        b, a = self.before, self.after
        if not a.decided:
            return f"{b.decision or 'undecided'} -> cannot decide: the tree now asks {a.gap}"
        if not b.decided:
            return f"cannot decide (asked {b.gap}) -> {a.decision}"
        if b.decision != a.decision:
            return f"{b.decision} -> {a.decision}"
        if b.title != a.title:
            return f"{a.decision}, another outcome"
        if b.citations != a.citations and set(b.citations) != set(a.citations):
            return f"{a.decision}, other law cited"
        return f"{a.decision}, other questions asked"


def group(cases: Iterable[Case]) -> tuple[list[Group], dict[Source, tuple[int, int]]]:
    """The changed cases in groups (largest first), and per source (changed, total)."""
    groups: dict[tuple[object, ...], Group] = {}
    totals: dict[Source, list[int]] = {s: [0, 0] for s in Source}
    for case in cases:
        tally = totals[case.source]
        tally[1] += 1
        if not case.changed:
            continue
        tally[0] += 1
        key = (case.before.sameness(), case.after.sameness())
        found = groups.get(key)
        if found is None:
            found = groups[key] = Group(case.before, case.after)
        found.cases.append(case)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.cases), g.headline()))
    return ordered, {s: (t[0], t[1]) for s, t in totals.items()}


class Replayer:
    """Decides answers on one tree, remembering each distinct set: a ledger of 100,000
    records holds only as many distinct sets of answers as there are paths people took."""

    def __init__(self, tree: CompiledTree) -> None:
        self.tree = tree
        self._seen: dict[frozenset[tuple[str, str]], Landing] = {}

    def __call__(self, answers: Mapping[str, str]) -> Landing:
        key = frozenset(answers.items())
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = land(self.tree, answers)
        return found


def path_cases(old: CompiledTree, new: CompiledTree) -> Iterator[Case]:
    """Every path through either tree, decided on both (each set of answers once)."""
    on_old, on_new = Replayer(old), Replayer(new)
    seen: set[frozenset[tuple[str, str]]] = set()
    for tree in (old, new):
        for path in tree.paths():
            answers = path.answers()
            key = frozenset(answers.items())
            if key in seen:
                continue
            seen.add(key)
            ident = ", ".join(f"{f}={v}" for f, v in answers.items())
            yield Case(Source.PATH, ident, answers, on_old(answers), on_new(answers))


@dataclass(frozen=True, slots=True)
class QuestionChange:
    """A question (by its fact) that one tree asks and the other does not, or words otherwise."""

    fact: str
    before: str | None
    after: str | None


def question_changes(old: CompiledTree, new: CompiledTree) -> list[QuestionChange]:
    """Questions added, removed or reworded between two trees, by the fact each asks."""

    def wording(tree: CompiledTree) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for question in tree.model.questions.values():
            texts = found.setdefault(question.fact, [])
            if question.text not in texts:
                texts.append(question.text)
        return found

    was, now = wording(old), wording(new)
    changes: list[QuestionChange] = []
    for fact in sorted(set(was) | set(now)):
        before, after = was.get(fact, []), now.get(fact, [])
        if before == after:
            continue
        gone = [t for t in before if t not in after]
        came = [t for t in after if t not in before]
        for i in range(max(len(gone), len(came))):
            changes.append(
                QuestionChange(
                    fact, gone[i] if i < len(gone) else None, came[i] if i < len(came) else None
                )
            )
    return changes


def tree_json(ref: TreeRef) -> dict[str, str]:
    """A tree as the reports name it."""
    return {
        "id": ref.id,
        "version": ref.version,
        "sha256": ref.sha256,
        "law_as_at": ref.law_as_at.isoformat(),
    }
