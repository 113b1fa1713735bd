"""The IG lead in the Records screen: filters, a review and an amendment, each appended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioSet, Static

from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.domain.record import EntryKind, RecordDetails, Verdict
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen, RecordViewScreen, parse_filters
from sharewise.tui.screens.review import ReviewScreen
from sharewise.tui.screens.saved import SavedScreen
from tests.tui.conftest import (
    DETAILS,
    EXAMPLE_TREE,
    fill,
    open_emergency_record,
    open_records,
    ready,
)

MakeApp = Callable[..., SharewiseApp]
SHARE = {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}
NOT_PERSONAL = {"immediate_danger": "no", "identifiable": "no"}


def details(case_ref: str) -> RecordDetails:
    from tests.tui.conftest import DETAILS as D

    return RecordDetails.model_validate(
        {
            "case_ref": case_ref,
            "practitioner": {
                "name": D["practitioner.name"],
                "role": D["practitioner.role"],
                "organisation": D["practitioner.organisation"],
            },
            "recipient": {"organisation": "Children's social care", "role": "Duty team"},
            "information": D["information"],
            "consent": {"sought": False, "reason": D["consent.reason"]},
            "informed": {"told": False, "reason": D["informed.reason"]},
            "rationale": D["rationale"],
        }
    )


def seed(data_dir: Path) -> list[str]:
    tree = load_tree(Path(EXAMPLE_TREE))
    with open_ledger(data_dir) as ledger:
        a = ledger.record_decision(decide(tree, SHARE), details("CS-1"))
        b = ledger.record_decision(decide(tree, NOT_PERSONAL), details("CS-2"))
    return [a.id, b.id]


def rows(pilot: Pilot[Any]) -> int:
    return pilot.app.screen.query_one("#records-table", DataTable).row_count


def status(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#records-status", Static).render())


def test_parse_filters_explains_bad_dates() -> None:
    assert parse_filters("2026-13-01", "", None, "")[1].startswith("From: write a real date")
    assert "swap" in parse_filters("2026-11-02", "2026-11-01", None, "")[1]
    f, _ = parse_filters(" 2026-11-01 ", "", "share", " CS-1 ")
    assert f is not None and (f.date_from, f.decision, f.case) == (
        dt.date(2026, 11, 1),
        "share",
        "CS-1",
    )


async def test_filters_by_case_decision_and_date(make_app: MakeApp, data_dir: Path) -> None:
    seed(data_dir)
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_records(pilot)
        assert rows(pilot) == 2
        await pilot.press("f")
        screen.query_one("#filter-case", Input).value = "CS-2"
        screen.query_one("#filter-case", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert rows(pilot) == 1 and "match the filters" in status(pilot)
        screen.query_one("#filter-case", Input).value = ""
        screen.query_one("#filter-decision").value = "share"  # type: ignore[attr-defined]
        await ready(pilot)
        assert rows(pilot) == 1
        tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
        screen.query_one("#filter-from", Input).value = tomorrow
        screen.query_one("#filter-from", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert rows(pilot) == 0 and "No records match" in status(pilot)
        screen.query_one("#filter-from", Input).value = "yesterday"
        await pilot.press("enter")
        await ready(pilot)
        assert "write a real date as YYYY-MM-DD" in status(pilot)


async def test_review_and_amend_from_the_record_view(make_app: MakeApp, data_dir: Path) -> None:
    first, _ = seed(data_dir)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        await pilot.press("down", "enter")  # newest first: CS-1 is the second row
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen) and view.entry.id == first
        await pilot.press("v")
        await pilot.pause()
        review = pilot.app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "choose a verdict" in str(review.query_one("#review-summary", Static).render())
        review.query_one(RadioSet).focus()
        await pilot.press("down", "down", "enter")  # follow up (the third)
        await fill(pilot, {"reviewer": "IG Lead", "comment": "Check the review date."})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, RecordsScreen)
        table = pilot.app.screen.query_one("#records-table", DataTable)
        assert "reviewed" in str(table.get_row(first)[-1])
        await pilot.press("down", "enter")
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen)
        history = str(view.query_one("#record-view-history", Static).render())
        assert "follow up by IG Lead" in history and "Check the review date." in history
        await pilot.press("m")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen) and form.amend_target == first
        assert form.fields()["case_ref"].value == "CS-1"  # the record's details, to correct
        assert form.fields()["rationale"].value == DETAILS["rationale"]
        await fill(pilot, {"information": "Disclosure only; no photographs shared."})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
        await pilot.press("d")  # Done: back to the list the correction started from
        await ready(pilot)
        assert isinstance(pilot.app.screen, RecordsScreen)
        table = pilot.app.screen.query_one("#records-table", DataTable)
        assert str(table.get_row(first)[-1]) == "recorded · reviewed, amended"
        assert table.cursor_row == 1  # still on the record just amended
    with open_ledger(data_dir, create=False) as ledger:
        entries = list(ledger.entries())
    review_entry, amendment = entries[2], entries[3]
    assert review_entry.kind is EntryKind.REVIEW and review_entry.target == first
    assert review_entry.review is not None and review_entry.review.verdict is Verdict.FOLLOW_UP
    assert amendment.kind is EntryKind.AMENDMENT and amendment.target == first
    assert amendment.details is not None and amendment.details.information.startswith(
        "Disclosure only"
    )
    assert (
        entries[0].details is not None and entries[0].details.information == DETAILS["information"]
    )


async def test_walk_then_complete_an_emergency_filed_without_a_decision(
    make_app: MakeApp, data_dir: Path
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_emergency_record(pilot)
        assert isinstance(pilot.app.screen, RecordViewScreen)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("1")  # someone was in immediate danger
        await pilot.pause()
        assert isinstance(pilot.app.screen, OutcomeScreen)
        await pilot.press("r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen) and form.complete_target is not None
        assert form.fields()["case_ref"].value == DETAILS["case_ref"]
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
        await pilot.press("d")  # Done: past the walk, back to the list, which shows it
        await ready(pilot)
        assert isinstance(pilot.app.screen, RecordsScreen)
        (row,) = pilot.app.screen.query_one("#records-table", DataTable).ordered_rows
        shown = [str(c) for c in pilot.app.screen.query_one(DataTable).get_row(row.key)]
        assert shown[3:] == ["Share now", "completed by entry 2"]
    with open_ledger(data_dir, create=False) as ledger:
        emergency, completion = list(ledger.entries())
    assert emergency.result is None and completion.target == emergency.id
    assert completion.result is not None and completion.decision is not None
    assert completion.decision.value == "share_urgently"


async def test_a_completion_is_refused_with_the_unfinished_suggested_reasons(
    make_app: MakeApp, data_dir: Path
) -> None:
    """The walk offers "<outcome> because " as the start of the reasons, for a completion too;
    saved as it is, it would be a record with no reasons in it."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_emergency_record(pilot)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen) and form.complete_target is not None
        rationale = form.fields()["rationale"]
        assert rationale.value.rstrip().endswith("because")
        await fill(pilot, {k: v for k, v in DETAILS.items() if k != "rationale"})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert pilot.app.screen is form
        assert "Finish the sentence" in rationale.error
    with open_ledger(data_dir, create=False) as ledger:
        assert [e.kind for e in ledger.entries()] == [EntryKind.EMERGENCY]


async def test_a_case_reference_with_brackets_is_shown_as_typed(
    make_app: MakeApp, data_dir: Path
) -> None:
    """Textual's DataTable reads a text cell as markup: "[/]" in a case reference closed the
    Records screen with a markup error, and "[b]" made the row bold. Shown literally now."""
    tree = load_tree(Path(EXAMPLE_TREE))
    typed = "CS-[b]2026[/]-7"
    with open_ledger(data_dir) as ledger:
        ledger.record_decision(decide(tree, SHARE), details(typed))
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_records(pilot)
        table = pilot.app.screen.query_one("#records-table", DataTable)
        shown = "".join(seg.text for seg in table.render_line(1))  # under the headings
        assert typed in shown
