"""Snapshots of the main screens at a fixed size, with fixed record ids and no cursor blink.

Grouped by feature: the walk, the outcome, the record, and the high-contrast theme. Update
with `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate change, and
look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from sharewise.tui.app import create_app
from tests.tui.conftest import DETAILS, EXAMPLE_TREE, FakeStore, fill, ready

SIZE = (110, 36)
Snap = Callable[..., bool]


def app(tmp_path: Path, theme: str = "default") -> Any:
    return create_app(tmp_path, EXAMPLE_TREE, store=FakeStore(), theme=theme)


async def settle(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def then(*keys: str, details: dict[str, str] | None = None) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press(*keys)
        if details is not None:
            await fill(pilot, details)
            await pilot.press("ctrl+s")
        await settle(pilot)

    return run_before


def test_home(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_walk_second_question(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SIZE, run_before=then("s", "2"))


def test_outcome(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(app(tmp_path), terminal_size=SIZE, run_before=then("s", "2", "1", "1"))


def test_record_form_errors(snap_compare: Snap, tmp_path: Path) -> None:
    keys = ("s", "2", "1", "1", "r", "ctrl+s")
    assert snap_compare(app(tmp_path), terminal_size=SIZE, run_before=then(*keys))


def test_saved_record(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("s", "2", "1", "1", "r", details=DETAILS)
    assert snap_compare(app(tmp_path), terminal_size=SIZE, run_before=run)


def test_high_contrast_walk(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("s", "2")
    assert snap_compare(app(tmp_path, "high-contrast"), terminal_size=SIZE, run_before=run)


def test_high_contrast_emergency(snap_compare: Snap, tmp_path: Path) -> None:
    run = then("f2")
    assert snap_compare(app(tmp_path, "high-contrast"), terminal_size=SIZE, run_before=run)
