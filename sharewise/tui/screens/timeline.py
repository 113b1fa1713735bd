"""A case's timeline: every entry about one case reference, in order (`store.timeline`).

Opened from a record (t). Decisions, emergencies and their completions, amendments,
reviews and reassessments, with each review date and whether it still stands, so a
practitioner or IG lead sees how the case has moved before deciding again.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.safe_text import safe_line
from sharewise.store.timeline import Moment
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.plain_table import PlainTable

COLUMNS = ("#", "Recorded", "Kind", "What", "Review by")


class TimelineScreen(Screen[None]):
    """One case's entries, oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, case_ref: str) -> None:
        super().__init__()
        self.case_ref = case_ref

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Case {safe_line(self.case_ref)}"), id="timeline-title")
        table = PlainTable(id="timeline-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield Static("Reading the case…", id="timeline-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#timeline-table", DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, group="timeline")
    def _load(self) -> None:
        store = sw_app(self).store
        try:
            moments = store.timeline(self.case_ref, dt.datetime.now(dt.UTC).date())
        except SharewiseError as exc:
            self.app.call_from_thread(self._status, "Could not read the case: " + exc.render())
            return
        self.app.call_from_thread(self._show, moments)

    def _status(self, message: str) -> None:
        self.query_one("#timeline-status", Static).update(Text(message))

    def _show(self, moments: list[Moment]) -> None:
        table = self.query_one("#timeline-table", DataTable)
        table.clear()
        for m in moments:
            e = m.entry
            review = f"{m.review_by} ({m.review_status})" if m.review_by else ""
            table.add_row(str(e.seq), f"{e.created:%Y-%m-%d %H:%M}", e.kind.value, m.what, review)
        standing = [m for m in moments if m.review_status in ("upcoming", "overdue")]
        if standing:
            m = standing[-1]
            note = f"Next review: {m.review_by} (entry {m.entry.seq}, {m.review_status})."
        else:
            note = "No review date stands."
        self._status(f"{len(moments)} entries. {note}")
