"""Ledgers of realistic records: the shipped scenarios decided on the shipped tree.

Benchmarks and the same-output tests both need records shaped like a practitioner's: the
result of a real walk of the England tree (15 to 20 steps, the outcome's actions and law)
with details written as a practitioner writes them, 4 to 5 KB an entry. A ledger built here
also holds what real ledgers hold beside decisions: emergency records (most completed
later), amendments and reviews, with a few thousand case references reused over time.

Everything is made up (the scenarios' people are invented); nothing reads ../shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharewise.domain.record import RecordDetails
    from sharewise.domain.result import DecisionResult
    from sharewise.store.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "decision_trees"
FIXTURE_TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
DETAILS_FILE = ROOT / "tests" / "fixtures" / "record-details.yaml"

#: One entry in this many is an emergency record; most are completed a little later.
EMERGENCY_EVERY = 25
#: One entry in this many amends an earlier record, and one in this many reviews one.
AMEND_EVERY = 40
REVIEW_EVERY = 30


def tree_path() -> Path:
    england = SHIPPED / "england.yaml"
    return england if england.exists() else FIXTURE_TREE


@dataclass(frozen=True)
class Case:
    """A decided scenario and the details a practitioner would record for it."""

    result: DecisionResult
    details: RecordDetails


def scenario_cases() -> list[Case]:
    """Every shipped scenario the shipped tree decides, with details drawn from its story."""
    from sharewise.domain.decide import decide
    from sharewise.domain.errors import SharewiseError
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario, scenario_files
    from sharewise.store.details import load_details

    tree = load_tree(tree_path())
    base, _ = load_details(DETAILS_FILE)
    cases = []
    for path in scenario_files(SHIPPED / "scenarios"):
        scenario = load_scenario(path)
        try:
            result = decide(tree, scenario.facts)
        except SharewiseError:
            continue  # a scenario the tree being rewritten no longer decides
        story = scenario.narrative
        details = base.model_copy(
            update={
                "information": f"{scenario.title}. {story}",
                "rationale": " ".join(scenario.learning_points) or story,
                "advice_sought": f"Discussed with the designated lead: {scenario.theme}.",
            }
        )
        cases.append(Case(result, details))
    if not cases:  # the England tree mid-rewrite: fall back to the fixture tree's paths
        tree = load_tree(FIXTURE_TREE)
        cases = [Case(decide(tree, p.answers()), base) for p in tree.paths()]
    return cases


def case_ref(n: int) -> str:
    return f"CS-2026-{n:05d}"


def fill(ledger: Ledger, size: int, cases: int, *, today: dt.date | None = None) -> None:
    """Append `size` entries: decisions, emergencies and their completions, amendments and
    reviews, over `cases` case references, with review dates either side of `today`."""
    from sharewise.domain.record import Verdict

    today = today or dt.date(2026, 12, 1)
    pool = scenario_cases()
    recent: list[tuple[str, int]] = []  # (id, case) of the last few decisions, to refer to
    waiting: list[tuple[str, int]] = []  # emergencies not yet completed
    for i, kind in zip(range(size), _kinds(size), strict=False):
        case = pool[i % len(pool)]
        n = i % cases
        review_by = today + dt.timedelta(days=(i % 61) - 30)
        details = case.details.model_copy(update={"case_ref": case_ref(n), "review_by": review_by})
        if kind == "emergency":  # filed in a hurry: the case and who filed it, little else
            hurried = {"recipient": None, "consent": None, "informed": None, "method": None}
            ref = ledger.record_emergency(details.model_copy(update=hurried))
            waiting.append((ref.id, n))
        elif kind == "completion" and waiting:
            target, n = waiting.pop(0)
            details = details.model_copy(update={"case_ref": case_ref(n)})
            _complete(ledger, target, details, case.result)
        elif kind == "amendment" and recent:
            target, n = recent[i % len(recent)]
            ledger.amend(target, details.model_copy(update={"case_ref": case_ref(n)}))
        elif kind == "review" and recent:
            target, _ = recent[i % len(recent)]
            verdict = list(Verdict)[i % len(Verdict)]
            comment = "Checked against the policy." if i % 2 else None
            ledger.review(target, verdict, "I. G. Lead", comment)
        else:
            ref = ledger.record_decision(case.result, details)
            recent = [*recent[-19:], (ref.id, n)]


def _complete(ledger: Ledger, target: str, details: RecordDetails, result: DecisionResult) -> None:
    """The entry `Ledger.complete` appends, without its checks: they scan every completion
    so far (to refuse a second one), which would make building a big ledger quadratic."""
    from sharewise.domain.record import EntryKind
    from sharewise.store.ledger import details_parts, result_data

    public, personal = details_parts(details)
    data = {"details": public, "result": result_data(result)}
    decision = result.decision.value
    ledger._append(EntryKind.COMPLETION, data, personal, target=target, decision=decision)


def _kinds(size: int) -> Iterator[str]:
    """The kind of each entry in turn; four in five emergencies are completed soon after."""
    for i in range(size):
        if i % EMERGENCY_EVERY == 3:
            yield "emergency"
        elif i % EMERGENCY_EVERY == 9 and (i // EMERGENCY_EVERY) % 5:
            yield "completion"
        elif i % AMEND_EVERY == 17:
            yield "amendment"
        elif i % REVIEW_EVERY == 22:
            yield "review"
        else:
            yield "decision"
