"""Scenario files (worked cases with expected outcomes) and checking them against a tree.

Scenarios are how trainers teach the tree and how an organisation proves, after editing its
tree, that the cases it cares about still come out as the law says. A scenario names the
facts of a case and what must follow: the decision (one of a list), citations that must all
appear, groups of which at least one must appear, and citations that must not appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sharewise.domain.decide import decide
from sharewise.domain.errors import InputError, Problem
from sharewise.domain.graph import CompiledTree
from sharewise.domain.loader import load_model
from sharewise.domain.result import DecisionResult
from sharewise.domain.strict_yaml import Locator
from sharewise.domain.tree import Decision

ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class Theme(StrEnum):
    """The Child Safeguarding Practice Review Panel's six practice themes (LAW.md, "Why this
    tool exists"). A scenario names the one it teaches, so that a trainer can build a session
    around a theme and the bank can be checked to cover every one; a misspelt theme is an
    error with its line, not a seventh theme with one scenario."""

    DAILY_LIFE = "Understanding what the child's daily life is like"
    ENGAGEMENT = "Working with families where engagement is reluctant and sporadic"
    CHALLENGE = "Critical thinking and challenge"
    CHANGING_RISK = "Responding to changing risk and need"
    TIMELY_SHARING = "Sharing information in a timely and appropriate way"
    LEADERSHIP = "Organisational leadership and culture for good outcomes"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    """What the tree must answer for the scenario's facts."""

    decision: list[Decision] = Field(min_length=1)
    cite_all: list[str] = Field(default_factory=list)
    cite_any: list[list[str]] = Field(default_factory=list)
    cite_none: list[str] = Field(default_factory=list)


class Scenario(_Strict):
    """One worked case: a story, its facts, what must follow, and what to learn from it."""

    id: ScenarioId
    title: str = Field(min_length=1)
    theme: Theme
    narrative: str = Field(min_length=1)
    facts: dict[str, str] = Field(min_length=1)
    expect: Expect
    learning_points: list[str] = Field(default_factory=list)


@dataclass
class Verdict:
    """The result of checking one scenario: what the tree said and what was wrong.

    `unreadable` marks a file that is not a usable scenario at all (bad YAML, a key the
    format lacks, a fact or citation the tree does not know): that is bad input, exit 2,
    where a scenario the tree answers differently is a mismatch, exit 1.
    """

    path: Path
    scenario: Scenario | None
    result: DecisionResult | None = None
    failures: list[str] = field(default_factory=list)
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures


def load_scenario(path: str | Path) -> Scenario:
    """Load one scenario file strictly; InputError names the line of any problem."""
    scenario, _ = load_model(path, Scenario, "scenario")
    return scenario


def load_located(path: str | Path) -> tuple[Scenario, Locator]:
    """A scenario and where each part of it was written, for problems found later."""
    return load_model(path, Scenario, "scenario")


def scenario_files(directory: str | Path) -> list[Path]:
    """The scenario files in a folder, in name order (so output is stable)."""
    folder = Path(directory)
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def vocabulary_problems(
    tree: CompiledTree, scenario: Scenario, locator: Locator | None = None
) -> list[Problem]:
    """Facts and citation ids the tree does not know, each at the line it was written.

    A trainer's misspelt fact would otherwise surface only if the walk reached it, and a
    misspelt citation would fail as "does not cite", sending them to look at the tree.
    """
    where = locator or Locator(scenario.id)
    problems: list[Problem] = []
    for name, value in scenario.facts.items():
        if name not in tree.vocabulary:
            problems.append(
                Problem(
                    where.key_at(("facts", name)),
                    f"facts: unknown fact {name!r}",
                    "check the spelling against the fact vocabulary (decision_trees/facts.yaml)",
                )
            )
        elif value not in tree.vocabulary[name].values:
            allowed = ", ".join(tree.vocabulary[name].values)
            problems.append(
                Problem(
                    where.at(("facts", name)),
                    f"facts: {name}: {value!r} is not a value of this fact",
                    f"use one of: {allowed}",
                )
            )
    expect = scenario.expect
    cited: list[tuple[tuple[str | int, ...], str]] = [
        *((("expect", "cite_all", i), c) for i, c in enumerate(expect.cite_all)),
        *((("expect", "cite_none", i), c) for i, c in enumerate(expect.cite_none)),
        *(
            (("expect", "cite_any", g, i), c)
            for g, group in enumerate(expect.cite_any)
            for i, c in enumerate(group)
        ),
    ]
    for place, cid in cited:
        if cid not in tree.registry:
            problems.append(
                Problem(
                    where.at(place),
                    f"{'.'.join(str(p) for p in place[:2])}: unknown citation {cid!r}",
                    "use an id from decision_trees/citations.yaml",
                )
            )
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    return problems


def check_scenario(
    tree: CompiledTree,
    scenario: Scenario,
    path: Path | None = None,
    locator: Locator | None = None,
) -> Verdict:
    """Decide the scenario's facts on `tree` and compare with its `expect` block."""
    verdict = Verdict(path or Path(scenario.id), scenario)
    unknown = vocabulary_problems(tree, scenario, locator)
    if unknown:
        verdict.failures += [p.render() for p in unknown]
        verdict.unreadable = True
        return verdict
    try:
        result = decide(tree, scenario.facts, locator.within(("facts",)) if locator else None)
    except InputError as exc:
        verdict.failures.append(f"could not decide: {exc.render()}")
        return verdict
    verdict.result = result
    verdict.failures += mismatches(scenario.expect, result)
    return verdict


def mismatches(expect: Expect, result: DecisionResult) -> list[str]:
    """How `result` differs from what a scenario expects (nothing: it matches)."""
    failures: list[str] = []
    cited = set(result.citations)
    if result.decision not in expect.decision:
        wanted = " or ".join(d.value for d in expect.decision)
        failures.append(
            f"decision is {result.decision.value} (outcome {result.outcome.id}), expected {wanted}"
        )
    missing = [c for c in expect.cite_all if c not in cited]
    if missing:
        failures.append(f"does not cite {', '.join(missing)}")
    for group in expect.cite_any:
        if not cited & set(group):
            failures.append(f"cites none of {', '.join(group)}")
    wrong = [c for c in expect.cite_none if c in cited]
    if wrong:
        failures.append(f"cites {', '.join(wrong)}, which it must not")
    return failures


def check_directory(tree: CompiledTree, directory: str | Path) -> list[Verdict]:
    """Check every scenario file in a folder as strictly as a tree: a file that will not
    load, or names a fact or citation the tree lacks, or repeats another file's id, is a
    located problem; the rest are decided and compared."""
    verdicts: list[Verdict] = []
    seen: dict[str, Path] = {}
    for path in scenario_files(directory):
        try:
            scenario, locator = load_located(path)
        except InputError as exc:
            verdicts.append(
                Verdict(path, None, failures=[p.render() for p in exc.problems], unreadable=True)
            )
            continue
        if scenario.id in seen:
            problem = Problem(
                locator.at(("id",)),
                f"id: {scenario.id!r} is also the id of {seen[scenario.id].name}",
                "give each scenario in a folder its own id (the file name without .yaml)",
            )
            verdicts.append(Verdict(path, scenario, failures=[problem.render()], unreadable=True))
            continue
        seen[scenario.id] = path
        verdicts.append(check_scenario(tree, scenario, path, locator))
    return verdicts


def render_verdict(verdict: Verdict) -> str:
    """One line per scenario, then one indented line per failure."""
    name = verdict.scenario.id if verdict.scenario else verdict.path.name
    if verdict.ok and verdict.result is not None:
        return f"ok   {name}: {verdict.result.decision.value} ({verdict.result.outcome.id})"
    lines = [f"FAIL {name} ({verdict.path})"]
    lines += [f"     {failure}" for failure in verdict.failures]
    return "\n".join(lines)


def problems_of(verdicts: list[Verdict]) -> list[Problem]:
    """Failures as located problems, for callers that collect problems."""
    from sharewise.domain.errors import Location

    return [
        Problem(Location(str(v.path)), failure)
        for v in verdicts
        if not v.ok
        for failure in v.failures
    ]
