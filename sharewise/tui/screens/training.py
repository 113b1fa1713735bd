"""Training: a clearly labelled placeholder until scenario practice is built."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

TRAINING = (
    "TRAINING IS COMING: NOT AVAILABLE YET\n\n"
    "Practice on realistic scenarios (a disclosure at school, an adult who declines help, a "
    "request from the press) will be here. Nothing you do on this screen is recorded.\n\n"
    "Until then, trainers can run the shipped scenarios with "
    "`sharewise scenarios check` and walk them with `sharewise walk --plain`."
)


class TrainingScreen(Screen[None]):
    """Says plainly that training is not built yet, so nobody mistakes it for the real walk."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="training-body"):
            yield Static(TRAINING, id="training-text")
        yield Footer()
