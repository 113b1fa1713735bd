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
    """(This one held before the type-ahead too: an answer is a binding of the walk screen,
    checked when the key gets back to the app, by which time the walk was on top. Kept so
    that holding keys for the screen to mount never loses it.)"""
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


async def test_quitting_with_keys_still_held_ends_cleanly(make_app: MakeApp) -> None:
    """ctrl+q typed among keys held for a screen still opening: the app ends, and the keys
    left are dropped (no error from a look at a screen stack already emptied)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_outcome(pilot)
        for key in ("r", "ctrl+q", *CASE):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(200):
            if not app.is_running:
                break
            await asyncio.sleep(0.02)
        assert not app.is_running
    assert app.return_code == 0


async def test_answers_typed_while_the_tree_loads_go_to_the_walk(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s before the tree has loaded opens the walk once it has (walk_pending): the answer
    typed after s waits for it, rather than going to the home screen."""
    import threading

    import sharewise.domain.graph as graph
    from sharewise.tui.screens.home import HomeScreen

    real = graph.load_named_tree
    pressed = threading.Event()

    def slow(path: str | None) -> Any:
        pressed.wait(timeout=10)
        return real(path)

    monkeypatch.setattr(graph, "load_named_tree", slow)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, HomeScreen):
                break
            await asyncio.sleep(0.01)
        for key in ("s", "2"):
            app.post_message(events.Key(key, key))
        for _ in range(100):
            if app.walk_pending:
                break
            await asyncio.sleep(0.01)
        assert app.walk_pending and app.decision_tree is None
        pressed.set()
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert walk.walk.question_number == 2
