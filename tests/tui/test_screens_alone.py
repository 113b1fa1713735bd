"""Each screen mounted alone in a small host app: no navigation, just the screen's own job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.walk import Walk, questions_left
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.screens.emergency import EmergencyScreen
from sharewise.tui.screens.home import HomeScreen, TreeStatus
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen
from sharewise.tui.screens.saved import SavedScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.conftest import DETAILS, EXAMPLE_TREE, FakeStore, fill, ready

CSS = Path(__file__).resolve().parents[2] / "sharewise" / "tui" / "app.tcss"


class Host(App[None]):
    """Provides what screens read from the real app: tree, store, session details."""

    CSS_PATH = str(CSS)

    def __init__(self, screen: Screen[Any], tree: CompiledTree | None = None) -> None:
        super().__init__()
        self.first = screen
        self.decision_tree = tree
        self.tree_error: str | None = None
        self.store = FakeStore()
        self.practitioner: dict[str, str] = {}
        self.remembered: list[tuple[str, str, str]] = []
        self.went_home = False

    def remember_practitioner(self, name: str, role: str, organisation: str) -> None:
        self.remembered.append((name, role, organisation))

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def go_home(self) -> None:
        self.went_home = True


def tree() -> CompiledTree:
    return load_tree(Path(EXAMPLE_TREE))


def finished(*values: str) -> Walk:
    walk = Walk(tree())
    for v in values:
        walk.answer(v)
    return walk


def shown(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_home_alone_reports_tree_status() -> None:
    app = Host(HomeScreen())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#home-menu", OptionList)
        assert menu.option_count == 7 and menu.highlighted == 0
        app.screen.post_message(TreeStatus("tree.yaml:3:1: bad key"))
        await pilot.pause()
        assert "tree.yaml:3:1: bad key" in shown(app, "#home-status")


async def test_walk_alone_shows_help_progress_and_law() -> None:
    app = Host(WalkScreen(Walk(tree())))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Question 1 · at most 2 more after this" in shown(app, "#walk-progress")
        assert "threat to someone's life" in shown(app, "#walk-what")
        assert "emergency changes everything" in shown(app, "#walk-why")
        assert "Share now: this is urgent" in shown(app, "#walk-possible")
        assert "ukgdpr.art6.1d" in shown(app, "#walk-law")
        await pilot.press("2", "1")
        assert "the last one" in shown(app, "#walk-progress")
        # Only what is still reachable: the emergency outcome is gone.
        assert "urgent" not in shown(app, "#walk-possible")
        assert "ukgdpr.art6.1d" not in shown(app, "#walk-law")
        await pilot.press("question_mark")
        assert not app.screen.query_one("#walk-help-col").display
        await pilot.press("9")  # no ninth option: nothing happens
        assert app.screen.walk.node == "sharer"  # type: ignore[attr-defined]


async def test_walk_on_an_80_column_terminal_leaves_the_question_room() -> None:
    app = Host(WalkScreen(Walk(tree())))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        help_col = app.screen.query_one("#walk-help-col")
        assert not help_col.display  # starts hidden: it would leave the question 8 columns
        assert app.screen.query_one("#walk-question-col").size.width >= 40
        await pilot.press("question_mark")  # ? shows it here
        assert help_col.display
        await pilot.press("question_mark")
        assert not help_col.display


def test_questions_left_is_the_longest_remaining_path() -> None:
    t = tree()
    assert questions_left(t, "danger") == 3
    assert questions_left(t, "sharer") == 1
    assert questions_left(t, "share_public") == 0
    # A settled question is answered without asking: not counted.
    assert questions_left(t, "danger", {"sharer": "public_authority"}) == 2
    assert questions_left(t, "sharer", {"sharer": "public_authority"}) == 0
    assert questions_left(t, "danger", {"sharer": "not_a_choice_here"}) == 3


async def test_outcome_alone_shows_decision_actions_and_law() -> None:
    walk = finished("no", "yes", "public_authority")
    screen = OutcomeScreen(walk.result(), walk.tree.registry)
    app = Host(screen, walk.tree)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        # The title already says "Share": the decision is not said twice.
        assert shown(app, "#outcome-decision") == "Share under public task"
        assert "1. Share securely." in shown(app, "#outcome-actions")
        law = "\n".join(str(w.render()) for w in app.screen.query(".law").results(Static))
        registry = walk.tree.registry
        citation = registry["ukgdpr.art6.1e"]
        assert citation.title in law and citation.gist[:40] in law and citation.url in law


async def test_record_form_alone_prefills_consent_and_saves() -> None:
    walk = finished("no", "yes", "public_authority")
    screen = RecordFormScreen(walk.result(), walk.tree.registry)
    app = Host(screen, walk.tree)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await fill(pilot, DETAILS)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, SavedScreen)
        ((kind, result, details),) = app.store.saved
        assert kind == "decision" and result == walk.result()
        assert details.recipient is not None and details.recipient.role == "Duty social worker"
        assert app.practitioner["practitioner.name"] == "J. Okafor"  # remembered for next time


async def test_a_decision_not_to_share_needs_no_recipient() -> None:
    walk = finished("no", "no")  # not personal data
    app = Host(RecordFormScreen(walk.result(), walk.tree.registry), walk.tree)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        blank = {"recipient.organisation": "", "recipient.role": ""}
        await fill(pilot, {**DETAILS, **blank})
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, SavedScreen)
        assert app.store.saved[0][2].recipient is None


async def test_emergency_alone_files_without_any_tree() -> None:
    """The tree failed to load (or never will): an emergency can still be recorded."""
    app = Host(EmergencyScreen(), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await fill(pilot, {k: DETAILS[k] for k in list(DETAILS)[:4]})
        await pilot.press("ctrl+s")
        await ready(pilot)
        ((kind, result, details),) = app.store.saved
        assert kind == "emergency" and result is None
        assert details.case_ref == DETAILS["case_ref"]
        assert isinstance(app.screen, SavedScreen)
        assert app.remembered == [
            ("J. Okafor", "Designated safeguarding lead", "Riverside Primary School")
        ]


async def test_emergency_from_training_says_it_is_an_exercise() -> None:
    app = Host(EmergencyScreen(from_training=True), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "training exercise" in shown(app, "#emergency-training")
        assert "an exercise is never a real decision" in shown(app, "#emergency-training")
        assert "this form files a real emergency record" in shown(app, "#emergency-training")


async def test_saved_alone_copies_and_finishes() -> None:
    saved = SavedRecord("01TEST", 7, "ab" * 32)
    app = Host(SavedScreen(saved, "the record\n", go_home=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Entry 7 in the ledger" in shown(app, "#saved-ref")
        await pilot.press("c")
        assert app.clipboard == "the record\n"
        await pilot.press("x")
        await ready(pilot)
        assert "record-01TEST.md" in shown(app, "#saved-status")
        await pilot.press("d")
        assert app.went_home


async def test_records_alone_when_there_are_none() -> None:
    app = Host(RecordsScreen())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "No records yet" in shown(app, "#records-status")
        assert app.screen.query_one(DataTable).row_count == 0
