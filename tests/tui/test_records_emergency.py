"""An emergency record in the Records screen once completed, and completing one from there.

The list reads an emergency record through its completion, as `records list` does: the
decision its completion brought, which entry completed it, and the decision filter finds it
by that decision. A completion for another case reference is refused by the store; the UI
says so plainly and lets the person put the emergency's reference back or confirm a new one.
Done on the saved screen goes back to the list, which shows the new entry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.domain.record import EntryKind, RecordDetails
from sharewise.store import open_ledger
from sharewise.store.base import Filters
from sharewise.tui import ledger as tui_ledger
from sharewise.tui.app import SharewiseApp, create_app
from sharewise.tui.screens import records as records_screen
from sharewise.tui.screens.case_ref import CaseRefScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen, RecordViewScreen
from sharewise.tui.screens.saved import SavedScreen
from tests.tui.conftest import (
    DETAILS,
    EXAMPLE_TREE,
    fill,
    open_emergency_record,
    open_records,
    ready,
)
from tests.tui.test_records_ig import SHARE, details, rows, seed, status

MakeApp = Callable[..., SharewiseApp]
DANGER = {"immediate_danger": "yes"}
CASE = DETAILS["case_ref"]
URGENT_WORDS = "Share now: this is urgent"
URGENT_SHORT = "Share now"  # the table's column: the words up to the colon


def quick(case_ref: str) -> RecordDetails:
    """What the emergency form files at once: the case and who acted."""
    return RecordDetails.model_validate(
        {
            "case_ref": case_ref,
            "practitioner": {
                "name": DETAILS["practitioner.name"],
                "role": DETAILS["practitioner.role"],
                "organisation": DETAILS["practitioner.organisation"],
            },
        },
        context={"emergency": True},
    )


def cells(pilot: Pilot[Any], key: str) -> list[str]:
    table = pilot.app.screen.query_one("#records-table", DataTable)
    return [str(c) for c in table.get_row(key)]


def keys(pilot: Pilot[Any]) -> list[str]:
    table = pilot.app.screen.query_one("#records-table", DataTable)
    return [str(r.key.value) for r in table.ordered_rows]


async def choose_decision(pilot: Pilot[Any], value: str | None) -> None:
    select = pilot.app.screen.query_one("#filter-decision")
    if value is None:
        select.clear()  # type: ignore[attr-defined]
    else:
        select.value = value  # type: ignore[attr-defined]
    await ready(pilot)


async def test_a_completed_emergency_shows_its_completions_decision_and_is_found_by_it(
    make_app: MakeApp, data_dir: Path
) -> None:
    tree = load_tree(Path(EXAMPLE_TREE))
    with open_ledger(data_dir) as ledger:
        done = ledger.record_emergency(quick(CASE))  # 1, filed before any question
        decided = ledger.record_decision(decide(tree, SHARE), details("CS-1"))  # 2
        waiting = ledger.record_emergency(quick("CS-2026-00500"))  # 3
        ledger.complete(done.id, details(CASE), decide(tree, DANGER))  # 4
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        assert keys(pilot) == [waiting.id, decided.id, done.id]  # records, newest first
        assert cells(pilot, done.id)[3:] == [URGENT_SHORT, "completed by entry 4"]
        assert cells(pilot, waiting.id)[3:] == ["—", "TO BE COMPLETED"]
        assert cells(pilot, decided.id)[3:] == ["Share", "recorded"]
        assert "3 record(s)." in status(pilot)
        # As painted, in full: each column as wide as its widest cell from the first paint.
        table = pilot.app.screen.query_one("#records-table", DataTable)
        painted = table.render_line(3).text  # the heading, then newest first
        assert "CS-2026-00417" in painted and "completed by entry 4" in painted
        assert "1 emergency record(s) to be completed" in status(pilot)
        # The store filters: the emergency is found by the decision its completion brought.
        await choose_decision(pilot, "share_urgently")
        assert keys(pilot) == [done.id] and "match the filters" in status(pilot)
        await choose_decision(pilot, "share")
        assert keys(pilot) == [decided.id]
        await choose_decision(pilot, None)
        assert len(keys(pilot)) == 3
        await pilot.press("down", "down", "enter")  # the completed emergency: its view says so
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen) and view.completed
        history = str(view.query_one("#record-view-history", Static).render())
        assert f"decision: {URGENT_WORDS}" in history


async def test_a_large_ledger_shows_the_newest_and_says_how_many_more(
    make_app: MakeApp, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_screen, "SHOWN_AT_MOST", 2)
    first, second = seed(data_dir)
    tree = load_tree(Path(EXAMPLE_TREE))
    with open_ledger(data_dir) as ledger:
        third = ledger.record_decision(decide(tree, SHARE), details("CS-3")).id
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        assert keys(pilot) == [third, second]
        assert "Showing the newest 2 of 3 records: use the filters (f)" in status(pilot)
        pilot.app.screen.query_one("#filter-case", Input).value = "CS-1"
        pilot.app.screen.query_one("#filter-case", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert keys(pilot) == [first] and "1 record(s) match the filters" in status(pilot)


class SlowFirstRead(tui_ledger.LedgerStore):
    """The first read of every record (no case filter) is slow, a big ledger or a busy disk,
    and finishes last; a read for one case is quick. Chosen by the filters, not by the order
    the threads arrive in, so a loaded machine cannot swap them."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.go_on = threading.Event()
        self.first_done = threading.Event()

    def listing(self, filters: Filters, newest: int) -> tui_ledger.Listing:
        if filters.case is not None:
            return super().listing(filters, newest)
        self.go_on.wait(10)
        try:
            return super().listing(filters, newest)
        finally:
            self.first_done.set()


async def test_an_older_slower_read_does_not_replace_the_filtered_list(data_dir: Path) -> None:
    seed(data_dir)
    store = SlowFirstRead(data_dir)
    app = create_app(data_dir, EXAMPLE_TREE, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RecordsScreen)
        screen.query_one("#filter-case", Input).value = "CS-2"
        screen.query_one("#filter-case", Input).focus()
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if "match the filters" in status(pilot):
                break
        assert rows(pilot) == 1
        store.go_on.set()  # the first read, for every record, now ends
        assert store.first_done.wait(10)
        await pilot.pause(0.2)
        await ready(pilot)
        assert rows(pilot) == 1 and "1 record(s) match the filters" in status(pilot)


async def file_emergency_and_open_completion(pilot: Pilot[Any]) -> RecordFormScreen:
    """F2, the four fields, saved; then from Records: the record, k."""
    await open_emergency_record(pilot, "f2")
    await pilot.press("k")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, RecordFormScreen) and form.complete_target is not None
    return form


def ledger_entries(data_dir: Path) -> list[Any]:
    with open_ledger(data_dir, create=False) as ledger:
        return list(ledger.entries())


async def test_another_case_reference_is_explained_and_the_emergencys_can_be_put_back(
    make_app: MakeApp, data_dir: Path
) -> None:
    # A slip. (A right-to-left override pasted in is refused as the field is checked, by
    # the one safe-text rule of issue 14, so this box never has to show one.)
    typed = "CS-2026-00418"
    async with make_app().run_test(size=(120, 40)) as pilot:
        form = await file_emergency_and_open_completion(pilot)
        await fill(pilot, {**DETAILS, "case_ref": typed})
        await pilot.press("ctrl+s")
        await ready(pilot)
        box = pilot.app.screen
        assert isinstance(box, CaseRefScreen)
        said = str(box.query_one("#case-ref-text", Static).render())
        assert "The case reference differs from the emergency record's." in said
        assert CASE in said and typed in said
        assert len(ledger_entries(data_dir)) == 1  # nothing saved
        await pilot.press("escape")  # neither: back to the form, still not saved
        await pilot.pause()
        assert pilot.app.screen is form
        summary = str(form.query_one("#form-summary", Static).render())
        assert summary.startswith("Nothing was saved: the case reference differs")
        assert "fix" not in summary
        assert "not the emergency record's case reference" in form.fields()["case_ref"].error
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, CaseRefScreen)
        await pilot.press("k")  # keep the emergency's: it is put back, not saved yet
        await pilot.pause()
        assert pilot.app.screen is form
        assert form.fields()["case_ref"].value == CASE
        assert form.fields()["case_ref"].error == ""
        assert "Nothing has been saved yet" in str(form.query_one("#form-summary").render())
        assert len(ledger_entries(data_dir)) == 1
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
    emergency, completion = ledger_entries(data_dir)
    assert completion.kind is EntryKind.COMPLETION and completion.target == emergency.id
    assert completion.details.case_ref == CASE


async def test_a_new_case_reference_confirmed_is_saved_and_done_goes_back_to_records(
    make_app: MakeApp, data_dir: Path
) -> None:
    new = "CS-2026-00999"
    async with make_app().run_test(size=(120, 40)) as pilot:
        await file_emergency_and_open_completion(pilot)
        await fill(pilot, {**DETAILS, "case_ref": new})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, CaseRefScreen)
        await pilot.press("n")  # the case has been given a new reference since
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
        emergency, completion = ledger_entries(data_dir)
        assert completion.details.case_ref == new and completion.target == emergency.id
        await pilot.press("d")  # Done: back to the list it started from, refreshed
        await ready(pilot)
        assert isinstance(pilot.app.screen, RecordsScreen)
        shown = [f"{CASE} → {new}", "—", "completed by entry 2"]  # both references
        assert cells(pilot, emergency.id)[2:] == shown
        assert "to be completed" not in status(pilot)
        # The new reference finds the emergency record through its completion.
        pilot.app.screen.query_one("#filter-case", Input).value = new
        pilot.app.screen.query_one("#filter-case", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert keys(pilot) == [emergency.id]
        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HomeScreen"


async def test_a_completed_emergency_opens_saying_it_was_completed_and_with_what(
    make_app: MakeApp, data_dir: Path
) -> None:
    """The view of a completed emergency record: the heading says which entry completed it
    and its decision (not "to be completed"), and a box above the record filed in the
    emergency gives the completion's decision, what to do, and its rationale."""
    tree = load_tree(Path(EXAMPLE_TREE))
    with open_ledger(data_dir) as ledger:
        done = ledger.record_emergency(quick(CASE))  # 1, filed before any question
        waiting = ledger.record_emergency(quick("CS-2026-00500"))  # 2
        completion = ledger.complete(done.id, details(CASE), decide(tree, DANGER))  # 3
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        assert keys(pilot) == [waiting.id, done.id]
        await pilot.press("down", "enter")
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen) and view.entry.id == done.id
        text = str(view.query_one("#record-view-text", Static).render())
        heading = text.splitlines()[0]
        assert heading == (
            f"Emergency information-sharing record, completed by entry 3: {URGENT_WORDS}"
        )
        assert f"Completed: {completion.id}" not in text and f"record {completion.id}" in text
        assert "Decision (when completed, entry 3): " + URGENT_WORDS in text
        box = str(view.query_one("#record-view-completed", Static).render())
        assert box.startswith("Completed by entry 3 on ")
        assert f"Decision: {URGENT_WORDS} - " in box and "Rationale: " in box
        assert not view.query(".warning-banner")  # nothing waits
        assert view.check_action("complete", ()) is False
        # Copy as text gives the same heading, for the case system.
        assert view.text().splitlines()[0] == heading
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up", "enter")  # the one still waiting: as before
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen) and view.entry.id == waiting.id
        text = str(view.query_one("#record-view-text", Static).render())
        assert text.startswith("Emergency information-sharing record (to be completed)")
        assert not view.query("#record-view-completed") and view.query(".warning-banner")
