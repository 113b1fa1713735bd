"""Training: a trainee's walk through a scenario set against the model path, and the debrief.

The model path is what the tree makes of the scenario's facts. Each answer the trainee gave
is judged against the scenario's fact for that question, so a trainee who went astray early
still gets credit (or correction) for every later answer, and the debrief cites the law of
both outcomes so the trainer can talk through why they differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sharewise.domain.decide import decide
from sharewise.domain.graph import CompiledTree
from sharewise.domain.result import DecisionResult, by_question


@dataclass(frozen=True, slots=True)
class AnswerCheck:
    """One answer the trainee gave, beside the answer the scenario's facts call for."""

    node: str
    question: str
    fact: str
    given: str
    given_label: str
    expected: str | None
    expected_label: str | None
    #: Why the question is asked (the tree's "why we ask"): why the model answer matters.
    why: str = ""
    #: The law the model answer turns on here (citation ids): what the model outcome cites
    #: that the trainee's answer leads away from (see `law_turned_on`).
    turns_on: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.expected is not None and self.given == self.expected


@dataclass(frozen=True, slots=True)
class Debrief:
    """What the trainer and trainee talk through after an exercise."""

    model: DecisionResult
    trainee: DecisionResult
    answers: list[AnswerCheck]
    # Model questions the trainee never reached (because an earlier answer led elsewhere).
    missed: list[str] = field(default_factory=list)
    learning_points: list[str] = field(default_factory=list)

    @property
    def same_outcome(self) -> bool:
        return self.model.outcome.id == self.trainee.outcome.id

    @property
    def same_decision(self) -> bool:
        return self.model.decision == self.trainee.decision

    @property
    def correct_count(self) -> int:
        return sum(1 for a in self.answers if a.correct)

    @property
    def first_divergence(self) -> AnswerCheck | None:
        return next((a for a in self.answers if not a.correct), None)

    @property
    def citations_missed(self) -> list[str]:
        return [c for c in self.model.citations if c not in self.trainee.citations]

    @property
    def citations_extra(self) -> list[str]:
        return [c for c in self.trainee.citations if c not in self.model.citations]


def debrief(
    tree: CompiledTree,
    facts: Mapping[str, object],
    trainee: DecisionResult,
    learning_points: Sequence[str] = (),
) -> Debrief:
    """Compare the trainee's decided walk with the model path for the scenario's facts.

    A fact the scenario leaves out that has a vocabulary default (a fact added after the
    scenario was written, such as the kind of public body) is one the scenario does not
    say: the trainee's own answer to it stands, in the model path too, so it is never
    marked wrong and never makes the outcomes differ.
    """
    vocabulary = tree.vocabulary
    own = {
        s.fact: s.answer
        for s in trainee.path
        if s.fact not in facts and s.fact in vocabulary and vocabulary[s.fact].default is not None
    }
    facts = {**facts, **own}
    model = decide(tree, facts)
    checks: list[AnswerCheck] = []
    groups = by_question(trainee.path)
    # One check per question: an answer that settles two facts is right only if both are.
    for number, group in enumerate(groups):
        first = group[0]
        went = groups[number + 1][0].node if number + 1 < len(groups) else trainee.outcome.id
        wanted = [facts.get(s.fact) for s in group]
        expected_value = (
            " + ".join(str(w) for w in wanted) if all(isinstance(w, str) for w in wanted) else None
        )
        expected_label = None
        if expected_value is not None:
            expected_label = next(
                (c.label for c in tree.choices(first.node) if c.settles(facts)), expected_value
            )
        checks.append(
            AnswerCheck(
                first.node,
                first.question,
                first.fact,
                " + ".join(s.answer for s in group),
                first.label,
                expected_value,
                expected_label,
                tree.question(first.node).why if first.node in tree.model.questions else "",
                law_turned_on(tree, first.node, went, model),
            )
        )
    # By fact, not node: a tree asks the same question from several branches (as different
    # nodes), and a trainee who answered it on another branch did reach it.
    asked = {s.fact for s in trainee.path}
    missed = list(dict.fromkeys(s.question for s in model.path if s.fact not in asked))
    return Debrief(model, trainee, checks, missed, list(learning_points))


def law_turned_on(
    tree: CompiledTree, node: str, went: str, model: DecisionResult
) -> tuple[str, ...]:
    """The law the model answer turns on at question `node`, the trainee having gone to
    `went` from it: what the model outcome cites that no outcome still reachable from `went`
    cites (the law that answer leads away from). When every such citation is still within
    reach (the trainee's branch can still get there, or the answer was right), the law still
    open at the question: what the model outcome cites that not every outcome reachable from
    it does. Empty for a question the tree no longer has.
    """
    if node not in tree.model.questions:
        return ()
    wanted = model.outcome.law.all_ids()

    def cited(nodes: list[str]) -> list[set[str]]:
        return [set(tree.outcome(o).law.all_ids()) for o in nodes if tree.is_outcome(o)]

    if went in tree.model.questions or tree.is_outcome(went):
        reachable = set().union(*cited(tree.reachable_outcomes(went)))
        lost = tuple(c for c in wanted if c not in reachable)
        if lost:
            return lost
    below = cited(tree.reachable_outcomes(node))
    common = set.intersection(*below) if below else set()
    return tuple(c for c in wanted if c not in common)


def render_debrief(d: Debrief, registry_titles: Mapping[str, str]) -> str:
    """The debrief as Markdown-flavoured plain text, for the plain walk and for printing."""

    def title(cid: str) -> str:
        return f"{registry_titles.get(cid, cid)} [{cid}]"

    verdict = (
        "Same outcome as the model path."
        if d.same_outcome
        else "Same decision, by a different route."
        if d.same_decision
        else "A different decision from the model path."
    )
    lines = [
        "# Debrief",
        "",
        verdict,
        "",
        f"Your outcome:  {d.trainee.decision.value} - {d.trainee.outcome.title}",
        f"Model outcome: {d.model.decision.value} - {d.model.outcome.title}",
        "",
        f"Answers matching the scenario: {d.correct_count} of {len(d.answers)}",
        "",
    ]
    for i, a in enumerate(d.answers, start=1):
        mark = "ok " if a.correct else "XX "
        lines.append(f"{mark}{i}. {a.question}")
        lines.append(f"     you: {a.given_label}")
        if not a.correct:
            lines.append(f"     scenario: {a.expected_label or '(not set in the scenario)'}")
            if a.why:
                lines.append(f"     why we ask: {a.why}")
            if a.turns_on:
                lines.append(f"     the law it turns on: {', '.join(title(c) for c in a.turns_on)}")
    if d.missed:
        lines += ["", "Questions on the model path you did not reach:"]
        lines += [f"  - {q}" for q in d.missed]
    lines += ["", "The law behind the model outcome:"]
    lines += [f"  - {title(c)}" for c in d.model.citations]
    if d.citations_missed:
        lines += ["", "Cited by the model but not by your outcome:"]
        lines += [f"  - {title(c)}" for c in d.citations_missed]
    if d.citations_extra:
        lines += ["", "Cited by your outcome but not by the model:"]
        lines += [f"  - {title(c)}" for c in d.citations_extra]
    if d.learning_points:
        lines += ["", "Learning points:"]
        lines += [f"  - {p}" for p in d.learning_points]
    return "\n".join(lines) + "\n"
