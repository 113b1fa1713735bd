"""Keys typed ahead land in the screen and field they were typed for (type_ahead.py).

`Pilot.press` waits for the app to settle after every key, which hides the problem: a
practitioner types faster than that, and a terminal (or tmux) hands the app the key that
opens a screen and the keys typed after it in one read. `type_at_once` does the same: every
key is in the app's queue before the first is handled. Without the type-ahead, the keys
after the opening one went to the old screen's focused widget (or to the new screen before
it had a focus), and were lost.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.dashboard import DashboardScreen
from sharewise.tui.screens.emergency import EmergencyScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.conftest import ready

MakeApp = Callable[..., SharewiseApp]
CASE = "CS-2026-0042"
DATE = "2026-01-01"


async def type_at_once(pilot: Pilot[Any], *keys: str) -> None:
    """Post every key to the app before it handles the first, as a burst from a terminal
    arrives; then wait until the app has handled them all."""
    app = pilot.app
    for key in keys:
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        app.post_message(events.Key(name, key if len(key) == 1 else None))
    await settle(pilot)


async def settle(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(100):
        await ready(pilot)
        await pilot.pause(0.02)
        if isinstance(app, SharewiseApp) and not app.type_ahead.held and not app.type_ahead.busy:
            break
        await asyncio.sleep(0.02)
    await pilot.pause(0.05)


def value(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Input).value)


async def to_outcome(pilot: Pilot[Any]) -> OutcomeScreen:
    await ready(pilot)
    await pilot.press("s", "2", "1", "1")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OutcomeScreen)
    return pilot.app.screen


async def test_the_case_reference_typed_straight_after_r(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await to_outcome(pilot)
        await type_at_once(pilot, "r", *CASE)
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        assert form.fields()["case_ref"].value == CASE
        assert pilot.app.focused is form.query_one("#field-case_ref Input")


async def test_the_case_reference_typed_straight_after_enter_on_the_button(
    make_app: MakeApp,
) -> None:
    """Enter presses the focused "Record this decision" button: a message more on the way."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await to_outcome(pilot)
        await type_at_once(pilot, "enter", *CASE, "enter", *"J. Okafor")
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        values = {k: f.value for k, f in form.fields().items()}
        assert values["case_ref"] == CASE
        assert values["practitioner.name"] == "J. Okafor"


async def test_a_whole_walk_typed_ahead_from_home(make_app: MakeApp) -> None:
    """s, the three answers, r and the case reference, all before the first is handled."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_at_once(pilot, "s", "2", "1", "1", "r", *CASE)
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        assert form.fields()["case_ref"].value == CASE


async def test_walk_answers_typed_straight_after_opening_it(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_at_once(pilot, "s", "2")
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen)
        assert walk.walk.question_number == 2  # the first question answered with 2


async def test_the_emergency_case_reference_typed_straight_after_e(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_at_once(pilot, "e", *CASE)
        screen = pilot.app.screen
        assert isinstance(screen, EmergencyScreen)
        assert value(screen, "#field-case_ref Input") == CASE


@pytest.fixture
def filled(bank_dir: Path, data_dir: Path) -> Path:
    shutil.copytree(bank_dir, data_dir, dirs_exist_ok=True)
    return data_dir


async def test_the_dashboard_filter_typed_straight_after_f(make_app: MakeApp, filled: Path) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DashboardScreen)
        await type_at_once(pilot, "f", *DATE)
        assert value(pilot.app.screen, "#dash-from") == DATE


async def test_the_dashboard_filter_typed_straight_after_opening_it(
    make_app: MakeApp, filled: Path
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_at_once(pilot, "d", "f", *DATE, "tab", *DATE)
        screen = pilot.app.screen
        assert isinstance(screen, DashboardScreen)
        assert value(screen, "#dash-from") == DATE
        assert value(screen, "#dash-to") == DATE


async def test_the_records_filter_typed_straight_after_opening_it(
    make_app: MakeApp, filled: Path
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_at_once(pilot, "r", "f", *DATE)
        screen = pilot.app.screen
        assert isinstance(screen, RecordsScreen)
        assert value(screen, "#filter-from") == DATE


async def test_keys_typed_one_at_a_time_are_not_held(make_app: MakeApp) -> None:
    """A key typed with nothing on its way goes straight through: nothing is left held."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await to_outcome(pilot)
        await pilot.press("r", *CASE)
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        assert form.fields()["case_ref"].value == CASE
        app = pilot.app
        assert isinstance(app, SharewiseApp)
        assert not app.type_ahead.held and not app.type_ahead.busy
