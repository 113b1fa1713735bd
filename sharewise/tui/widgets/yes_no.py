"""A yes/no switch that fits a keyboard form: y or n answers, Enter moves on.

A plain Switch toggles on Enter, so a person pressing Enter to get to the next field flips
the answer without noticing; here Enter only moves, and Space still toggles. y and n only
answer: when they also moved on, a person who typed y then Enter skipped the "why" field
below and typed the reason into the one after it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Label, Switch


class YesNoSwitch(Switch):
    """y = yes, n = no; Space toggles; Enter moves on (as in every field of the form)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next field", show=False),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
        Binding("space", "toggle_switch", "Toggle", show=False),
    ]

    def action_next(self) -> None:
        self.screen.focus_next()

    def action_answer(self, value: bool) -> None:
        self.value = value


class YesNo(Horizontal):
    """The switch with its question and the answer spelled out ("yes"/"no"), not only drawn."""

    DEFAULT_CLASSES = "switch-row"

    def __init__(self, key: str, question: str, value: bool, suggested_from: str = "") -> None:
        super().__init__(id=f"row-{key}")
        self.key = key
        self.question = question
        self.initial = value
        #: Where a suggested answer came from (the walk); "" if the answer is not a suggestion.
        self.suggested_from = suggested_from

    def compose(self) -> ComposeResult:
        yield YesNoSwitch(value=self.initial, id=self.key)
        yield Label(self._words(self.initial, self.suggested_from))

    def _words(self, value: bool, source: str = "") -> Text:
        from sharewise.tui.widgets.field import suggestion_note

        answer = Text("yes" if value else "no", style="bold")
        words = Text.assemble(f"{self.question}: ", answer, "   (y / n)", style="")
        if source:
            words.append("\n")
            words.append_text(suggestion_note(source, "y or n to change it"))
        return words

    def on_switch_changed(self, event: Switch.Changed) -> None:
        source = self.suggested_from if event.value == self.initial else ""
        self.query_one(Label).update(self._words(event.value, source))

    @property
    def value(self) -> bool:
        return self.query_one(YesNoSwitch).value
