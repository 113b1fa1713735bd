"""Every speed-up keeps its output byte for byte: the old code, kept here as the reference,
and the new, on a ledger of the shipped scenarios' records (decisions, emergencies and their
completions, amendments, reviews and a purge), on each backend."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ledger_harness import Harness

from bench import scenario_ledger
from sharewise.domain.record import Entry, EntryKind
from sharewise.store.ledger import Ledger

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def scenario_ledger_of(harness: Harness) -> Iterator[Ledger]:
    with harness.open() as ledger:
        scenario_ledger.fill(ledger, 90, 23, today=TODAY)
        ledger.purge(dt.date.today() + dt.timedelta(days=1))  # erases all 90 so far
        scenario_ledger.fill(ledger, 110, 31, today=TODAY)
        yield ledger


def old_due(ledger: Ledger, today: dt.date) -> Iterator[tuple[Entry, str]]:
    """`Ledger.due` as it was: every entry rebuilt and held by case in memory."""
    latest: dict[str, Entry] = {}
    completed: set[str] = set()
    emergencies: list[Entry] = []
    order: list[str] = []
    for entry in ledger.entries():
        if entry.kind is EntryKind.COMPLETION and entry.target:
            completed.add(entry.target)
        if entry.kind is EntryKind.EMERGENCY:
            emergencies.append(entry)
        if entry.details is not None and entry.details.case_ref is not None:
            case = entry.details.case_ref
            if case not in latest:
                order.append(case)
            latest[case] = entry
    for emergency in emergencies:
        if emergency.id not in completed:
            yield emergency, "emergency record to be completed"
    for case in order:
        entry = latest[case]
        review_by = entry.details.review_by if entry.details else None
        if review_by is not None and review_by < today:
            yield entry, f"review was due {review_by.isoformat()}"


def test_due_is_what_it_was(scenario_ledger_of: Ledger) -> None:
    for today in (TODAY, TODAY + dt.timedelta(days=20), dt.date(2020, 1, 1)):
        new = [(e.model_dump_json(), why) for e, why in scenario_ledger_of.due(today)]
        old = [(e.model_dump_json(), why) for e, why in old_due(scenario_ledger_of, today)]
        assert new == old
        if today == TODAY:  # the fixture really has both kinds of reason
            assert {why.split(" ")[0] for _, why in new} == {"emergency", "review"}


def test_csv_from_rows_is_the_csv_from_entries(scenario_ledger_of: Ledger) -> None:
    from sharewise.store.export import csv_rows, export

    old, new = io.StringIO(), io.StringIO()
    assert export(scenario_ledger_of.entries(), "csv", old) == scenario_ledger_of.count()
    assert csv_rows(scenario_ledger_of.backend.rows(), new) == scenario_ledger_of.count()
    assert new.getvalue() == old.getvalue()
    text = new.getvalue()
    # The ledger really holds what the columns cover: erased, reviewed, completed entries.
    assert ",yes," in text and "emergency" in text and "review" in text and "purge" in text


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=5),
            st.none() | st.integers() | st.text(max_size=8) | st.lists(st.text(max_size=3)),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_a_json_array_written_item_by_item_is_the_one_json_dumps_writes(
    items: list[dict[str, object]],
) -> None:
    from sharewise.cli.records_cmd import write_json_array

    out = io.StringIO()
    assert write_json_array(iter(items), out) == len(items)
    from sharewise.domain.safe_text import safe_json

    # What `--json` prints: json.dumps with control and formatting characters escaped.
    assert out.getvalue() == safe_json(json.dumps(items, indent=2, ensure_ascii=False)) + "\n"
