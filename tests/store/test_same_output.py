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


def test_json_from_rows_is_the_json_from_entries(scenario_ledger_of: Ledger) -> None:
    from sharewise.store import export as export_module
    from sharewise.store.export import export, json_rows

    old, new = io.StringIO(), io.StringIO()
    assert export(scenario_ledger_of.entries(), "json", old) == scenario_ledger_of.count()
    rebuilt: list[int] = []
    real = export_module._entry_object

    def counting(row: object, personal: object, shape: object) -> object:
        found = real(row, personal, shape)  # type: ignore[arg-type]
        rebuilt.append(1)
        return found

    export_module._entry_object = counting  # type: ignore[assignment]
    try:
        assert json_rows(scenario_ledger_of.backend.rows(), new) == scenario_ledger_of.count()
    finally:
        export_module._entry_object = real
    assert new.getvalue() == old.getvalue()
    assert len(rebuilt) == scenario_ledger_of.count()  # every entry by the fast path
    entries = json.loads(new.getvalue())
    kinds = {e["kind"] for e in entries}
    assert kinds == {"decision", "emergency", "completion", "amendment", "review", "purge"}
    assert any(e["erased"] for e in entries) and not all(e["erased"] for e in entries)


def test_json_from_rows_falls_back_to_the_models_for_an_unusual_entry(
    scenario_ledger_of: Ledger,
) -> None:
    """An entry whose stored JSON the shapes do not cover (here a key the models do not
    know) is rebuilt by the models, which refuse it as the export always has."""
    import dataclasses

    from sharewise.domain.errors import StoreError
    from sharewise.store import export as export_module
    from sharewise.store.export import json_rows

    rows = list(scenario_ledger_of.backend.rows())
    row, personal = rows[5]
    body = json.loads(row.body)
    body["data"]["result"]["unknown"] = 1
    odd = dataclasses.replace(row, body=json.dumps(body).encode())
    with pytest.raises(export_module._Unusual):
        export_module._entry_object(odd, personal, export_module._entry_shape())
    with pytest.raises(StoreError, match=f"entry {row.seq} cannot be read back"):
        json_rows([rows[0], (odd, personal)], io.StringIO())


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
