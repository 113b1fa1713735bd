"""A ledger built from the scenario bank, for checking the IG lead's figures against it.

Every shipped scenario is decided on the shipped tree and filed over three months by three
teams, with consent sought or not, review dates past and future; then the entries an IG
lead's quarter holds: reviews of each verdict, an amendment that changes the consent answer,
an emergency filed without a decision and completed with one, one still waiting. Outcomes
come from the tree, never from this file, so the figures follow the tree as it changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger_harness import make_details

from sharewise import paths
from sharewise.domain.decide import decide
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.record import Consent, EntryKind, Practitioner, RecordDetails, Verdict
from sharewise.domain.result import DecisionResult
from sharewise.domain.scenarios import load_scenario, scenario_files
from sharewise.store.ledger import AppendedRef, Ledger, build_entry, details_parts, result_data

TEAMS = ("North Primary School", "City Hospital Trust", "Riverside Housing")
MONTHS = (
    dt.datetime(2026, 7, 3, 9, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 8, 4, 10, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 9, 7, 11, 0, tzinfo=dt.UTC),
)
#: The day the figures are counted at (review dates before it are due).
TODAY = dt.date(2026, 10, 1)


def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


def bank_results(tree: CompiledTree) -> list[tuple[str, DecisionResult]]:
    """(scenario id, result) for every scenario in the shipped bank, in file order."""
    found = []
    for path in scenario_files(paths.scenarios_dir()):
        scenario = load_scenario(path)
        found.append((scenario.id, decide(tree, scenario.facts)))
    return found


def _append(
    ledger: Ledger,
    kind: EntryKind,
    data: dict[str, Any],
    personal: dict[str, Any] | None,
    when: dt.datetime,
    *,
    target: str | None = None,
    decision: str | None = None,
) -> AppendedRef:
    """An entry filed at `when` (the store's own builder; only the clock is chosen).

    PostgreSQL sets the recorded time itself and refuses any other: there, entries are
    filed now, and the figures by month or period are checked on SQLite alone.
    """
    created = None if backdating_refused(ledger) else when
    row = ledger.backend.append(
        lambda head: build_entry(
            head, kind, data, personal, target=target, decision=decision, created=created
        )
    )
    return AppendedRef(row.id, row.seq, row.hash)


def backdating_refused(ledger: Ledger) -> bool:
    return type(ledger.backend).__name__ == "PostgresBackend"


def details_for(i: int, *, sought: bool, review_by: dt.date | None) -> RecordDetails:
    base = make_details(f"CS-2026-{i:05d}")
    return base.model_copy(
        update={
            "practitioner": Practitioner(
                name="Alex Example", role="Safeguarding lead", organisation=TEAMS[i % 3]
            ),
            "consent": Consent(sought=sought, reason="Reason given for the consent answer."),
            "review_by": review_by,
        }
    )


def build(ledger: Ledger, tree: CompiledTree | None = None) -> dict[str, Any]:
    """File the bank; returns what was filed (ids by role) for tests to aim at."""
    tree = tree or england()
    filed: dict[str, Any] = {"records": [], "reviews": {}, "amended": None}
    sharing_sought: list[int] = []
    for i, (_sid, result) in enumerate(bank_results(tree)):
        when = MONTHS[i % 3] + dt.timedelta(days=i, minutes=i)
        # Some walks carry their start (newer records), some not (older ones).
        if i % 2 == 0:
            result = result.model_copy(update={"started": when - dt.timedelta(minutes=3 + i)})
        if i % 5 == 1 and len(result.path) > 2:
            # Where the person struggled: went back over the second question (and, every
            # other time, changed its answer) before filing.
            step = result.path[1].model_copy(update={"revisits": 1, "changes": int(i % 10 == 1)})
            path = [*result.path[:1], step, *result.path[2:]]
            result = result.model_copy(update={"path": path})
        review_by = TODAY - dt.timedelta(days=5) if i % 4 == 0 else TODAY + dt.timedelta(days=30)
        details = details_for(i, sought=i % 3 != 1, review_by=review_by)
        public, personal = details_parts(details)
        kind = EntryKind.EMERGENCY if i % 7 == 3 else EntryKind.DECISION
        ref = _append(
            ledger,
            kind,
            {"result": result_data(result), "details": public},
            personal,
            when,
            decision=result.decision.value,
        )
        filed["records"].append(ref.id)
        if result.decision.shares and details.consent and details.consent.sought:
            sharing_sought.append(i)
    ids = filed["records"]
    # Reviews: one of each verdict, and a second review that changes the first's verdict.
    later = MONTHS[2] + dt.timedelta(days=20)
    for verdict, target in zip(Verdict, ids[:3], strict=True):
        ledger.review(target, verdict, "Robin Reviewer", "Looked at it.")
        filed["reviews"][target] = verdict.value
    ledger.review(ids[3], Verdict.AGREE, "Robin Reviewer", "First look.")
    ledger.review(ids[3], Verdict.FOLLOW_UP, "Robin Reviewer", "Second look.")
    filed["reviews"][ids[3]] = Verdict.FOLLOW_UP.value
    # An amendment that turns "consent sought" into "not sought" on a decision to share.
    amended = next(ids[i] for i in sharing_sought if i > 3)
    current = ledger.get(amended).details
    assert current is not None
    ledger.amend(
        amended,
        current.model_copy(
            update={"consent": Consent(sought=False, reason="Not sought after all.")}
        ),
    )
    filed["amended"] = amended
    # An emergency with no decision, completed later with one; and one left waiting.
    quick = RecordDetails.model_validate(
        {
            "case_ref": "CS-E-1",
            "practitioner": {"name": "Sam", "role": "Nurse", "organisation": TEAMS[1]},
        },
        context={"emergency": True},
    )
    data = {"details": details_parts(quick)[0]}
    open_one = _append(ledger, EntryKind.EMERGENCY, dict(data), details_parts(quick)[1], later)
    done = _append(ledger, EntryKind.EMERGENCY, dict(data), details_parts(quick)[1], later)
    _, first = bank_results(tree)[0]
    ledger.complete(done.id, make_details("CS-E-1"), first)
    filed["waiting"] = open_one.id
    filed["completed"] = done.id
    del later
    return filed
