"""Fewer keystrokes to a record: remembered practitioner details, suggestions from the walk,
and the "waiting for the ledger" notice while another program writes."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from sharewise import paths
from sharewise.domain.scenarios import load_scenario
from sharewise.profile import load_profile, profile_path
from sharewise.store import ledger_path, open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.saved import SavedScreen
from sharewise.tui.widgets.field import TextField
from sharewise.tui.widgets.yes_no import YesNo
from tests.tui.conftest import DETAILS, fill, ready
from tests.tui.test_flows import start, walk_by_facts

MakeApp = Callable[..., SharewiseApp]
ME = {k: v for k, v in DETAILS.items() if k.startswith("practitioner.")}


def field(pilot: Pilot[Any], key: str) -> TextField:
    return pilot.app.screen.query_one(f"#field-{key.replace('.', '-')}", TextField)


async def to_form(pilot: Pilot[Any]) -> RecordFormScreen:
    await start(pilot)
    await pilot.press("2", "1", "1")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OutcomeScreen)
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordFormScreen)
    return pilot.app.screen


async def test_my_details_are_remembered_across_sessions_until_forget_me(
    make_app: MakeApp, data_dir: Path
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await to_form(pilot)
        assert field(pilot, "practitioner.name").value == ""
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
    path = profile_path(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_profile(data_dir) == {k.split(".")[1]: v for k, v in ME.items()}
    assert DETAILS["case_ref"] not in path.read_text()  # never anything about a case

    async with make_app().run_test(size=(120, 40)) as pilot:
        await to_form(pilot)
        for key, value in ME.items():
            assert field(pilot, key).value == value
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        pilot.app.action_forget_me()
        await ready(pilot)
        assert not path.exists() and pilot.app.practitioner == {}
        assert any("no longer remembered" in n.message for n in pilot.app._notifications)


async def test_the_school_disclosure_form_comes_with_marked_suggestions(
    make_app: MakeApp, data_dir: Path
) -> None:
    scenario = load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml")
    app = make_app(str(paths.default_tree_path()))
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await walk_by_facts(pilot, dict(scenario.facts))
        await pilot.press("r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RecordFormScreen)
        reason = field(pilot, "consent.reason")
        assert "greater risk" in reason.value and reason.has_class("-suggested")
        note = str(reason.query_one(".suggestion", Static).render())
        assert note.startswith("SUGGESTED from your answer")
        assert field(pilot, "recipient.role").value == "Safeguarding role"
        consent = screen.query_one("#row-consent-sought", YesNo)
        assert consent.value is False and "SUGGESTED" in str(consent.query_one("Label").render())
        rationale = field(pilot, "rationale")
        assert rationale.value == "Share with the agency that needs it because"
        # The skeleton alone is not a reason: saving says so under the field.
        rest = {k: v for k, v in DETAILS.items() if k not in ("rationale", "recipient.role")}
        rest = {k: v for k, v in rest.items() if k not in ("consent.reason",)}
        await fill(pilot, rest)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert "Finish the sentence" in rationale.error
        # Typing goes to the end of the skeleton (it is finished, not replaced).
        rationale.input.focus()
        await pilot.press(*"she disclosed harm")
        assert rationale.value.endswith("because she disclosed harm")
        # Typing over a suggestion replaces it, and the mark goes.
        role = field(pilot, "recipient.role")
        role.input.focus()
        await pilot.press(*"Duty SW")
        assert role.value == "Duty SW" and not role.has_class("-suggested")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    d = entry.details
    assert d is not None and d.consent is not None and d.consent.sought is False
    assert d.consent.reason is not None and "greater risk" in d.consent.reason
    assert d.rationale == "Share with the agency that needs it because she disclosed harm"


async def test_waiting_for_the_ledger_is_shown_as_a_notification(
    make_app: MakeApp, data_dir: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SHAREWISE_LOCK_TIMEOUT", "5")
    with open_ledger(data_dir):
        pass
    other = sqlite3.connect(ledger_path(data_dir), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    release = threading.Timer(1.2, other.rollback)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await to_form(pilot)
        await fill(pilot, DETAILS)
        release.start()
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
        messages = [n.message for n in pilot.app._notifications]
        assert any("Waiting for the ledger" in m for m in messages), messages
    release.join()
    other.close()


async def test_typed_text_goes_into_an_untouched_suggestion_by_replacing_it(
    make_app: MakeApp,
) -> None:
    """Input selects its text on focus, so a suggestion is replaced by typing; Enter keeps it."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await to_form(pilot)
        rationale = field(pilot, "rationale")
        assert rationale.value.endswith("because") and rationale.has_class("-suggested")
        assert rationale.multiline and not rationale.select_on_focus
