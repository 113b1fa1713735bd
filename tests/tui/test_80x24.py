"""At 80x24 (a laptop terminal, a remote session): what matters is on screen, not below the
fold or past the right edge. The snapshots (test_snapshots_80x24.py) show it to a person;
these check it by position, so a change that pushes it out fails here too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.widgets._footer import FooterKey

from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.home import HomeScreen
from sharewise.tui.screens.outcome import OutcomeScreen
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.records import RecordsScreen
from sharewise.tui.widgets.footer import Key, KeysFooter, fit
from tests.tui.conftest import ready
from tests.tui.test_changing_risk import seed_overdue

MakeApp = Callable[..., SharewiseApp]
SMALL = (80, 24)


def in_sight(pilot: Pilot[Any], widget: Widget) -> bool:
    """Whether the whole widget lies on the screen, above the footer's row, and is what is
    drawn there (a widget scrolled out of its container is not)."""
    r = widget.region
    width, height = pilot.app.size
    if not (r.height > 0 and r.x >= 0 and r.right <= width and r.bottom <= height - 1):
        return False
    screen = pilot.app.screen
    for y in (r.y, r.bottom - 1):
        found, _ = screen.get_widget_at(r.x, y)
        if found is not widget and widget not in found.ancestors:
            return False
    return True


async def test_home_keeps_the_tree_line_and_what_is_due_in_sight(
    make_app: MakeApp, data_dir: Path
) -> None:
    """With the Dashboard in the menu, wrapped blurbs pushed the tree's line off the bottom."""
    seed_overdue(data_dir)
    async with make_app().run_test(size=SMALL) as pilot:
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        status = screen.query_one("#home-status", Static)
        assert "law as at" in str(status.render())
        assert in_sight(pilot, status)
        due = screen.query_one("#home-due", Static)
        assert due.display and in_sight(pilot, due)
        # The menu gives way (it scrolls), and the highlighted choice is still in view.
        menu = screen.query_one("#home-menu", OptionList)
        assert in_sight(pilot, menu) and menu.highlighted == 0
        await pilot.press("end")
        await pilot.pause()
        assert menu.highlighted == menu.option_count - 1
        assert menu.scroll_offset.y > 0, "the last choice is scrolled into view"


async def test_home_menu_blurbs_fit_one_line_at_80_columns(make_app: MakeApp) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await ready(pilot)
        screen = pilot.app.screen
        status = screen.query_one("#home-status", Static)
        assert in_sight(pilot, status)
        menu = screen.query_one("#home-menu", OptionList)
        assert menu.virtual_size.height == 2 * menu.option_count, "a blurb wrapped"


def footer_keys(pilot: Pilot[Any]) -> dict[str, FooterKey]:
    footer = pilot.app.screen.query_one(Footer)
    return {k.key: k for k in footer.query(FooterKey) if not k.has_class("-command-palette")}


@pytest.mark.parametrize(
    ("keys", "screen_type"),
    [
        (("r",), RecordsScreen),
        (("s", "2", "1", "1"), OutcomeScreen),
        (("s", "2", "1", "1", "r"), RecordFormScreen),
    ],
)
async def test_the_footer_keeps_quit_help_and_danger_in_sight(
    make_app: MakeApp, keys: tuple[str, ...], screen_type: type
) -> None:
    """At 80 columns "^q Quit" and "f1 Help" ran off the right edge of these screens."""
    async with make_app().run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.press(*keys)
        await ready(pilot)
        assert isinstance(pilot.app.screen, screen_type)
        shown = footer_keys(pilot)
        for essential in ("f2", "ctrl+q", "f1"):
            assert essential in shown, f"{essential} is not in the footer"
            assert shown[essential].region.right <= SMALL[0], f"{essential} is cut off"
        # Nor hidden under the command palette's key, docked at the right.
        palette = list(pilot.app.screen.query_one(Footer).query(".-command-palette"))
        edge = palette[0].region.x if palette else SMALL[0]
        assert all(k.region.right <= edge for k in shown.values()), "a key is covered"


async def test_a_wide_terminal_shows_every_key_and_the_palette(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await ready(pilot)
        shown = footer_keys(pilot)
        assert {"f2", "escape", "f", "g", "n", "ctrl+q", "f1"} <= set(shown)
        footer = pilot.app.screen.query_one(Footer)
        assert footer.query(".-command-palette")


async def test_moving_between_fields_leaves_the_footer_alone(make_app: MakeApp) -> None:
    """Each move between the record form's fields used to compose the footer again (its
    keys unchanged), and laying out the whole form again after it doubled the time a move
    took. The footer composes again only when what it shows changes: on the home screen
    after leaving the form, with that screen's keys."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s", "2", "1", "1", "r")
        await ready(pilot)
        footer = pilot.app.screen.query_one(KeysFooter)
        composed: list[int] = []
        original = footer.compose

        def counting() -> Any:
            composed.append(1)
            return original()

        footer.compose = counting  # type: ignore[method-assign]
        before = set(footer_keys(pilot))
        for _ in range(5):
            await pilot.press("tab")
            await ready(pilot)
        assert composed == [] and set(footer_keys(pilot)) == before
        await pilot.press("escape")
        await ready(pilot)
        assert set(footer_keys(pilot)) != before  # another screen, its own footer and keys


def key(name: str, words: str, display: str = "") -> Key:
    return Key(Binding(name, name, words), display or name, True, "")


def test_fit_drops_the_screens_last_keys_first_and_keeps_the_order() -> None:
    keys = [
        key("f2", "Danger now"),
        key("a", "First"),
        key("b", "A long description"),
        key("ctrl+q", "Quit", "^q"),
        key("f1", "Help"),
    ]
    total = sum(k.width for k in keys)
    assert fit(keys, total) == keys
    shown = fit(keys, total - 1)
    assert [k.binding.key for k in shown] == ["f2", "a", "ctrl+q", "f1"]
    assert [k.binding.key for k in fit(keys, 30)] == ["f2", "ctrl+q", "f1"]
    # Even the essential ones give way at last, Quit before Danger now.
    assert [k.binding.key for k in fit(keys, 14)] == ["f2"]


@pytest.mark.parametrize("keys", [("f2",), ("s", "1")], ids=["f2", "yes-to-danger"])
async def test_the_act_now_advice_opens_in_sight(make_app: MakeApp, keys: tuple[str, ...]) -> None:
    """The emergency screen scrolled to its first field, so at 80x24 "ACT NOW ... call 999"
    and what to tell them were above the top of the screen. It opens at the top now, the
    cursor waiting in the first field, which comes into view as soon as one types."""
    from textual.widgets import Input

    from sharewise.tui.screens.emergency import EmergencyScreen

    async with make_app().run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.press(*keys)
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, EmergencyScreen)
        banner = screen.query_one("#emergency-banner", Static)
        assert "call 999" in str(banner.render())
        await pilot.pause(0.3)  # any scroll to the focused field has happened by now
        body = screen.query_one("#emergency-body")
        assert body.scroll_offset.y == 0, "the act-now box is scrolled out of sight"
        assert in_sight(pilot, banner)
        case = screen.query_one("#field-case_ref Input", Input)
        assert case.has_focus
        await pilot.press(*"NEW-1")
        await pilot.pause()
        assert case.value == "NEW-1" and in_sight(pilot, case)


async def test_the_training_banner_stays_in_sight_on_the_story(data_dir: Path) -> None:
    """The story scrolled to its Start button at 80x24 and took the banner (what becomes of
    the attempt) out of sight with it."""
    from sharewise import paths
    from sharewise.tui.app import create_app
    from sharewise.tui.screens.scenario_brief import BriefScreen

    app = create_app(
        data_dir, str(paths.default_tree_path()), training="child-disclosure-at-school"
    )
    app.training_session, app.trainee = "Year 7 team", "Ann Example"
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        screen = pilot.app.screen
        assert isinstance(screen, BriefScreen)
        banner = screen.query_one("#brief-banner", Static)
        assert "kept for your trainer" in str(banner.render())
        assert in_sight(pilot, banner)
        assert in_sight(pilot, screen.query_one("#brief-start"))


def test_help_names_every_key_a_footer_can_leave_out() -> None:
    """At 80 columns a footer leaves out a screen's last keys, so Help must name them all:
    every key any screen shows in its footer is in Help's table."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import sharewise.tui.screens as screens
    from sharewise.tui.screens.help import HELP

    named: set[str] = set()
    for row in HELP.splitlines():
        cells = [c.strip() for c in row.split("|")[1:-1]]
        if len(cells) == 3:
            named |= {k.strip() for k in cells[1].replace(" or ", ", ").split(",")}
    spelled = {"question_mark": "?", "backspace": "Backspace", "escape": "Esc", "f2": "F2"}
    missing = []
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"{screens.__name__}.{info.name}")
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, Screen)):
                continue
            for b in cls.BINDINGS:
                if isinstance(b, Binding) and b.show:
                    k = b.key.split(",")[0]  # the one the footer shows
                    if spelled.get(k, k) not in named:
                        missing.append(f"{cls.__name__}: {k} ({b.description})")
    assert not missing, missing
