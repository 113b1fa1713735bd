"""Scenario files (worked cases with expected outcomes) and checking them against a tree.

Scenarios are how trainers teach the tree and how an organisation proves, after editing its
tree, that the cases it cares about still come out as the law says. A scenario names the
facts of a case and what must follow: the decision (one of a list), citations that must all
appear, groups of which at least one must appear, and citations that must not appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sharewise.domain.decide import decide
from sharewise.domain.errors import InputError, Problem
from sharewise.domain.graph import CompiledTree
from sharewise.domain.loader import load_model
from sharewise.domain.result import DecisionResult
from sharewise.domain.tree import Decision

ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


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
    theme: str = Field(min_length=1)
    narrative: str = Field(min_length=1)
    facts: dict[str, str] = Field(min_length=1)
    expect: Expect
    learning_points: list[str] = Field(default_factory=list)


@dataclass
class Verdict:
    """The result of checking one scenario: what the tree said and what was wrong."""

    path: Path
    scenario: Scenario | None
    result: DecisionResult | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load_scenario(path: str | Path) -> Scenario:
    """Load one scenario file strictly; InputError names the line of any problem."""
    scenario, _ = load_model(path, Scenario, "scenario")
    return scenario


def scenario_files(directory: str | Path) -> list[Path]:
    """The scenario files in a folder, in name order (so output is stable)."""
    folder = Path(directory)
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def check_scenario(tree: CompiledTree, scenario: Scenario, path: Path | None = None) -> Verdict:
    """Decide the scenario's facts on `tree` and compare with its `expect` block."""
    verdict = Verdict(path or Path(scenario.id), scenario)
    try:
        result = decide(tree, scenario.facts)
    except InputError as exc:
        verdict.failures.append(f"could not decide: {exc.render()}")
        return verdict
    verdict.result = result
    expect = scenario.expect
    cited = set(result.citations)
    if result.decision not in expect.decision:
        wanted = " or ".join(d.value for d in expect.decision)
        verdict.failures.append(
            f"decision is {result.decision.value} (outcome {result.outcome.id}), expected {wanted}"
        )
    missing = [c for c in expect.cite_all if c not in cited]
    if missing:
        verdict.failures.append(f"does not cite {', '.join(missing)}")
    for group in expect.cite_any:
        if not cited & set(group):
            verdict.failures.append(f"cites none of {', '.join(group)}")
    wrong = [c for c in expect.cite_none if c in cited]
    if wrong:
        verdict.failures.append(f"cites {', '.join(wrong)}, which it must not")
    return verdict


def check_directory(tree: CompiledTree, directory: str | Path) -> list[Verdict]:
    """Check every scenario file in a folder; a file that will not load is a failure too."""
    verdicts: list[Verdict] = []
    for path in scenario_files(directory):
        try:
            scenario = load_scenario(path)
        except InputError as exc:
            verdicts.append(Verdict(path, None, failures=[p.render() for p in exc.problems]))
            continue
        verdicts.append(check_scenario(tree, scenario, path))
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
