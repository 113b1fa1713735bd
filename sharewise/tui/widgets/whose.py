"""Whose details the form starts from: on a shared computer, say so and offer "not me".

The practitioner's name, role and organisation are remembered from the last record saved on
this computer. On a shared computer (a staff room, a ward office) that is someone else: a
record filed under their name would be wrong, and nobody would notice a pre-filled field.
So the form says whose details they are before the first field, with a button that clears
them for this record.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from sharewise.domain.safe_text import safe_line


class NotMe(Message):
    """The person says the remembered details are not theirs."""


class WhoseDetails(Horizontal):
    """ "These are X's details" and a "not me" button; gone once pressed."""

    def __init__(self, remembered: dict[str, str]) -> None:
        super().__init__(id="whose-details")
        self.remembered = remembered

    @property
    def who(self) -> str:
        return safe_line(self.remembered.get("practitioner.name", "") or "someone else")

    def compose(self) -> ComposeResult:
        r = self.remembered
        about = ", ".join(
            safe_line(r[k]) for k in ("practitioner.role", "practitioner.organisation") if r.get(k)
        )
        words = f"Your details below are {self.who}'s" + (f" ({about})" if about else "")
        yield Static(
            Text(words + ", remembered from the last record saved on this computer."),
            id="whose-words",
        )
        yield Button(f"Not {self.who}? Clear them (ctrl+n)", id="not-me")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "not-me":
            event.stop()
            self.post_message(NotMe())


def clear_not_me(screen: Screen[Any]) -> None:
    """Empty the practitioner's fields for this record and put the cursor in the first; the
    note goes. Nothing is forgotten yet: the next record saved remembers its own details."""
    from sharewise.tui.widgets.field import TextField

    notes = screen.query(WhoseDetails)
    if not notes:
        return
    who = notes.first().who
    notes.remove()
    fields = [f for f in screen.query(TextField) if f.key.startswith("practitioner.")]
    for f in fields:
        f.text = ""
    if fields:
        fields[0].input.focus()
    screen.notify(f"{who}'s details are cleared for this record: type your own.")
