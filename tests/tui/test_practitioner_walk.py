"""The practitioner's walk under stress (issue 11): danger first, a form that cannot trap,
and every button readable in every theme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea

from sharewise.domain.record import RECIPIENT_NEEDED, EntryKind
from sharewise.domain.scenarios import load_scenario
from sharewise.domain.walk import Walk
from sharewise.domain.words import decision_words
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.emergency import EmergencyScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.saved import SavedScreen
from sharewise.tui.screens.walk import WalkScreen
from sharewise.tui.widgets.yes_no import YesNo
from tests.tui.conftest import DETAILS, fill, ready
from tests.tui.test_flows import start, walk_by_facts

ROOT = Path(__file__).resolve().parents[2]

MakeApp = Callable[..., SharewiseApp]


def luminance(c: Color) -> float:
    """WCAG relative luminance."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1: invisible, 21: black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(button: Button) -> float:
    style = button.rich_style
    assert style.color is not None and style.bgcolor is not None
    return contrast(Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor))


@pytest.mark.parametrize("theme", ["default", "light", "high-contrast"])
async def test_every_emergency_button_label_can_be_read(make_app: MakeApp, theme: str) -> None:
    """The main button of the emergency form was once its own background's colour."""
    app = make_app(theme=theme)
    async with app.run_test(size=(110, 36)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        for button in app.screen.query(Button):
            assert readable(button) >= 3, (theme, button.id, str(button.label))


def scenario_facts(name: str) -> dict[str, str]:
    path = ROOT / "decision_trees" / "scenarios" / f"{name}.yaml"
    facts: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]
    return facts


def shown(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_yes_to_danger_opens_the_act_now_screen_at_once(make_app: MakeApp) -> None:
    """Yes to immediate danger acts like F2: what to do and say now, before any question;
    Esc goes back to the questions, marked as for the record."""
    app = make_app(tree=None)  # the England tree: questions follow the "yes"
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await pilot.press("1")  # yes, someone is in danger now
        await pilot.pause()
        assert isinstance(app.screen, EmergencyScreen)
        banner = shown(pilot, "#emergency-banner")
        assert "call 999" in banner and "What to tell 999 or the duty team" in banner
        assert "for the record" in shown(pilot, "#emergency-next")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is walk and walk.walk.question is not None
        assert walk.query_one("#walk-danger").display
        assert "for the record only" in shown(pilot, "#walk-danger")
        assert shown(pilot, "#walk-progress").startswith("For the record · Question 2")
        await walk_by_facts(pilot, scenario_facts("threat-tonight"))
        assert isinstance(app.screen, OutcomeScreen)
        heading = shown(pilot, "#outcome-decision")
        words = decision_words(app.screen.result.decision)
        # The decision is said once, not "Share now: this is urgent: Share now: ..."
        assert heading.count(words.split(":")[0]) == 1, heading


async def test_an_answer_that_decides_at_once_still_acts_first(make_app: MakeApp) -> None:
    """When "yes" is the last question (the example tree), act-now first, then the outcome."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)


async def test_the_emergency_record_from_a_walk_is_completed_by_that_walk(
    make_app: MakeApp, data_dir: Path
) -> None:
    """Saved from the act-now screen, the emergency record is the one the walk completes:
    one case, two linked entries, not two unrelated records."""
    app = make_app(tree=None)
    async with app.run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await pilot.press("1")
        await pilot.pause()
        await fill(pilot, {k: DETAILS[k] for k in list(DETAILS)[:4]})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, SavedScreen)
        saved_id = app.screen.saved.id
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is walk and walk.completes == saved_id
        assert saved_id in shown(pilot, "#walk-danger")
        await walk_by_facts(pilot, scenario_facts("threat-tonight"))
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordFormScreen) and form.complete_target == saved_id
        assert form.fields()["case_ref"].value == DETAILS["case_ref"]
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, SavedScreen)
    with open_ledger(data_dir, create=False) as ledger:
        emergency, completion = list(ledger.entries())
    assert emergency.kind is EntryKind.EMERGENCY and completion.target == emergency.id
    assert completion.decision is not None and completion.decision.shares


async def test_in_training_yes_to_danger_files_nothing(make_app: MakeApp) -> None:
    """An exercise never opens the form that files a real record; it says where it would."""
    app = make_app(tree=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.decision_tree is not None
        scenario = load_scenario(ROOT / "decision_trees" / "scenarios" / "threat-tonight.yaml")
        await app.push_screen(WalkScreen(Walk(app.decision_tree), training=scenario))
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert "act-now screen opens here" in shown(pilot, "#walk-danger")


async def test_the_form_refuses_a_disclosure_without_a_recipient_in_the_domains_words(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await to_form(pilot)
        no_recipient = {k: v for k, v in DETAILS.items() if not k.startswith("recipient.")}
        await fill(pilot, {**no_recipient, "recipient.organisation": "", "recipient.role": ""})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert app.screen is form
        assert form.fields()["recipient.organisation"].error == RECIPIENT_NEEDED


async def to_form(pilot: Pilot[Any]) -> RecordFormScreen:
    await start(pilot)
    await pilot.press("2", "1", "1", "r")  # no danger, identifiable, public authority: share
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordFormScreen)
    return pilot.app.screen


async def test_y_answers_without_skipping_the_why_field(make_app: MakeApp) -> None:
    """y then Enter lands in the "why" field, not the one after it."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        form = await to_form(pilot)
        form.query_one("#consent-sought").focus()
        await pilot.press("y", "enter", *"Because", "enter")
        reason = form.fields()["consent.reason"]
        assert form.query_one("#row-consent-sought", YesNo).value is True
        assert reason.value == "Because"
        assert form.fields()["informed.reason"].value == ""


async def test_sentences_are_typed_into_areas_that_wrap(make_app: MakeApp) -> None:
    """What was shared and the reasons stay in sight: a long sentence wraps onto more lines
    instead of scrolling out of a one-line box."""
    long = "Disclosure of being hit at home by a carer, with bruising seen on the left arm " * 2
    async with make_app().run_test(size=(80, 24)) as pilot:
        form = await to_form(pilot)
        for key in ("information", "consent.reason", "informed.reason", "rationale"):
            assert isinstance(form.fields()[key].input, TextArea), key
        info = form.fields()["information"]
        info.input.focus()
        await pilot.press(*long.strip())
        await pilot.pause()
        area = info.input
        assert isinstance(area, TextArea)
        assert area.wrapped_document.height > 1  # wrapped, so all of it can be seen
        assert info.value == long.strip()


async def test_the_suggested_label_goes_once_the_value_is_typed_over(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        form = await to_form(pilot)
        suggested = [f for f in form.fields().values() if f.suggested_from]
        assert suggested, "the walk suggests some values"
        f = suggested[0]
        note = f.query_one(".suggestion", Static)
        assert note.display
        f.input.focus()
        await pilot.press("ctrl+a", *"My own words")
        await pilot.pause()
        assert f.value != f.initial
        assert not note.display and not f.has_class("-suggested")


async def test_someone_elses_remembered_details_are_named_with_a_not_me(
    make_app: MakeApp,
) -> None:
    """On a shared computer the form says whose details it starts from, before the first
    field, and "not me" clears them for this record."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.practitioner = {k: v for k, v in DETAILS.items() if k.startswith("practitioner.")}
        form = await to_form(pilot)
        words = shown(pilot, "#whose-words")
        assert DETAILS["practitioner.name"] in words and DETAILS["practitioner.role"] in words
        whose = form.query_one("#whose-details")
        first_field = form.query_one("#field-case_ref")
        assert whose.region.y < first_field.region.y  # said before the first field
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not form.query("#whose-details")
        assert all(form.fields()[k].value == "" for k in app.practitioner)
        assert app.focused is form.fields()["practitioner.name"].input


async def test_at_80x24_the_help_lies_over_the_question_instead_of_squeezing_it(
    make_app: MakeApp,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        walk = await start(pilot)
        width = walk.query_one("#walk-question-col").size.width
        await pilot.press("question_mark")
        await pilot.pause()
        assert walk.query_one("#walk-help-col").display
        assert walk.query_one("#walk-question-col").size.width == width  # not squeezed


async def test_at_80x24_answers_below_the_fold_are_announced(make_app: MakeApp) -> None:
    """The sharer question's long answers do not all fit: a line says more follow, and it
    goes once the last answer is in sight."""
    app = make_app(tree=None)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await start(pilot)
        facts = scenario_facts("child-disclosure-at-school")
        for _ in range(10):
            if len(walk.walk.choices()) >= 7:
                break
            await pilot.press(str(walk.walk.index_for(facts) + 1))
            await pilot.pause()
        assert len(walk.walk.choices()) >= 7, "reached a question with many answers"
        await pilot.pause()
        more = walk.query_one("#walk-more", Static)
        assert more.display and "More answers below" in str(more.render())
        await pilot.press("end")
        await pilot.pause()
        await pilot.pause()
        assert not more.display


async def test_at_80x24_the_footer_shows_danger_now(make_app: MakeApp) -> None:
    from textual.widgets._footer import FooterKey

    async with make_app().run_test(size=(80, 24)) as pilot:
        walk = await start(pilot)
        await pilot.pause()
        keys = {k.key: k for k in walk.query(FooterKey)}
        f2 = keys["f2"]
        assert f2.region.right <= 80 and f2.region.width > 0


async def test_the_look_chosen_in_settings_is_remembered_across_restarts(
    make_app: MakeApp,
) -> None:
    from textual.widgets import RadioButton

    from sharewise.tui.themes import THEMES

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")  # Settings
        await ready(pilot)
        light = app.screen.query_one("#theme-light", RadioButton)
        light.value = True
        await ready(pilot)
        assert app.theme == THEMES["light"]
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.theme == THEMES["light"]
        await pilot.press("g")
        await ready(pilot)
        assert again.screen.query_one("#theme-light", RadioButton).value


async def test_in_training_the_story_is_one_key_away(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.decision_tree is not None
        scenario = load_scenario(ROOT / "decision_trees" / "scenarios" / "threat-tonight.yaml")
        await app.push_screen(WalkScreen(Walk(app.decision_tree), training=scenario))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert any(scenario.narrative[:40] in n.message for n in app._notifications)
