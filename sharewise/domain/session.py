"""Training sessions: each trainee's attempt at a scenario, and the trainer's summary of them.

A trainer running a session for twenty staff needs to know which questions the team
misunderstands, not only how one trainee did. So each debrief in a session is kept as an
`Attempt`: who (the name the trainee gave), which scenario, every answer beside the model
answer with the question's "why we ask", and both outcomes with their law. An attempt is
self-contained (it carries the question texts and the tree's version), so attempts collected
from several machines can be merged and summarised without the tree that produced them.

Attempts are training material, never decisions: they are kept apart from the ledger (see
`sharewise.store.training`) and never counted in its statistics.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.graph import CompiledTree
from sharewise.domain.result import DecisionResult, by_question
from sharewise.domain.scenarios import Scenario
from sharewise.domain.training import Debrief
from sharewise.domain.tree import Decision

#: A session or trainee name: what a person types, on one line, within reason.
NAME_MAX = 80


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Frozen):
    """One question on the trainee's path or the model's, with both answers."""

    fact: str
    question: str
    why: str
    #: The trainee's answer (value and words), or None: on the model path, never reached.
    given: str | None
    given_label: str | None
    #: The scenario's answer, or None where the scenario does not say.
    model: str | None
    model_label: str | None

    @property
    def reached(self) -> bool:
        return self.given is not None

    @property
    def differs(self) -> bool:
        """Answered, and not as the model: what a trainer debriefs on."""
        return self.given is not None and self.model is not None and self.given != self.model


class Ending(_Frozen):
    """An outcome reached: its decision, title and the law it relies on."""

    outcome: str
    decision: Decision
    title: str
    citations: list[str]


class Attempt(_Frozen):
    """One trainee's attempt at one scenario in a session (one line of a session file)."""

    kind: Literal["sharewise.training.attempt"] = "sharewise.training.attempt"
    version: Literal[1] = 1
    id: str = Field(min_length=1, max_length=64)
    session: str = Field(min_length=1, max_length=NAME_MAX)
    trainee: str = Field(min_length=1, max_length=NAME_MAX)
    at: dt.datetime
    scenario: str
    scenario_title: str
    theme: str
    tree: str
    tree_version: str
    tree_sha256: str
    trainee_ending: Ending
    model_ending: Ending
    answers: list[Answer]
    #: The questions of the model path, by fact, in order (how a summary orders questions).
    model_path: list[str]

    @property
    def same_decision(self) -> bool:
        return self.trainee_ending.decision == self.model_ending.decision

    @property
    def same_law(self) -> bool:
        """Relies on exactly the law the model outcome relies on (order aside)."""
        return set(self.trainee_ending.citations) == set(self.model_ending.citations)


def clean_name(text: str, what: str) -> str:
    """A session or trainee name as typed, trimmed and on one line; InputError if unusable.

    Control characters are refused rather than stripped, so that what is stored is what the
    person will see in the report.
    """
    name = " ".join(text.split())
    if not name:
        raise InputError(Problem(Location(what), f"the {what} is empty", f"type a {what}"))
    if len(name) > NAME_MAX:
        raise InputError(
            Problem(Location(what), f"the {what} is too long", f"use at most {NAME_MAX} characters")
        )
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise InputError(
            Problem(Location(what), f"the {what} has control characters", "type plain text")
        )
    return name


def trainee_key(name: str) -> str:
    """Who a name means: "Ann  Lee" and "ann lee" are the same trainee on two machines."""
    return " ".join(name.split()).casefold()


def session_slug(name: str) -> str:
    """A file-name form of a session name: lower case, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return slug[:60] or "session"


def _ending(result: DecisionResult) -> Ending:
    o = result.outcome
    return Ending(
        outcome=o.id, decision=o.decision, title=o.title, citations=list(result.citations)
    )


def make_attempt(
    tree: CompiledTree,
    scenario: Scenario,
    debrief: Debrief,
    *,
    session: str,
    trainee: str,
    at: dt.datetime | None = None,
) -> Attempt:
    """The attempt a debrief describes, ready to be kept under `session`.

    Questions are listed in the order the trainee met them, then the model path's questions
    they never reached (an earlier answer led elsewhere), so a summary can count both.
    """
    answers: list[Answer] = []
    seen: set[str] = set()
    for check in debrief.answers:
        seen.add(check.fact)
        answers.append(
            Answer(
                fact=check.fact,
                question=check.question,
                why=tree.question(check.node).why if check.node in tree.model.questions else "",
                given=check.given,
                given_label=check.given_label,
                model=check.expected,
                model_label=check.expected_label,
            )
        )
    for group in by_question(debrief.model.path):
        first = group[0]
        if first.fact in seen:
            continue
        seen.add(first.fact)
        answers.append(
            Answer(
                fact=first.fact,
                question=first.question,
                why=tree.question(first.node).why,
                given=None,
                given_label=None,
                model=" + ".join(s.answer for s in group),
                model_label=first.label,
            )
        )
    ref = tree.ref()
    return Attempt(
        id=uuid.uuid4().hex,
        session=clean_name(session, "session name"),
        trainee=clean_name(trainee, "trainee's name"),
        at=at or dt.datetime.now(dt.UTC),
        scenario=scenario.id,
        scenario_title=scenario.title,
        theme=scenario.theme.value,
        tree=ref.id,
        tree_version=ref.version,
        tree_sha256=ref.sha256,
        trainee_ending=_ending(debrief.trainee),
        model_ending=_ending(debrief.model),
        answers=answers,
        model_path=[group[0].fact for group in by_question(debrief.model.path)],
    )


# ---- the trainer's summary ------------------------------------------------------------------


@dataclass
class QuestionFigures:
    """One question of one scenario, across the trainees who met it or should have."""

    fact: str
    question: str
    why: str
    model_label: str | None
    answered: int = 0
    differed: int = 0
    #: Trainees whose path never reached this question of the model path.
    not_reached: int = 0
    wrong: Counter[str] = field(default_factory=Counter)

    @property
    def most_common_wrong(self) -> tuple[str, int] | None:
        """The wrong answer given most often (ties: the one given first)."""
        if not self.wrong:
            return None
        label, n = self.wrong.most_common(1)[0]
        return label, n


@dataclass
class ScenarioFigures:
    """One scenario: how many trainees reached the model decision and the model law."""

    scenario: str
    title: str
    theme: str
    model: Ending
    trainees: int = 0
    same_decision: int = 0
    same_law: int = 0
    #: Attempts after a trainee's first at this scenario ("try again"): not counted above.
    retries: int = 0
    questions: list[QuestionFigures] = field(default_factory=list)
    #: The decisions trainees reached, most frequent first.
    decisions: Counter[str] = field(default_factory=Counter)


@dataclass
class Summary:
    """The whole session, as the trainer's report and screen show it."""

    session: str
    trainees: list[str]
    scenarios: list[ScenarioFigures]
    attempts: int
    first: dt.datetime | None
    last: dt.datetime | None
    #: Trees the attempts were made on: more than one means the model answers may differ.
    trees: list[str]

    def questions_by_difference(self) -> list[tuple[ScenarioFigures, QuestionFigures]]:
        """Every question with at least one different answer, the most misunderstood first."""
        rows = [(s, q) for s in self.scenarios for q in s.questions if q.differed]
        return sorted(rows, key=lambda r: (-r[1].differed / max(r[1].answered, 1), -r[1].differed))


def summarise(session: str, attempts: Iterable[Attempt]) -> Summary:
    """The trainer's summary of a session's attempts.

    Each trainee counts once per scenario, by their first attempt: what they understood
    before the debrief told them. Later attempts ("try again") are counted as retries only.
    Questions are in the order of the model path, then questions only wrong turns reached.
    """
    # By time to the microsecond; a tie (files written to the second by earlier versions)
    # keeps the order read, which is the order a trainee's own file was written in.
    ordered = sorted((a for a in attempts if a.session == session), key=lambda a: a.at)
    firsts: dict[tuple[str, str], Attempt] = {}
    retries: Counter[str] = Counter()
    names: dict[str, str] = {}
    for a in ordered:
        who = trainee_key(a.trainee)
        names.setdefault(who, a.trainee)
        if (who, a.scenario) in firsts:
            retries[a.scenario] += 1
        else:
            firsts[(who, a.scenario)] = a
    figures: dict[str, ScenarioFigures] = {}
    for a in firsts.values():
        s = figures.get(a.scenario)
        if s is None:
            s = figures[a.scenario] = ScenarioFigures(
                a.scenario, a.scenario_title, a.theme, a.model_ending
            )
        s.trainees += 1
        s.same_decision += a.same_decision
        s.same_law += a.same_law
        s.decisions[a.trainee_ending.decision.value] += 1
        _count_answers(s, a.answers)
    for sid, s in figures.items():
        s.retries = retries[sid]
        path = next(a.model_path for a in firsts.values() if a.scenario == sid)
        place = {fact: i for i, fact in enumerate(path)}
        # Model-path questions in their order; questions only a wrong turn met, after them.
        s.questions.sort(key=lambda q: place.get(q.fact, len(place)))
    return Summary(
        session=session,
        trainees=sorted(names.values(), key=trainee_key),
        scenarios=sorted(figures.values(), key=lambda s: s.scenario),
        attempts=len(ordered),
        first=ordered[0].at if ordered else None,
        last=ordered[-1].at if ordered else None,
        trees=sorted({f"{a.tree} {a.tree_version}" for a in ordered}),
    )


def _count_answers(s: ScenarioFigures, answers: Sequence[Answer]) -> None:
    by_fact = {q.fact: q for q in s.questions}
    for ans in answers:
        q = by_fact.get(ans.fact)
        if q is None:
            q = by_fact[ans.fact] = QuestionFigures(ans.fact, ans.question, ans.why, None)
            s.questions.append(q)
        if q.model_label is None and ans.model_label is not None:
            q.model_label = ans.model_label
        if not ans.reached:
            q.not_reached += 1
            continue
        q.answered += 1
        if ans.differs:
            q.differed += 1
            q.wrong[ans.given_label or ans.given or ""] += 1
