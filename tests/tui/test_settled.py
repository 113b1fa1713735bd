"""Settled answers in the UI: the walk skips them and marks them, a person can answer one
themselves for a case, the Settings screen saves and clears them, and a broken file is told."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Label, RadioButton, RadioSet, Static

from sharewise import paths
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.scenarios import load_scenario
from sharewise.domain.settings import load_settings, save_settings, settings_path
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.confirm import ConfirmScreen
from sharewise.tui.screens.home import HomeScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.settings import SettingsScreen, button_id
from sharewise.tui.screens.walk import WalkScreen
from sharewise.tui.widgets.path import PathList
from tests.tui.conftest import plain, ready
from tests.tui.test_flows import record, start, walk_by_facts

MakeApp = Callable[..., SharewiseApp]
VOCAB = load_vocabulary(paths.facts_path())
ENGLAND = str(paths.default_tree_path())
SCHOOL = {"sharer": "public_authority", "apd_in_place": "yes", "care_professional": "no"}


def text_of(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def crumbs(walk: WalkScreen, width: int = 200) -> list[str]:
    """The breadcrumb's entries as plain text, wrapped at `width` (by default, hardly)."""
    path = walk.query_one("#walk-path", PathList)
    return [plain(path.get_option_at_index(i).prompt, width) for i in range(path.option_count)]


async def test_a_settled_answer_is_not_asked_and_is_marked_in_the_record(
    make_app: MakeApp, data_dir: Path
) -> None:
    save_settings(data_dir, {"sharer": "public_authority"}, VOCAB)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "Settled for every case: who is sharing" in text_of(pilot, "#home-settings")
        walk = await start(pilot)
        await pilot.press("2")
        # Only the last question is left, and it is settled: no "at most 1 more".
        assert "the last one" in text_of(pilot, "#walk-progress")
        await pilot.press("1")  # identifiable; "who is sharing" is answered from the settings
        await pilot.pause()
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        assert outcome.result.outcome.id == "share_public"
        assert "3. Who is sharing? — A public authority (settled in your settings)" in text_of(
            pilot, "#outcome-path"
        )
        saved = await record(pilot)
        assert "Who is sharing? - A public authority (settled answer, from the settings)" in (
            saved.text
        )
        assert walk.walk.steps()[-1].preset
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.result is not None
    assert [(s.fact, s.preset) for s in entry.result.path] == [
        ("immediate_danger", False),
        ("identifiable", False),
        ("sharer", True),
    ]


async def test_the_school_case_with_all_three_settled_and_one_answered_for_this_case(
    make_app: MakeApp, data_dir: Path
) -> None:
    """On the England tree: the three settled questions are skipped and shown as settled;
    going back to one asks it (after the warning) and the record says it was answered."""
    save_settings(data_dir, SCHOOL, VOCAB)
    facts = dict(load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts)
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await walk_by_facts(pilot, facts)
        assert isinstance(pilot.app.screen, OutcomeScreen)
        settled = [s.fact for s in walk.walk.steps() if s.preset]
        assert sorted(settled) == sorted(SCHOOL)
        await pilot.press("b")  # change an answer: back to the walk
        await pilot.pause()
        assert pilot.app.screen is walk
        # The breadcrumb has one entry per question (`trail`), as `jump_back` counts them.
        index = next(i for i, s in enumerate(walk.walk.trail()) if s.fact == "sharer")
        assert "(settled in settings)" in crumbs(walk)[index]
        await pilot.press("p", "home", *["down"] * index, "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        warning = text_of(pilot, "#confirm-text")
        assert "This answer is settled in your settings: you will answer it yourself" in warning
        await pilot.press("y")
        await pilot.pause()
        q = walk.walk.question
        assert q is not None and q.fact == "sharer"  # asked now, for this case
        assert "Who is sharing" in text_of(pilot, "#walk-question")
        await walk_by_facts(pilot, facts)
        assert isinstance(pilot.app.screen, OutcomeScreen)
        await record(pilot)
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.result is not None
    presets = {s.fact: s.preset for s in entry.result.path}
    # Who is sharing and in what capacity is one question: answered by the person this time,
    # both its facts; the policy document is still settled.
    assert presets["sharer"] is False and presets["care_professional"] is False
    assert presets["apd_in_place"] is True


async def test_training_asks_everything_whatever_the_settings(
    make_app: MakeApp, data_dir: Path
) -> None:
    save_settings(data_dir, SCHOOL, VOCAB)
    app = make_app(ENGLAND, training="child-disclosure-at-school")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen) and walk.training is not None
        assert walk.walk.preset == {}


async def choose(pilot: Pilot[Any], fact: str, value: str = "") -> None:
    """Pick an answer in a fact's radio set by keyboard, as a person would."""
    screen = pilot.app.screen
    radio = screen.query_one(f"#fact-{fact}", RadioSet)
    radio.focus()
    await pilot.pause()
    ids = [b.id for b in radio.query(RadioButton)]
    current = radio.pressed_index
    target = ids.index(button_id(fact, value))
    key = "down" if target > current else "up"
    await pilot.press(*[key] * abs(target - current), "enter")
    await pilot.pause()


async def test_the_settings_screen_saves_and_clears(make_app: MakeApp, data_dir: Path) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        # The settled answers, and (issue 11) the look, chosen on the same screen.
        assert {r.id for r in screen.query(RadioSet)} == {
            "fact-sharer",
            "fact-apd_in_place",
            "fact-care_professional",
            "fact-organisation_kind",
            "settings-theme",
        }
        labels = [str(b.label) for b in screen.query_one("#fact-apd_in_place").query(RadioButton)]
        assert labels == ["Ask in every case", "Yes: in place", "No: not in place"]  # no "unsure"
        for fact, value in SCHOOL.items():
            await choose(pilot, fact, value)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert load_settings(data_dir, VOCAB) == SCHOOL
        assert pilot.app.settings == SCHOOL  # the next walk uses them
        assert "Saved. Settled for every case" in text_of(pilot, "#settings-status")

        await choose(pilot, "sharer")  # ask in every case
        await pilot.press("escape")  # unsaved: asks first
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await ready(pilot)
        without = {k: v for k, v in SCHOOL.items() if k != "sharer"}
        assert load_settings(data_dir, VOCAB) == without and pilot.app.settings == without
        await pilot.press("escape")  # saved: leaves at once
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
        assert "who is sharing" not in text_of(pilot, "#home-settings")

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"settings", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen, SettingsScreen)


def rendered(widget: Widget) -> str:
    """What a widget puts on the screen, as plain characters (no colour or style)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text for line in lines)


async def open_settings(pilot: Pilot[Any]) -> SettingsScreen:
    await ready(pilot)
    await pilot.press("g")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def test_under_no_color_the_chosen_answer_is_told_in_characters(
    make_app: MakeApp, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Colour is all Textual's radio button uses to tell on from off; NO_COLOR removes it."""
    save_settings(data_dir, {"apd_in_place": "yes"}, VOCAB)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        for fact, chosen in (("apd_in_place", "yes"), ("sharer", "")):
            radio = screen.query_one(f"#fact-{fact}", RadioSet)
            assert radio.pressed_button is not None
            assert radio.pressed_button.id == button_id(fact, chosen)
            marks: dict[bool, set[str]] = {True: set(), False: set()}
            for button in radio.query(RadioButton):  # what it draws before its label
                marks[button.value].add(rendered(button).split(button.label.plain.split()[0])[0])
            (on,), (off,) = marks[True], marks[False]  # one chosen; the others all alike
            assert on != off  # in plain characters: no colour or style is compared
            assert "●" in on and "○" in off and "●" not in off


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_answer_on_the_settings_screen_is_shown_whole(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    async with make_app().run_test(size=size) as pilot:
        screen = await open_settings(pilot)
        buttons = list(screen.query(RadioButton))
        facts = [
            b
            for r in screen.query(RadioSet)
            if r.id != "settings-theme"
            for b in r.query(RadioButton)
        ]
        assert len(facts) == 16  # with the kind of public body (5 answers and "ask")
        for widget in [*buttons, *screen.query(Label)]:
            shown = rendered(widget)
            assert "…" not in shown
            words = " ".join(shown.replace("▐●▌", "").replace("▐○▌", "").split())
            text = widget.label.plain if isinstance(widget, RadioButton) else str(widget.render())
            assert " ".join(text.split()) in words


async def test_a_refusal_is_shown_in_the_domains_words(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        # A vocabulary that no longer allows a value (as after an upgrade) refuses it.
        screen.chosen = lambda: {"apd_in_place": "unsure"}  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await ready(pilot)
        status = text_of(pilot, "#settings-status")
        assert "Nothing was saved." in status
        assert "apd_in_place: 'unsure' cannot be settled" in status


async def test_a_broken_settings_file_is_explained_and_every_question_asked(
    make_app: MakeApp, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    settings_path(data_dir).write_text("facts:\n  sharer: public_authority\n  concern: x\n")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        shown = text_of(pilot, "#home-settings")
        assert "settings file could not be read, so every question will be asked" in shown
        assert f"{settings_path(data_dir)}:3:12" in shown
        walk = await start(pilot)
        await pilot.press("2", "1")
        assert walk.walk.node == "sharer"  # asked, not settled
        await pilot.press("escape", "y", "g")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert "Saving here replaces it" in text_of(pilot, "#settings-error")
        await choose(pilot, "sharer", "public_authority")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert load_settings(data_dir, VOCAB) == {"sharer": "public_authority"}
        assert text_of(pilot, "#settings-error") == ""
        await pilot.press("escape")
        await pilot.pause()
        assert "could not be read" not in text_of(pilot, "#home-settings")


async def test_a_settled_kind_of_public_body_is_not_asked_and_the_record_names_its_law(
    make_app: MakeApp, data_dir: Path
) -> None:
    """An NHS trust settles what kind of public body it is: a nurse's walk never asks it, and
    her outcome names the trust's own duty (Children Act 2004 s.11), not the council's s.47."""
    trust = {
        "sharer": "public_authority",
        "care_professional": "yes",
        "organisation_kind": "nhs_body",
    }
    save_settings(data_dir, trust, VOCAB)
    scenario = paths.scenarios_dir() / "organisation-nhs-trust-names-its-own-duty.yaml"
    facts = dict(load_scenario(scenario).facts)
    del facts["organisation_kind"]  # were it asked, the walk would answer "not sure"
    async with make_app(ENGLAND).run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await walk_by_facts(pilot, facts)
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        assert [s.fact for s in walk.walk.steps() if s.preset] == [
            "sharer",
            "care_professional",
            "organisation_kind",
        ]
        assert "_nhs_" in outcome.result.outcome.id
        law = " ".join(str(s.render()) for s in outcome.query(Static))
        assert "Children Act 2004 s.11" in law
        assert "Children Act 1989 s.47" not in law
