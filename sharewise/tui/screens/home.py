"""The home screen: start a decision, someone in danger now, records, training, settings, help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option


@dataclass
class TreeStatus(Message):
    """The tree finished loading (`error` is None when it is ready to walk), and the settings
    with it (`settings_error` says why they cannot be used, if so)."""

    error: str | None
    settings_error: str | None = None


_MENU = (
    (
        "start_walk",
        "s",
        "Start a decision",
        "Can I share this information? Answer a few questions.",
    ),
    (
        "emergency",
        "e",
        "Someone is in danger now",
        "Act now (999), then record as soon as you can.",
    ),
    (
        "records",
        "r",
        "Records",
        "Decisions recorded on this computer; emergency records to complete.",
    ),
    (
        "training",
        "t",
        "Training",
        "Practise on worked scenarios, then a debrief with the law. Nothing is recorded.",
    ),
    (
        "settings",
        "g",
        "Settings",
        "Answers settled for every case (who shares, policy document, care role); forget me.",
    ),
    ("help", "h", "Help", "The keys, the screens, and the plain text mode for screen readers."),
)


class HomeScreen(Screen[None]):
    """Six choices, each one key away; the first is highlighted so Enter starts a decision."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"app.{action}", label, show=False) for action, key, label, _ in _MENU),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Static(
                "Can I share this? Answer a few questions for a clear answer, the law behind it, "
                "and a record of your decision.",
                id="home-intro",
            )
            menu = OptionList(id="home-menu")
            for action, key, label, blurb in _MENU:
                line = Text()
                line.append(f"[{key}] ", style="bold")
                line.append(label, style="bold")
                line.append(f"\n    {blurb}")
                menu.add_option(Option(line, id=action))
            yield menu
            yield Static("Loading the decision tree…", id="home-status")
            yield Static("", id="home-settings")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#home-menu", OptionList).highlighted = 0
        app = self.app
        tree = getattr(app, "decision_tree", None)
        if tree is not None or getattr(app, "tree_error", None):
            self._show_status(getattr(app, "tree_error", None))
            self._show_settings(getattr(app, "settings_error", None))

    def on_tree_status(self, message: TreeStatus) -> None:
        self._show_status(message.error)
        self._show_settings(message.settings_error)

    def _show_settings(self, error: str | None) -> None:
        """A broken settings file is explained here, like a broken tree; settled answers are
        named, so nobody wonders why a question was not asked."""
        shown = self.query_one("#home-settings", Static)
        shown.set_class(bool(error), "-error")
        if error:
            shown.update(
                Text(
                    "The settings file could not be read, so every question will be asked:\n"
                    + error
                    + "\nFix it, or choose the answers again in Settings (g)."
                )
            )
            return
        settled: dict[str, str] = getattr(self.app, "settings", {})
        if settled:
            from sharewise.tui.words import settled_names

            shown.update(
                Text(f"Settled for every case: {settled_names(settled)}. Settings (g) to change.")
            )
        else:
            shown.update("")

    def _show_status(self, error: str | None) -> None:
        status = self.query_one("#home-status", Static)
        if error:
            status.update(Text("The decision tree could not be loaded:\n" + error))
            status.add_class("-error")
            return
        tree = getattr(self.app, "decision_tree", None)
        if tree is not None:
            m = tree.model
            status.update(
                Text(f"{m.title} · version {m.version} · law as at {m.law_as_at:%d %B %Y}")
            )

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.app.run_action(event.option.id)
