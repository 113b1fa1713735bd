"""Review dates kept, and cases revisited: the home screen lists what is due, the record
form refuses a review date in the past, and a record can be reassessed from Records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordViewScreen
from sharewise.tui.screens.saved import SavedScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.conftest import EXAMPLE_TREE, ready
from tests.tui.test_records_ig import SHARE, details

MakeApp = Callable[..., SharewiseApp]
TODAY = dt.datetime.now(dt.UTC).date()


def seed_overdue(data_dir: Path) -> str:
    """A decision whose review date passed three days ago, and an emergency to complete."""
    tree = load_tree(Path(EXAMPLE_TREE))
    late = details("CS-LATE").model_copy(update={"review_by": TODAY - dt.timedelta(days=3)})
    with open_ledger(data_dir) as ledger:
        ref = ledger.record_decision(decide(tree, SHARE), late)
        ledger.record_emergency(
            details("CS-NOW").model_copy(update={"recipient": None, "review_by": None})
        )
    return ref.id


def home_due(pilot: Pilot[Any]) -> Static:
    return pilot.app.screen.query_one("#home-due", Static)


async def test_the_home_screen_lists_what_is_due(make_app: MakeApp, data_dir: Path) -> None:
    seed_overdue(data_dir)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        due = home_due(pilot)
        assert due.display
        text = str(due.render())
        assert "1 record past the review date; 1 emergency record to complete" in text
        assert "CS-LATE" in text and f"review was due {TODAY - dt.timedelta(days=3)}" in text


async def test_nothing_due_shows_nothing(make_app: MakeApp, data_dir: Path) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not home_due(pilot).display


async def test_the_record_form_refuses_a_review_date_in_the_past(
    make_app: MakeApp, data_dir: Path
) -> None:
    from tests.tui.conftest import DETAILS, fill
    from tests.tui.test_flows import start

    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        await fill(pilot, {**DETAILS, "review_by": "2026-11-28"})  # the day before "today"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert pilot.app.screen is form
        assert "has passed" in form.fields()["review_by"].error
        await fill(pilot, {**DETAILS, "review_by": "2026-11-29"})  # today will do
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)


async def test_reassess_from_records_links_the_new_record(
    make_app: MakeApp, data_dir: Path
) -> None:
    from tests.tui.conftest import DETAILS, fill, open_records
    from tests.tui.test_flows import text_of

    tree = load_tree(Path(EXAMPLE_TREE))
    with open_ledger(data_dir) as ledger:
        first = ledger.record_decision(decide(tree, SHARE), details("CS-REASSESS"))
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RecordViewScreen)
        await pilot.press("a")
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen)
        assert "Last time: No (Enter keeps it)" in text_of(pilot, "#walk-progress")
        await pilot.press("enter")  # keeps "no danger"
        await pilot.pause()
        await pilot.press("enter")  # keeps "identifiable"
        await pilot.pause()
        assert "Last time: A public authority" in text_of(pilot, "#walk-progress")
        await pilot.press("2")  # new information: another organisation shares now
        await pilot.pause()
        assert isinstance(pilot.app.screen, OutcomeScreen)
        changes = text_of(pilot, "#outcome-changes")
        assert "Changed: Who is sharing? - was A public authority, now Another organisation" in (
            changes
        )
        assert "The decision is unchanged" in changes
        await pilot.press("r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        assert form.fields()["case_ref"].value == "CS-REASSESS"
        assert form.fields()["information"].value == ""
        await fill(pilot, {"information": DETAILS["information"], "rationale": "New carer."})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen), text_of(pilot, "#form-summary")
    with open_ledger(data_dir, create=False) as ledger:
        second = list(ledger.entries())[-1]
    assert second.target == first.id and second.kind.value == "decision"
    assert second.details is not None and second.details.case_ref == "CS-REASSESS"


async def test_the_ig_lead_sees_the_records_the_current_tree_decides_otherwise(
    make_app: MakeApp, data_dir: Path
) -> None:
    """Records decided on the example tree; the app runs a changed version of it."""
    from textual.widgets import DataTable

    from sharewise.tui.screens.revisit import RevisitScreen
    from tests.tui.conftest import open_records
    from tests.tui.test_flows import text_of

    changed = str(Path(EXAMPLE_TREE).with_name("example-changed.yaml"))
    tree = load_tree(Path(EXAMPLE_TREE))
    charity = {**SHARE, "sharer": "other_organisation"}
    anonymous = {"immediate_danger": "no", "identifiable": "no"}
    with open_ledger(data_dir) as ledger:
        ledger.record_decision(decide(tree, anonymous), details("CS-SAME"))
        moved = ledger.record_decision(decide(tree, charity), details("CS-MOVED"))
        cited = ledger.record_decision(decide(tree, SHARE), details("CS-CITED"))
    async with make_app(tree=changed).run_test(size=(140, 40)) as pilot:
        await open_records(pilot)
        await pilot.press("n")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RevisitScreen)
        status = text_of(pilot, "#revisit-status")
        assert "1 of 3 records would get another decision, and 1 more" in status
        table = screen.query_one("#revisit-table", DataTable)
        assert [str(k.value) for k in table.rows] == [moved.id, cited.id]  # decisions first
        assert [str(c) for c in table.get_row_at(0)[2:5]] == ["CS-MOVED", "share", "seek_advice"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RecordViewScreen)
        assert pilot.app.screen.entry.id == moved.id


async def test_the_case_timeline_from_a_record(make_app: MakeApp, data_dir: Path) -> None:
    from textual.widgets import DataTable

    from sharewise.tui.screens.timeline import TimelineScreen
    from tests.tui.conftest import open_records
    from tests.tui.test_flows import text_of

    tree = load_tree(Path(EXAMPLE_TREE))
    soon = TODAY + dt.timedelta(days=10)
    with open_ledger(data_dir) as ledger:
        first = ledger.record_decision(decide(tree, SHARE), details("CS-TL"))
        ledger.record_decision(
            decide(tree, {**SHARE, "sharer": "other_organisation"}),
            details("CS-TL").model_copy(update={"review_by": soon}),
            reassesses=first.id,
        )
    async with make_app().run_test(size=(140, 40)) as pilot:
        await open_records(pilot)
        await pilot.press("enter")  # the newest: the reassessment
        await pilot.pause()
        await pilot.press("t")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one("#timeline-table", DataTable)
        assert [str(table.get_row_at(i)[3]) for i in range(table.row_count)] == [
            "decision: share",
            "reassesses entry 1: share, unchanged",
        ]
        assert f"Next review: {soon} (entry 2, upcoming)" in text_of(pilot, "#timeline-status")
