"""A labelled form field that explains itself: hint, error and a "names a person" warning."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from sharewise.domain.person_names import name_warning


def enter_moves_on(screen: Screen[Any]) -> None:
    """Enter in a form: next field from an input or switch, press a focused button.

    Bound with priority on the form screens, so focus moves while the key is dispatched:
    handled later (Input.Submitted), the keys typed right after Enter would still land in the
    old field when someone types fast or a terminal sends a burst.
    """
    focused = screen.focused
    if isinstance(focused, Button):
        focused.press()
    else:
        screen.focus_next()


def suggestion_note(source: str, how: str = "type to change it") -> Text:
    """The mark on a value the form filled in from the walk: where from, and that it is theirs
    to check. Worded as a suggestion so nobody mistakes it for something already recorded."""
    return Text.assemble(("SUGGESTED", "bold reverse"), f" from {source}. Check it; {how}.")


class TextField(Vertical):
    """One line of free text with its label, a hint, and room for an error and a warning."""

    DEFAULT_CLASSES = "field"

    def __init__(
        self,
        key: str,
        label: str,
        hint: str = "",
        *,
        required: bool = False,
        value: str = "",
        placeholder: str = "",
        check_names: bool = True,
        suggested_from: str = "",
        select_on_focus: bool = True,
    ) -> None:
        super().__init__(id=f"field-{key.replace('.', '-')}")
        self.key = key
        self.label = label
        self.hint = hint
        self.required = required
        self.initial = value
        self.placeholder = placeholder
        self.check_names = check_names
        #: Where a suggested value came from (the walk's answers); "" if the value is not one.
        self.suggested_from = suggested_from if value else ""
        self.select_on_focus = select_on_focus

    def compose(self) -> ComposeResult:
        mark = " *" if self.required else ""
        with Horizontal(classes="field-row"):
            yield Label(Text(self.label + mark), classes="field-label")
            yield Input(
                value=self.initial,
                placeholder=self.placeholder,
                id=f"in-{self.id}",
                select_on_focus=self.select_on_focus,
            )
        if self.suggested_from:
            how = "type to change it" if self.select_on_focus else "finish the sentence"
            yield Static(suggestion_note(self.suggested_from, how), classes="suggestion")
            self.add_class("-suggested")
        if self.hint:
            yield Static(Text(self.hint), classes="hint")
        for kind in ("error", "warning"):
            note = Static("", classes=kind)
            note.display = False
            yield note

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    def show_error(self, message: str) -> None:
        """Show (or with "" clear) what is wrong and how to fix it, right under the field."""
        note = self.query_one(".error", Static)
        note.update(Text(message))
        note.display = bool(message)
        self.set_class(bool(message), "-invalid")

    @property
    def error(self) -> str:
        return str(self.query_one(".error", Static).render())

    @property
    def is_suggestion(self) -> bool:
        """Still showing the suggested value, untouched."""
        return bool(self.suggested_from) and self.input.value == self.initial

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.suggested_from:
            self.set_class(event.value == self.initial, "-suggested")
        if self.check_names:
            warning = name_warning(event.value)
            note = self.query_one(".warning", Static)
            note.update(Text(warning))
            note.display = bool(warning)
            self.set_class(bool(warning), "-warned")
        if self.has_class("-invalid") and event.value.strip():
            self.show_error("")

    @property
    def warning(self) -> str:
        return str(self.query_one(".warning", Static).render())
