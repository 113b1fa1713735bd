"""A walk through a tree: the current question, answering, going back, and the outcome.

The UI and the plain walk are both thin over this class: neither decides anything itself.

A walk may start with settled answers (`preset`): facts about the organisation or the
practitioner (see `settings.py`) that do not change from case to case. A question about one
of them is answered from the preset without being asked, marked as such in the path and the
record, and the person can still go back to it and answer it themselves for this case.

A walk reads the tree's plain nodes (`nodes.py`) and shows its trail as plain steps
(`TrailStep`): pydantic and the result's models are imported only when the steps for a
result (`steps`) or the result itself are built, so the UI walks without them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sharewise.domain.emergency import in_danger
from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.graph import Choice, CompiledTree
from sharewise.domain.nodes import Outcome, Question

if TYPE_CHECKING:
    from sharewise.domain.result import DecisionResult, Step


def questions_left(tree: CompiledTree, node: str, settled: Mapping[str, str] | None = None) -> int:
    """The most questions that can still be asked from `node` on (for "at most N more").

    A question the `settled` answers settle entirely (exactly one answer, every fact it
    settles given: as the walk decides) is answered without asking, so it is not counted and
    only that answer's branch is followed. One answer settling two facts is one question.
    The UI's progress line and the plain walk's both use it, so they never disagree.
    """
    settled = settled or {}

    @cache
    def depth(n: str) -> int:
        if tree.is_outcome(n):
            return 0
        choices = tree.choices(n)
        fitting = [c for c in choices if c.settles(settled)]
        if len(fitting) == 1:
            return depth(fitting[0].next)
        return 1 + max(depth(c.next) for c in choices)

    return depth(node)


@dataclass(frozen=True, slots=True)
class TrailStep:
    """A step of the trail a person sees (`Walk.trail`): the fields of `result.Step`, plain,
    so that showing the answers so far does not import pydantic (`Walk.steps` gives the
    result's own steps)."""

    node: str
    fact: str
    answer: str
    question: str
    label: str
    preset: bool = False
    revisits: int = 0
    changes: int = 0


@dataclass(frozen=True, slots=True)
class Answered:
    """A question that was asked and the choice made."""

    node: str
    choice: Choice
    preset: bool = False


class Walk:
    """One person's path through a tree, with undo to any earlier step."""

    def __init__(self, tree: CompiledTree, preset: Mapping[str, str] | None = None) -> None:
        self.tree = tree
        self._answers: list[Answered] = []
        self.preset: dict[str, str] = dict(preset or {})
        # Facts whose preset the person chose to override for this case.
        self._overridden: set[str] = set()
        #: Where the person struggled, by question node: how often they went back over it
        #: (back, or a jump to it) and how often their answer then changed. The answer they
        #: went back from is kept until they answer again, to tell a change from a confirm.
        self.revisits: Counter[str] = Counter()
        self.changes: Counter[str] = Counter()
        self._went_back_from: dict[str, Choice] = {}
        self.started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._apply_presets()

    @property
    def settled(self) -> dict[str, str]:
        """The preset answers still in effect: those not overridden for this case."""
        return {f: v for f, v in self.preset.items() if f not in self._overridden}

    def _apply_presets(self) -> None:
        """Answer, without asking, each question ahead that the presets settle entirely.

        A question whose answer would also settle a fact that is not preset (say `sharer` is
        preset but the same answer settles `care_professional` too) is asked in full.
        """
        while not self.finished:
            settled = self.settled
            fitting = [c for c in self.choices() if c.settles(settled)]
            if len(fitting) != 1:
                return  # nothing preset here, or a preset this tree cannot use: ask instead
            self._answers.append(Answered(self.node, fitting[0], preset=True))

    @property
    def node(self) -> str:
        """The node the walk stands at: a question, or the outcome once decided."""
        return self._answers[-1].choice.next if self._answers else self.tree.start

    @property
    def finished(self) -> bool:
        return self.tree.is_outcome(self.node)

    @property
    def question(self) -> Question | None:
        return None if self.finished else self.tree.question(self.node)

    @property
    def outcome(self) -> Outcome | None:
        return self.tree.outcome(self.node) if self.finished else None

    @property
    def answers(self) -> list[Answered]:
        return list(self._answers)

    def choices(self) -> list[Choice]:
        return [] if self.finished else self.tree.choices(self.node)

    def questions_left(self) -> int:
        """The most questions still to answer, this one included (0 once decided)."""
        return questions_left(self.tree, self.node, self.settled)

    @property
    def question_number(self) -> int:
        """The current question's number: questions, not facts (an answer may settle two),
        and those answered from the settings count as they are listed."""
        return len(self._answers) + 1

    @property
    def in_danger(self) -> bool:
        """Someone is in danger now (the danger fact answered yes): act first, and every
        question after that is for the record (see `sharewise.domain.emergency`)."""
        return any(in_danger(a.choice.facts) for a in self._answers)

    def choose(self, choice: Choice) -> str:
        """Pick one of `choices()` (what a person does); returns the node reached."""
        self._not_finished()
        if choice not in self.choices():
            raise InputError(
                Problem(Location("walk"), f"{choice.label!r} is not offered here", "pick again")
            )
        before = self._went_back_from.pop(self.node, None)
        if before is not None and before != choice:
            self.changes[self.node] += 1
        self._answers.append(Answered(self.node, choice))
        self._apply_presets()
        return self.node

    def answer(self, value: str) -> str:
        """Answer the current question with a value of its fact; returns the node reached.

        For a question whose answers also settle other facts, use `answer_from`.
        """
        self._not_finished()
        q = self.tree.question(self.node)
        matches = [c for c in self.choices() if c.value == value]
        if len(matches) == 1:
            return self.choose(matches[0])
        if matches:
            more = ", ".join(f for f in q.facts() if f != q.fact)
            raise InputError(
                Problem(
                    Location("walk"),
                    f"{value!r} does not settle {self.node!r} alone",
                    f"give {more} as well",
                )
            )
        allowed = ", ".join(dict.fromkeys(c.value for c in self.choices()))
        raise InputError(
            Problem(
                Location("walk"),
                f"{value!r} is not an answer to {q.fact!r}",
                f"use one of: {allowed}",
            )
        )

    def answer_from(self, facts: Mapping[str, object]) -> str:
        """Answer the current question from a mapping of fact to value (a facts file)."""
        return self.choose(self.choices()[self.index_for(facts)])

    def index_for(self, facts: Mapping[str, object]) -> int:
        """The position among `choices()` of the one answer `facts` give.

        Raises InputError if the facts do not settle the question: its fact or a fact its
        answers also settle is missing, or the value is not an answer here. A fact with a
        vocabulary `default` that the facts leave out is taken at it, as `decide` does.
        """
        self._not_finished()
        q = self.tree.question(self.node)
        if q.fact not in facts:
            default = self.tree.vocabulary[q.fact].default
            if default is None:
                raise InputError(
                    Problem(Location("walk"), f"{q.fact!r} is not given", f"give {q.fact}")
                )
            facts = {**facts, q.fact: default}  # a fact added later: as `decide` takes it
        choices = self.choices()
        matches = [i for i, c in enumerate(choices) if c.settles(facts)]
        if len(matches) == 1:
            return matches[0]
        missing = [f for f in q.facts() if f not in facts]
        if missing and any(c.fits(facts) for c in choices):
            raise InputError(
                Problem(
                    Location("walk"),
                    f"{', '.join(missing)} not given, which {self.node!r} also settles",
                    f"give {', '.join(missing)}",
                )
            )
        allowed = ", ".join(dict.fromkeys(c.value for c in choices))
        raise InputError(
            Problem(
                Location("walk"),
                f"{facts[q.fact]!r} is not an answer to {q.fact!r}",
                f"use one of: {allowed}",
            )
        )

    def _not_finished(self) -> None:
        if self.finished:
            raise InputError(
                Problem(
                    Location("walk"),
                    "the walk has already reached an outcome",
                    "go back to change an answer",
                )
            )

    def back(self) -> None:
        """Undo the person's last answer, and any preset answers given after it.

        At the start, or with only preset answers behind, nothing changes: a preset is changed
        by jumping back to it (`jump_back`), which says what will be cleared.
        """
        keep = len(self._answers)
        while keep and self._answers[keep - 1].preset:
            keep -= 1
        if keep:
            self._went_back(self._answers[keep - 1 :])
            del self._answers[keep - 1 :]

    def _went_back(self, cleared: list[Answered]) -> None:
        """The person returns to the first cleared question: count it as revisited, and
        remember each cleared answer (a later different answer to it is a change)."""
        self.revisits[cleared[0].node] += 1
        for a in cleared:
            self._went_back_from.setdefault(a.node, a.choice)

    def would_clear(self, index: int) -> list[Answered]:
        """The answers that jumping back to step `index` would clear (for a warning)."""
        return list(self._answers[index:])

    def jump_back(self, index: int) -> list[Answered]:
        """Return to step `index` (0 = the first question); returns the answers cleared."""
        if not 0 <= index <= len(self._answers):
            raise IndexError(index)
        cleared = self._answers[index:]
        if cleared:
            self._went_back(cleared)
        del self._answers[index:]
        if cleared and cleared[0].preset:
            # Going back to a preset answer means answering it yourself for this case.
            self._overridden.update(f for f in cleared[0].choice.facts if f in self.preset)
        return cleared

    def reachable_outcomes(self) -> list[Outcome]:
        """The outcomes still possible from here: why the current question matters."""
        return [self.tree.outcome(o) for o in self.tree.reachable_outcomes(self.node)]

    def citations_in_play(self) -> list[str]:
        """Every citation any still-reachable outcome relies on, once each."""
        seen: dict[str, None] = {}
        for outcome in self.reachable_outcomes():
            for cid in outcome.law.all_ids():
                seen.setdefault(cid, None)
        return list(seen)

    def steps(self) -> list[Step]:
        """The facts settled so far, one step per fact (an answer may settle several), as a
        result holds them (this imports the result's models)."""
        from sharewise.domain.result import Step

        steps = []
        for a in self._answers:
            for f, v in a.choice.facts.items():
                t = self._step(a, f, v)
                steps.append(
                    Step(
                        node=t.node,
                        fact=t.fact,
                        answer=t.answer,
                        question=t.question,
                        label=t.label,
                        preset=t.preset,
                        revisits=t.revisits,
                        changes=t.changes,
                    )
                )
        return steps

    def trail(self) -> list[TrailStep]:
        """One step per question answered, in order: what a person sees as "your answers".

        Its positions are those `jump_back` and `would_clear` take. Each step names the
        question's own fact; `steps()` has every fact an answer settled.
        """
        return [self._step(a, a.choice.fact, a.choice.value) for a in self._answers]

    def _step(self, a: Answered, fact: str, value: str) -> TrailStep:
        q = self.tree.question(a.node)
        return TrailStep(
            node=a.node,
            fact=fact,
            answer=value,
            question=q.text,
            label=a.choice.label,
            preset=a.preset,
            revisits=self.revisits[a.node],
            changes=self.changes[a.node],
        )

    def result(self) -> DecisionResult:
        """The decided case; only once an outcome is reached."""
        if not self.finished:
            raise InputError(
                Problem(Location("walk"), "no outcome yet", "answer the remaining questions")
            )
        result = build_result(self.tree, self.node, self.steps())
        return result.model_copy(update={"started": self.started})


def build_result(tree: CompiledTree, outcome_id: str, steps: list[Step]) -> DecisionResult:
    """Assemble the result object shared by the walk, `decide` and records (the first thing
    a walk builds with pydantic: its plain outcome becomes the result's models here)."""
    from sharewise.domain.result import DecisionResult, OutcomeView

    o = tree.outcome(outcome_id)
    view = OutcomeView(
        id=outcome_id,
        decision=o.decision,
        title=o.title,
        summary=o.summary,
        actions=list(o.actions),
        law=o.law.model(),
        advice_whom=list(o.advice.whom) if o.advice else [],
        advice_ask=list(o.advice.ask) if o.advice else [],
    )
    return DecisionResult(
        decision=o.decision, outcome=view, citations=o.law.all_ids(), path=steps, tree=tree.ref()
    )
