"""The home screen: start a decision, someone in danger now, records, training, settings, help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from sharewise.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from sharewise.domain.record import Entry

#: How many due records the home screen names; the Records screen has the rest.
DUE_SHOWN = 5


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
        "Decisions recorded here; emergency records to complete.",
    ),
    (
        "dashboard",
        "d",
        "Dashboard",
        "For IG leads: a period's figures in charts, with their records.",
    ),
    (
        "training",
        "t",
        "Training",
        "Practise on worked scenarios, then a debrief with the law.",
    ),
    (
        "settings",
        "g",
        "Settings",
        "Answers settled for every case; forget my details.",
    ),
    ("help", "h", "Help", "Keys, screens, and the plain text mode for screen readers."),
)
#: Each blurb fits on one line at 80 columns (the menu's box leaves 68 characters after
#: the indent): a wrapped blurb pushed the tree's line below the fold at 80x24.
BLURB_WIDTH = 64


class HomeScreen(Screen[None]):
    """Seven choices, each one key away; the first is highlighted so Enter starts a decision."""

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
            due = Static("", id="home-due")
            due.display = False  # until the ledger says something is due
            yield due
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        """Read what is due each time the home screen shows: a record just filed, completed
        or reassessed changes it. After the screen is painted: opening the ledger imports
        the store and the record models, which would hold the interpreter while the first
        frame the person is waiting for is drawn."""
        self.call_after_refresh(self._start_reading_due)

    def _start_reading_due(self) -> None:
        self.run_worker(self._read_due, thread=True, exclusive=True, group="home-due")

    def _read_due(self) -> None:
        import datetime as dt

        from sharewise.domain.errors import SharewiseError

        store = getattr(self.app, "store", None)
        if store is None:
            return
        try:
            rows = store.due(dt.datetime.now(dt.UTC).date())
        except (SharewiseError, ValueError):
            # ValueError: an entry's stored body that is not JSON (a damaged or tampered
            # ledger), which crashed the app from this worker; the Records screen and the
            # dashboard say what is wrong with the ledger
            return
        self.app.call_from_thread(self._show_due, rows)

    def _show_due(self, rows: list[tuple[Entry, str]]) -> None:
        """Records past their review date and emergencies awaiting completion: what
        `records due` lists, so that review dates are kept, not only written down."""
        shown = self.query_one("#home-due", Static)
        shown.display = bool(rows)
        if rows:
            shown.update(due_text(rows))

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


def due_text(rows: list[tuple[Entry, str]]) -> Text:
    """What is due, in a few lines: the counts, then the first few records by number."""
    from sharewise.domain.safe_text import safe_line

    waiting = sum(1 for e, _ in rows if e.kind.value == "emergency")
    overdue = len(rows) - waiting
    parts = []
    if overdue:
        parts.append(f"{overdue} record{'s' if overdue != 1 else ''} past the review date")
    if waiting:
        parts.append(f"{waiting} emergency record{'s' if waiting != 1 else ''} to complete")
    text = Text()
    text.append("Due now: " + "; ".join(parts) + ". Records (r) to open them.", style="bold")
    for entry, why in rows[:DUE_SHOWN]:
        case = entry.details.case_ref if entry.details and entry.details.case_ref else ""
        text.append(f"\n  Entry {entry.seq}  {safe_line(case)}  {why}")
    if len(rows) > DUE_SHOWN:
        text.append(f"\n  and {len(rows) - DUE_SHOWN} more")
    return text
