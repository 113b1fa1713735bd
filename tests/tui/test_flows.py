"""Pilot tests of each journey through the real app, with a real ledger in a temp folder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from sharewise.domain.record import EntryKind
from sharewise.store import open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.confirm import ConfirmScreen
from sharewise.tui.screens.emergency import EmergencyScreen
from sharewise.tui.screens.home import HomeScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen, RecordViewScreen
from sharewise.tui.screens.saved import SavedScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.conftest import DETAILS, FakeStore, file_emergency, fill, ready

MakeApp = Callable[..., SharewiseApp]


def text_of(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def walk_by_facts(pilot: Pilot[Any], facts: dict[str, str]) -> None:
    """Answer each question the way a person would: the number key of the matching option."""
    for _ in range(50):
        screen = pilot.app.screen
        if isinstance(screen, EmergencyScreen) and screen.from_walk:
            # Danger now: the act-now screen comes first; Esc goes on with the questions.
            await pilot.press("escape")
            await pilot.pause()
            continue
        if not isinstance(screen, WalkScreen):
            return
        # The one option the facts give: a question may settle two facts in one answer.
        index = screen.walk.index_for(facts)
        if index < 9:
            await pilot.press(str(index + 1))
        else:
            options = screen.query_one("#walk-options", OptionList)
            options.focus()
            await pilot.press("home", *["down"] * index, "enter")
        await pilot.pause()
    raise AssertionError("the walk did not reach an outcome")


async def start(pilot: Pilot[Any]) -> WalkScreen:
    await ready(pilot)
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, WalkScreen)
    return pilot.app.screen


async def record(pilot: Pilot[Any], details: dict[str, str] = DETAILS) -> SavedScreen:
    assert isinstance(pilot.app.screen, OutcomeScreen)
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordFormScreen)
    await fill(pilot, details)
    await pilot.press("ctrl+s")
    await ready(pilot)
    assert isinstance(pilot.app.screen, SavedScreen), text_of(pilot, "#form-summary")
    return pilot.app.screen


async def test_full_walk_to_a_saved_record(make_app: MakeApp, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1")  # no danger, identifiable, public authority
        await pilot.pause()
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        assert outcome.result.outcome.id == "share_public"
        assert "Share under public task" in text_of(pilot, "#outcome-decision")
        saved = await record(pilot)
        assert f"Record ID: {saved.saved.id}" in text_of(pilot, "#saved-ref")
        assert f"Entry {saved.saved.seq} in the ledger" in text_of(pilot, "#saved-ref")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.id == saved.saved.id and entry.seq == 1
    assert entry.kind is EntryKind.DECISION
    assert entry.result is not None and entry.result.outcome.id == "share_public"
    assert entry.details is not None and entry.details.case_ref == "CS-2026-00417"
    assert entry.details.consent is not None and entry.details.consent.sought is False
    assert [s.answer for s in entry.result.path] == ["no", "yes", "public_authority"]


def _shipped_scenarios() -> list[Any]:
    from sharewise import paths

    if not paths.default_tree_path().exists():
        return [pytest.param(None, marks=pytest.mark.skip("the England tree is not shipped yet"))]
    found = sorted(paths.scenarios_dir().glob("*.yaml"))
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip("no shipped scenarios yet"))]
    return [pytest.param(p, id=p.stem) for p in ui_sample(found)]


def ui_sample(found: list[Path]) -> list[Path]:
    """The scenarios walked through the UI: the first of each practice theme, then the first
    reaching each decision the others do not (and the child-disclosure case). Every scenario
    is decided by the tree in tests/tree/test_scenarios.py; walking all ~55 by keyboard here
    too took minutes and tested the same screens again and again."""
    chosen: dict[Path, None] = {}
    themes: set[str] = set()
    for path in found:
        theme = _load_scenario(path)["theme"]
        if theme not in themes:
            themes.add(theme)
            chosen[path] = None
    decisions = {d for p in chosen for d in _load_scenario(p)["expect"]["decision"]}
    for path in found:
        wanted = set(_load_scenario(path)["expect"]["decision"])
        if not wanted <= decisions:
            decisions |= wanted
            chosen[path] = None
    chosen.update(dict.fromkeys(p for p in found if p.stem == "child-disclosure-at-school"))
    return sorted(chosen)


def test_the_ui_sample_covers_every_theme_and_decision() -> None:
    """The sample stays honest as the bank grows: each theme and each expected decision of
    the bank is walked through the UI by at least one scenario."""
    from sharewise import paths

    found = sorted(paths.scenarios_dir().glob("*.yaml"))
    sample = ui_sample(found)
    assert len(sample) < len(found)

    def themes(paths_: list[Path]) -> set[str]:
        return {_load_scenario(p)["theme"] for p in paths_}

    def decisions(paths_: list[Path]) -> set[str]:
        return {d for p in paths_ for d in _load_scenario(p)["expect"]["decision"]}

    assert themes(sample) == themes(found)
    assert decisions(sample) == decisions(found)


def _load_scenario(path: Path) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("scenario", _shipped_scenarios())
async def test_shipped_scenario_to_a_saved_record(
    scenario: Path, make_app: MakeApp, data_dir: Path
) -> None:
    """Every shipped scenario, walked by keyboard on the shipped tree, ends in a record."""
    from sharewise import paths

    spec = _load_scenario(scenario)
    facts = {k: str(v) for k, v in spec["facts"].items()}
    app = make_app(str(paths.default_tree_path()))
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await walk_by_facts(pilot, facts)
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        assert outcome.result.decision.value in spec["expect"]["decision"]
        saved = await record(pilot)
    with open_ledger(data_dir, create=False) as ledger:
        entry = ledger.get(saved.saved.id)
    assert entry.result is not None
    assert entry.result.decision.value in spec["expect"]["decision"]
    # Every fact the walk settled, paired answers included, is the scenario's (or, for a fact
    # it leaves out that has a vocabulary default, that default, as `decide` takes it).
    from sharewise.domain.facts import load_vocabulary

    vocab = load_vocabulary(paths.facts_path())
    defaults = {n: vocab[n].default for n in vocab.names() if vocab[n].default is not None}
    given = {**defaults, **facts}
    assert {s.fact: s.answer for s in entry.result.path}.items() <= given.items()


async def test_not_sure_leads_to_advice(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        labels = [c.label for c in walk.walk.choices()]
        assert "Not sure" in labels
        await pilot.press(str(labels.index("Not sure") + 1))
        await pilot.pause()
        outcome = pilot.app.screen
        assert isinstance(outcome, OutcomeScreen)
        assert outcome.result.decision.value == "seek_advice"
        assert "Your safeguarding lead" in text_of(pilot, "#outcome-advice")


async def test_back_one_question_and_from_the_outcome(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await pilot.press("2", "1")
        assert walk.walk.node == "sharer"
        await pilot.press("b")
        assert walk.walk.node == "identifiable"
        assert "Does the information identify" in text_of(pilot, "#walk-question")
        await pilot.press("1", "1")  # to the outcome
        await pilot.pause()
        assert isinstance(pilot.app.screen, OutcomeScreen)
        await pilot.press("b")  # change an answer: back to the last question
        await pilot.pause()
        assert pilot.app.screen is walk
        assert walk.walk.node == "sharer"
        await pilot.press("b", "b", "b")  # one more than there are answers: stays at the start
        assert walk.walk.node == "danger"


async def test_jump_back_warns_which_answers_are_cleared(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await pilot.press("2", "1")
        await pilot.press("p")  # to the breadcrumb
        await pilot.press("home", "enter")  # the first answer
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ConfirmScreen)
        warning = text_of(pilot, "#confirm-text")
        assert "Go back to question 1" in warning
        assert "Is anyone in immediate danger? — No" in warning
        assert "Does the information identify a living person? — Yes" in warning
        await pilot.press("n")  # keep my answers
        await pilot.pause()
        assert len(walk.walk.answers) == 2
        await pilot.press("p", "down", "enter")  # now the second answer
        await pilot.pause()
        assert "Go back to question 2" in text_of(pilot, "#confirm-text")
        assert "immediate danger" not in text_of(pilot, "#confirm-text")
        await pilot.press("y")
        await pilot.pause()
        assert walk.walk.node == "identifiable"
        assert [a.choice.value for a in walk.walk.answers] == ["no"]


async def test_click_an_answer_with_the_mouse(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        options = walk.query_one("#walk-options", OptionList)
        # The second option's line inside the list (a border row, then one row per option).
        await pilot.click(options, offset=(5, 2))
        await pilot.pause()
        assert [a.choice.value for a in walk.walk.answers] == ["no"]


async def test_emergency_from_mid_walk_returns_to_the_walk(
    make_app: MakeApp, data_dir: Path
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        walk = await start(pilot)
        await pilot.press("2")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EmergencyScreen)
        banner = text_of(pilot, "#emergency-banner")
        assert "999" in banner and "duty team" in banner
        await pilot.press("ctrl+s")  # nothing filled: explained, not saved
        await pilot.pause()
        assert "need attention" in text_of(pilot, "#emergency-summary")
        await fill(pilot, {k: DETAILS[k] for k in ("case_ref", "practitioner.name")})
        await fill(
            pilot,
            {
                "practitioner.role": "Family support worker",
                "practitioner.organisation": "Council",
                "recipient.organisation": "Police via 999",
            },
        )
        await pilot.press("ctrl+s")
        await ready(pilot)
        saved = pilot.app.screen
        assert isinstance(saved, SavedScreen) and saved.emergency
        assert "to be completed" in saved.text
        await pilot.press("d")
        await pilot.pause()
        assert pilot.app.screen is walk
        assert [a.choice.value for a in walk.walk.answers] == ["no"]
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.kind is EntryKind.EMERGENCY
    assert entry.to_be_completed


async def test_emergency_then_complete_it_from_records(make_app: MakeApp, data_dir: Path) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await file_emergency(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        await pilot.press("r")
        await ready(pilot)
        records = pilot.app.screen
        assert isinstance(records, RecordsScreen)
        assert "1 emergency record(s) to be completed" in text_of(pilot, "#records-status")
        await pilot.press("enter")
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, RecordViewScreen)
        await pilot.press("k")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen) and form.complete_target == view.entry.id
        # The emergency record's details come back pre-filled.
        assert form.query_one("#field-case_ref Input", Input).value == DETAILS["case_ref"]
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)
    with open_ledger(data_dir, create=False) as ledger:
        kinds = [e.kind for e in ledger.entries()]
    assert kinds == [EntryKind.EMERGENCY, EntryKind.COMPLETION]


async def test_validation_explains_each_field(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved yet" in text_of(pilot, "#form-summary")
        errors = {f.key: f.error for f in form.fields().values()}
        assert "case reference" in errors["case_ref"]
        assert "why consent" in errors["consent.reason"].lower()
        assert errors["method"] == ""  # optional fields stay quiet
        # A share needs a recipient.
        assert errors["recipient.organisation"]
        # The first problem gets the focus, so typing fixes it.
        assert pilot.app.focused is form.query_one("#field-case_ref Input", Input)
        await fill(pilot, {**DETAILS, "review_by": "next week"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RecordFormScreen)
        assert "YYYY-MM-DD" in form.fields()["review_by"].error
        assert form.fields()["case_ref"].error == ""


async def test_name_like_text_warns_but_does_not_block(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1")
        await pilot.pause()
        details = {**DETAILS, "information": "Maya Smith told Mrs Jones about the bruises."}
        await pilot.press("r")
        await pilot.pause()
        await fill(pilot, details)
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        warning = form.fields()["information"].warning
        assert "Maya Smith" in warning and "Mrs Jones" in warning
        assert form.fields()["practitioner.name"].warning == ""  # your own name is expected
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, SavedScreen)


async def test_escape_sequences_are_shown_inert(make_app: MakeApp, data_dir: Path) -> None:
    hostile = "bruises\x1b[2J\x1b]0;pwned\x07 \u202eexe.txt"
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        await fill(pilot, {**DETAILS, "information": hostile})
        await pilot.press("ctrl+s")
        await ready(pilot)
        saved = pilot.app.screen
        assert isinstance(saved, SavedScreen)
        shown = text_of(pilot, "#saved-text")
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "\\x1b[2J" in shown and "\\u202e" in shown
        await pilot.press("d", "r")
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        view = text_of(pilot, "#record-view-text")
        assert "\x1b" not in view and "\\x1b]0;pwned\\x07" in view
    # Stored exactly as typed: it is evidence.
    with open_ledger(data_dir, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.details is not None and entry.details.information == hostile


async def test_copy_as_text_and_export(make_app: MakeApp, data_dir: Path) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1")
        await pilot.pause()
        saved = await record(pilot)
        await pilot.press("c")
        assert pilot.app.clipboard == saved.text
        assert "Case reference: CS-2026-00417" in saved.text
        assert "UK GDPR Art 6(1)(e)" in saved.text
        await pilot.press("x")
        await ready(pilot)
        status = text_of(pilot, "#saved-status")
        assert "Exported to" in status
    exported = sorted((data_dir / "exports").iterdir())
    assert [p.suffix for p in exported] == [".json", ".md"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in exported)
    assert saved.saved.id in exported[0].read_text(encoding="utf-8")


async def test_a_failed_save_says_nothing_was_saved(make_app: MakeApp) -> None:
    store = FakeStore(fail="the disk is full")
    async with make_app(store=store).run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(pilot.app.screen, RecordFormScreen)
        assert "Nothing was saved. the disk is full" in text_of(pilot, "#form-summary")


async def test_a_broken_tree_is_explained_on_home(make_app: MakeApp, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    async with make_app(str(bad)).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "could not be loaded" in text_of(pilot, "#home-status")
        assert "bad.yaml" in text_of(pilot, "#home-status")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_leaving_a_walk_asks_first(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_command_palette_offers_the_main_actions(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        for wanted in (
            "Start a decision",
            "Someone is in danger now",
            "Records",
            "Theme: high contrast",
        ):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"danger now", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen, EmergencyScreen)


async def test_themes_and_no_color(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(theme="high-contrast")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert pilot.app.theme == "sharewise-high-contrast"
        pilot.app.action_use_theme("light")
        assert pilot.app.theme == "textual-light"
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app().no_color


async def test_training_is_clearly_labelled_as_training(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await ready(pilot)
        assert "TRAINING" in text_of(pilot, "#training-intro")
        assert "Nothing you do in training is recorded" in text_of(pilot, "#training-intro")
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HelpScreen"


async def test_yes_no_questions_answer_with_y_and_n(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        form.query_one("#field-method Input", Input).focus()
        await pilot.press("enter")  # to the consent switch
        await pilot.press("enter")  # Enter moves on: it must not flip the answer
        row = form.query_one("#row-consent-sought")
        assert row.value is False  # type: ignore[attr-defined]
        assert pilot.app.focused is form.query_one("#field-consent-reason TextArea")
        await pilot.press("shift+tab", "y")
        assert row.value is True  # type: ignore[attr-defined]
        assert "Was consent sought?: yes" in str(row.query_one("Label").render())  # type: ignore[attr-defined]
        # y only answers: the "why" below is next after Enter, never skipped (issue 11).
        assert pilot.app.focused is form.query_one("#consent-sought")
        await pilot.press("enter")
        assert pilot.app.focused is form.query_one("#field-consent-reason TextArea")


async def test_fast_typing_after_enter_lands_in_the_next_field(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("2", "1", "1", "r")
        await pilot.pause()
        await pilot.press(*"AB", "enter", *"CD", "enter", *"EF")
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        values = {k: f.value for k, f in form.fields().items()}
        assert values["case_ref"] == "AB"
        assert values["practitioner.name"] == "CD"
        assert values["practitioner.role"] == "EF"


async def test_start_pressed_while_the_tree_loads_opens_the_walk(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import sharewise.domain.graph as graph

    real = graph.load_named_tree
    pressed = threading.Event()

    def slow(path: str | None) -> Any:
        # The tree arrives only once the key has been pressed, however loaded the machine.
        pressed.wait(timeout=10)
        return real(path)

    monkeypatch.setattr(graph, "load_named_tree", slow)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, HomeScreen):
                break
            await asyncio.sleep(0.01)
        await pilot.press("s")
        assert app.decision_tree is None and app.walk_pending
        pressed.set()
        await ready(pilot)
        for _ in range(100):
            if isinstance(pilot.app.screen, WalkScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(pilot.app.screen, WalkScreen)


async def test_the_app_quits_once_its_terminal_has_gone(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A closed window must not leave the app spinning on a dead terminal (seen under
    `make run`, where the hang-up signal did not reach it)."""
    import sharewise.tui.app as app_module

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app_module, "_has_terminal", lambda: True)
        app._exit_if_terminal_gone()
        await pilot.pause()
        assert app.is_running
        monkeypatch.setattr(app_module, "_has_terminal", lambda: False)
        app._exit_if_terminal_gone()
        await pilot.pause()
    assert app.return_code == 1
