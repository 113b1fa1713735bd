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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from sharewise.domain.record import EntryKind, RecordDetails
    from sharewise.domain.result import DecisionResult
    from sharewise.store.ledger import Ledger
    from sharewise.store.sqlite import SQLiteBackend

    #: Appends one entry (kind, data, personal, target, decision) and returns its id.
    Sink = Callable[[EntryKind, dict[str, Any], dict[str, Any] | None, str | None, str | None], str]

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
    """Append `size` entries through `ledger`, each as its own durable append: decisions,
    emergencies and their completions, amendments and reviews, over `cases` case
    references, with review dates either side of `today`."""

    def sink(kind: EntryKind, data: Any, personal: Any, target: Any, decision: Any) -> str:
        # `Ledger._append` is what record_decision, complete, amend and review end in;
        # `complete` itself would scan every completion so far (quadratic to build).
        return ledger._append(kind, data, personal, target=target, decision=decision).id

    appends(sink, size, cases, today or dt.date(2026, 12, 1))


def bulk_fill(backend: SQLiteBackend, size: int, cases: int, today: dt.date) -> None:
    """The same entries as `fill`, chained and hashed the same way, in one transaction (a
    benchmark's 100,000-entry fixture in a minute or two instead of many)."""
    from sharewise.store.base import Head
    from sharewise.store.ledger import prepare_entry

    with backend._write() as conn:
        head = [backend._head_of(conn)]

        def sink(kind: EntryKind, data: Any, personal: Any, target: Any, decision: Any) -> str:
            entry = prepare_entry(kind, data, personal, target=target, decision=decision)
            new = entry.finish(head[0])
            backend._insert(conn, new)
            head[0] = Head(new.row.seq, new.row.hash)
            return new.row.id

        appends(sink, size, cases, today)


def appends(sink: Sink, size: int, cases: int, today: dt.date) -> None:
    """Hand `sink` the entries of a realistic ledger, as the Ledger's methods build them."""
    from sharewise.domain.record import REVIEW_PERSONAL_PATHS, EntryKind, Verdict, split_personal
    from sharewise.store.ledger import details_parts, result_data

    pool = [(result_data(c.result), c.result.decision.value, *details_parts(c.details))
            for c in scenario_cases()]  # fmt: skip
    hurried = ("recipient", "consent", "informed", "method")
    reviews = [
        split_personal(
            {"verdict": v.value, "reviewer": "I. G. Lead",
             **({"comment": "Checked against the policy."} if odd else {})},
            REVIEW_PERSONAL_PATHS,
        )
        for v in Verdict for odd in (False, True)
    ]  # fmt: skip
    recent: list[tuple[str, int]] = []  # (id, case) of the last few decisions, to refer to
    waiting: list[tuple[str, int]] = []  # emergencies not yet completed
    for i, kind in zip(range(size), _kinds(size), strict=False):
        result, decision, public, personal = pool[i % len(pool)]
        n = i % cases
        review_by = (today + dt.timedelta(days=(i % 61) - 30)).isoformat()
        public = {**public, "review_by": review_by}
        if kind == "emergency":  # filed in a hurry: the case and who filed it, little else
            public = {k: v for k, v in public.items() if k not in hurried}
            mine = {k: v for k, v in personal.items() if k.split(".")[0] not in hurried}
            mine["case_ref"] = case_ref(n)
            eid = sink(EntryKind.EMERGENCY, {"details": public}, mine, None, None)
            waiting.append((eid, n))
        elif kind == "completion" and waiting:
            target, n = waiting.pop(0)
            data = {"details": public, "result": result}
            sink(
                EntryKind.COMPLETION, data, {**personal, "case_ref": case_ref(n)}, target, decision
            )
        elif kind == "amendment" and recent:
            target, n = recent[i % len(recent)]
            mine = {**personal, "case_ref": case_ref(n)}
            sink(EntryKind.AMENDMENT, {"details": public}, mine, target, None)
        elif kind == "review" and recent:
            target, _ = recent[i % len(recent)]
            said, who = reviews[i % len(reviews)]
            sink(EntryKind.REVIEW, {"review": said}, who, target, None)
        else:
            data = {"result": result, "details": public}
            mine = {**personal, "case_ref": case_ref(n)}
            eid = sink(EntryKind.DECISION, data, mine, None, decision)
            recent = [*recent[-19:], (eid, n)]


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
