"""The record form opens light: its width class is right before its widgets are styled, and a
field's error and warning lines exist only once they have something to say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.record_form import RecordFormScreen
from sharewise.tui.screens.walk import WalkScreen
from sharewise.tui.widgets.field import TextField
from tests.tui.test_record_speed import to_form

MakeApp = Callable[..., SharewiseApp]


@pytest.mark.parametrize(("width", "expected"), [(80, "-narrow"), (120, "-wide")])
async def test_a_screen_is_built_with_the_width_class_it_will_keep(
    make_app: MakeApp, width: int, expected: str
) -> None:
    async with make_app().run_test(size=(width, 40)) as pilot:
        await to_form(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordFormScreen)
        built = RecordFormScreen(None, None)  # as the app builds it, before it is shown
        assert built.has_class(expected)
        assert form.has_class(expected) and not form.has_class(
            "-wide" if expected == "-narrow" else "-narrow"
        )
        walks = [s for s in pilot.app.screen_stack if isinstance(s, WalkScreen)]
        assert walks and walks[0].has_class(expected)


def notes(field: TextField) -> list[str]:
    return [" ".join(n.classes) for n in field.query(Static) if n.classes & {"error", "warning"}]


def field_at(pilot: Pilot[Any], key: str) -> TextField:
    return pilot.app.screen.query_one(f"#field-{key.replace('.', '-')}", TextField)


async def test_error_and_warning_lines_appear_only_when_needed_error_first(
    make_app: MakeApp,
) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        form = await to_form(pilot)
        assert all(notes(f) == [] for f in form.query(TextField))  # none until needed
        info = field_at(pilot, "information")
        info.text = "Told by Jane Smith about her stepfather"  # a person's name: a warning
        await pilot.pause()
        assert "name" in info.warning.lower() and notes(info) == ["warning"]
        info.show_error("Say what information is shared.")
        await pilot.pause()
        assert notes(info) == ["error", "warning"]  # the error above the warning
        assert info.error == "Say what information is shared." and info.has_class("-invalid")
        info.show_error("")
        await pilot.pause()
        assert info.error == "" and not info.has_class("-invalid")
        info.text = "The disclosure and the injuries seen"
        await pilot.pause()
        assert info.warning == ""
