"""Fixtures for the UI tests: an app on the example tree with a ledger in a temp folder."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot

from sharewise.domain.errors import StoreError
from sharewise.domain.record import Entry, RecordDetails, Verdict
from sharewise.domain.result import DecisionResult
from sharewise.store.base import Filters
from sharewise.tui.app import SharewiseApp, create_app
from sharewise.tui.ledger import Listing, SavedRecord

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TREE = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")

#: The details a practitioner types, by field key (the record form's ids).
DETAILS: dict[str, str] = {
    "case_ref": "CS-2026-00417",
    "practitioner.name": "J. Okafor",
    "practitioner.role": "Designated safeguarding lead",
    "practitioner.organisation": "Riverside Primary School",
    "recipient.organisation": "Children's social care",
    "recipient.role": "Duty social worker",
    "information": "Disclosure of being hit at home; bruising seen on the arm.",
    "method": "Secure email, then phone",
    "consent.reason": "Seeking consent would put the child at greater risk.",
    "informed.reason": "Telling the family first could increase the risk.",
    "rationale": "Disclosure of physical harm by a carer; referral needed today.",
    "review_by": "2026-12-06",
}


@pytest.fixture(autouse=True)
def _no_real_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing a UI test does may touch the real user's ledger."""
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "never-used"))
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SHAREWISE_THEME", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., SharewiseApp]:
    def make(tree: str = EXAMPLE_TREE, **kwargs: Any) -> SharewiseApp:
        return create_app(data_dir, tree, **kwargs)

    return make


async def ready(pilot: Pilot[Any]) -> None:
    """Let workers (tree loading, saving) finish and the screen settle.

    The app starts loading the tree only after its first paint, so on a busy machine the
    workers can all be done before the tree's has even started: wait for the load itself
    (tree or error) too, for up to five seconds.
    """
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not isinstance(app, SharewiseApp) or app.decision_tree or app.tree_error:
            return
        await asyncio.sleep(0.05)


async def fill(pilot: Pilot[Any], values: dict[str, str]) -> None:
    """Type into form fields by key (directly, like a paste: fast and exact)."""
    from sharewise.tui.widgets.field import TextField

    screen = pilot.app.screen
    for key, value in values.items():
        screen.query_one(f"#field-{key.replace('.', '-')}", TextField).text = value
    await pilot.pause()


class FakeStore:
    """A ledger stand-in with fixed ids, for snapshots and for failure paths."""

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.saved: list[tuple[str, DecisionResult | None, RecordDetails]] = []

    def _next(self, kind: str, result: DecisionResult | None, d: RecordDetails) -> SavedRecord:
        if self.fail:
            raise StoreError(self.fail)
        self.saved.append((kind, result, d))
        n = len(self.saved)
        return SavedRecord(f"01TESTRECORD{n:014d}", n, f"{n:064x}")

    def save_decision(
        self, result: DecisionResult, details: RecordDetails, reassesses: str | None = None
    ) -> SavedRecord:
        return self._next("decision", result, details)

    def save_emergency(self, details: RecordDetails) -> SavedRecord:
        return self._next("emergency", None, details)

    def complete(
        self,
        target_id: str,
        details: RecordDetails,
        result: DecisionResult | None = None,
        *,
        new_case_ref: bool = False,
    ) -> SavedRecord:
        return self._next("completion", result, details)

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None
    ) -> SavedRecord:
        raise StoreError("reviews are not kept by the fake store")

    def amend(self, target_id: str, details: RecordDetails) -> SavedRecord:
        return self._next("amendment", None, details)

    def listing(self, filters: Filters, newest: int) -> Listing:
        return Listing()

    def get(self, entry_id: str) -> Entry:
        raise StoreError("no such entry")

    def export(self, entry_id: str) -> list[Path]:
        return [Path(f"/exports/record-{entry_id}.md")]

    def due(self, today: dt.date) -> list[tuple[Entry, str]]:
        return []

    def held(self, fresh: bool = False, *, from_ledger: bool = False) -> Any:
        from sharewise.reports.figures import Held

        return Held(None)

    def chain_breaks(self) -> list[tuple[int, str]]:
        return []

    def chain_checked(self, held: Any, intact: bool) -> Any:
        return None

    def timeline(self, case_ref: str, today: dt.date) -> list[Any]:
        return []

    def would_change(self, tree: Any) -> Any:
        from sharewise.store.revisit import RevisitList

        return RevisitList([], 0)


FROZEN_TODAY = dt.date(2026, 11, 29)


def plain(renderable: object, width: int = 200) -> str:
    """A rich renderable (a grid, say) as the text a person reads, wrapped at `width`."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def open_records(pilot: Pilot[Any]) -> Any:
    """From the home screen, the Records screen (r), once its rows are read."""
    from sharewise.tui.screens.records import RecordsScreen

    await ready(pilot)
    await pilot.press("r")
    await ready(pilot)
    assert isinstance(pilot.app.screen, RecordsScreen)
    return pilot.app.screen


async def file_emergency(pilot: Pilot[Any], key: str = "e") -> None:
    """Danger now (`e` on the home screen, or F2 anywhere): the four fields, saved, Done."""
    await ready(pilot)
    await pilot.press(key)
    await pilot.pause()
    await fill(pilot, {k: DETAILS[k] for k in list(DETAILS)[:4]})
    await pilot.press("ctrl+s")
    await ready(pilot)
    await pilot.press("d")
    await pilot.pause()


async def open_emergency_record(pilot: Pilot[Any], key: str = "e") -> None:
    """File an emergency record, then open it from the Records screen."""
    await file_emergency(pilot, key)
    await open_records(pilot)
    await pilot.press("enter")
    await pilot.pause()
