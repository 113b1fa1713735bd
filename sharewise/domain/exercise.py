"""Training exercises: the scenario bank a trainee chooses from, and the debrief as Markdown.

The UI's training screens and `sharewise train --plain` share this, so that a trainee on a
screen reader gets the same debrief, word for word, as one at the terminal UI, and the
exported file is the same text again. Scenario files are written by trainers, so every
piece of their text goes through `safe_text` before it is shown or written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.graph import CompiledTree
from sharewise.domain.nodes import Citations
from sharewise.domain.result import DecisionResult
from sharewise.domain.safe_text import safe_line, safe_text
from sharewise.domain.scenarios import Scenario, load_scenario, scenario_files
from sharewise.domain.training import Debrief, debrief
from sharewise.domain.tree import Law
from sharewise.domain.words import DECISION_WORDS, law_sections


@dataclass
class Bank:
    """The scenarios in a folder that loaded, and a line for each file that did not."""

    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def only(self, ids: list[str]) -> Bank:
        """The bank narrowed to a session's chosen scenarios, in the order given; an id the
        bank lacks is an InputError naming the ones there are. No ids: the whole bank."""
        if not ids:
            return self
        return Bank([self.find(i) for i in dict.fromkeys(ids)], list(self.problems))

    def find(self, scenario_id: str) -> Scenario:
        """The scenario with this id; InputError (naming the ones there are) if none."""
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        known = ", ".join(s.id for s in self.scenarios) or "none"
        raise InputError(
            Problem(
                Location(safe_line(scenario_id)),
                "no scenario with this id",
                f"use one of: {known}",
            )
        )


def load_bank(directory: Path) -> Bank:
    """Every scenario file in `directory`, in name order; a broken file is skipped and named
    (a trainer's typo in one file should not stop the class using the others)."""
    bank = Bank()
    for path in scenario_files(directory):
        try:
            bank.scenarios.append(load_scenario(path))
        except InputError as exc:
            bank.problems.extend(p.render() for p in exc.problems)
    return bank


def run_debrief(tree: CompiledTree, scenario: Scenario, trainee: DecisionResult) -> Debrief:
    """The trainee's decided walk against the model path for the scenario's facts."""
    return debrief(tree, scenario.facts, trainee, scenario.learning_points)


def verdict(d: Debrief) -> str:
    """One line: how the trainee's outcome compares with the model's."""
    wrong = len(d.answers) - d.correct_count
    if d.same_outcome and not wrong:
        return "Well done: the same outcome as the model path."
    if d.same_outcome:
        # Right for a wrong reason is still worth talking through.
        return (
            f"The same outcome as the model path, but {wrong} answer(s) differ from the "
            "scenario: look at why."
        )
    if d.same_decision:
        return "The same decision, by a different route (the law relied on differs)."
    return "A different decision from the model path."


def decision_line(result: DecisionResult) -> str:
    o = result.outcome
    return f"{DECISION_WORDS.get(o.decision, o.decision.value)}: {safe_line(o.title)}"


def debrief_markdown(scenario: Scenario, d: Debrief, registry: Citations | None) -> str:
    """The whole debrief as Markdown: for the export, for `train --plain`, for printing."""
    out = [f"# Debrief: {safe_line(scenario.title)}", ""]
    out += [f"Scenario `{scenario.id}`, theme: {safe_line(scenario.theme)}", ""]
    out += ["## The scenario", "", safe_text(scenario.narrative.strip()), ""]
    out += ["## Outcome", "", verdict(d), ""]
    out += [f"- **Your outcome:** {decision_line(d.trainee)}"]
    out += [f"- **Model outcome:** {decision_line(d.model)}", ""]
    out += [f"## Your answers ({d.correct_count} of {len(d.answers)} match the scenario)", ""]
    for i, a in enumerate(d.answers, start=1):
        mark = "right" if a.correct else "DIFFERS"
        out.append(f"{i}. [{mark}] {safe_line(a.question)}")
        out.append(f"   - you answered: {safe_line(a.given_label)}")
        if not a.correct:
            expected = a.expected_label or "(the scenario does not say)"
            out.append(f"   - the scenario calls for: {safe_line(expected)}")
            if a.why:
                out.append(f"   - why we ask: {safe_line(a.why)}")
            if a.turns_on:
                law = "; ".join(_title(c, registry) for c in a.turns_on)
                out.append(f"   - the law it turns on: {law}")
    first = d.first_divergence
    out.append("")
    if first is not None:
        number = d.answers.index(first) + 1
        out += [
            "## Where you first went a different way",
            "",
            f"Question {number}: {safe_line(first.question)}",
            "",
            "The scenario's answer: "
            + safe_line(first.expected_label or "(the scenario does not say)"),
            "",
        ]
        if first.why:
            out += [f"Why we ask: {safe_line(first.why)}", ""]
        if first.turns_on:
            out += ["The law it turns on:", ""]
            out += [f"- {_title(c, registry)}" for c in first.turns_on]
            out.append("")
    if d.missed:
        out += ["## Questions on the model path you never reached", ""]
        out += [f"- {safe_line(q)}" for q in d.missed]
        out.append("")
    out += ["## The law behind the model outcome", ""]
    out += law_markdown(d.model.outcome.law, registry)
    if d.citations_missed:
        out += ["## Cited by the model, not by your outcome", ""]
        out += [f"- {_title(c, registry)}" for c in d.citations_missed]
        out.append("")
    if d.citations_extra:
        out += ["## Cited by your outcome, not by the model", ""]
        out += [f"- {_title(c, registry)}" for c in d.citations_extra]
        out.append("")
    if d.learning_points:
        out += ["## Learning points", ""]
        out += [f"- {safe_line(p)}" for p in d.learning_points]
        out.append("")
    out.append("Training only: nothing from this exercise was recorded in the ledger.")
    return "\n".join(out) + "\n"


def law_markdown(law: Law, registry: Citations | None) -> list[str]:
    """Each group of the law with each citation's title, gist and link."""
    out: list[str] = []
    for label, ids in law_sections(law):
        out += [f"### {label}", ""]
        for cid in ids:
            c = registry.get(cid) if registry is not None else None
            if c is None:
                out.append(f"- `{cid}`")
                continue
            out.append(f"- **{safe_line(c.title)}** (`{cid}`): {safe_line(c.gist)} <{c.url}>")
        out.append("")
    return out


def _title(cid: str, registry: Citations | None) -> str:
    c = registry.get(cid) if registry is not None else None
    return f"{safe_line(c.title)} (`{cid}`)" if c is not None else f"`{cid}`"
