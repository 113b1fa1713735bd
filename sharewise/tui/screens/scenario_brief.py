"""A scenario's story before the exercise: what the trainee knows (never the facts)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from sharewise.domain.safe_text import safe_line, safe_text
from sharewise.domain.scenarios import Scenario
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.words import session_names, training_kept


class BriefScreen(Screen[None]):
    """The title, theme and narrative; s (or Enter on the button) starts the walk.

    The facts stay hidden: deciding what they are from the story is the exercise.
    """

    in_training = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start the exercise"),
        Binding("escape", "app.pop_screen", "Back to the scenarios"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Header()
        # Above the scrolling story, as on the walk: at 80x24 the story scrolls to show the
        # Start button, and took the banner out of sight with it.
        session, trainee = session_names(self)
        yield Static(
            Text("TRAINING EXERCISE: " + training_kept(session, trainee)),
            id="brief-banner",
            classes="training-banner",
        )
        with VerticalScroll(id="brief-body"):
            yield Static(Text(safe_line(s.title)), id="brief-title")
            yield Static(Text(safe_line(s.theme)), id="brief-theme", classes="hint")
            yield Static(Text(safe_text(s.narrative.strip())), id="brief-narrative")
            yield Static(
                "Answer the questions as you would if this were your case. At the end you see "
                "each answer beside the scenario's, and the law.",
                classes="hint",
            )
            with Horizontal(id="brief-buttons"):
                yield Button("Start the exercise (s)", id="brief-start", variant="primary")
                yield Button("Back (Esc)", id="brief-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#brief-start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "brief-start":
            self.action_start()
        else:
            self.app.pop_screen()

    def action_start(self) -> None:
        from sharewise.domain.walk import Walk
        from sharewise.tui.screens.navigate import tree_or_say
        from sharewise.tui.screens.walk import WalkScreen

        app = sw_app(self)
        if tree_or_say(app, pending=False):
            assert app.decision_tree is not None
            # No settled answers in training: the scenario says who is sharing and what the
            # organisation has in place, and the trainee answers every question from it.
            app.push_screen(
                WalkScreen(Walk(app.decision_tree), training=self.scenario), self._walked
            )

    def _walked(self, how: str | None) -> None:
        """ "Other scenarios" on the debrief (Esc) means the list, not this story again."""
        if how == "done":
            self.dismiss()
