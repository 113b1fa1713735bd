"""The IG lead's list of records the current tree would decide differently.

Opened from Records (n). Each stored record's answers are decided again on the tree the app
has loaded; those whose decision, outcome or law would change are listed, changed
decisions first, so the lead can decide which cases to revisit. Enter opens a record, where
a reassesses it with the practitioner.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import EntryKind
from sharewise.domain.safe_text import safe_line
from sharewise.store.revisit import Revisit, RevisitList
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.plain_table import PlainTable

COLUMNS = ("#", "Recorded", "Case", "Was", "Now", "What changes")


class RevisitScreen(Screen[None]):
    """Records whose decision would change on the current tree; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Records"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Revisit] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Deciding every record again on the current tree…", id="revisit-status")
        table = PlainTable(id="revisit-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#revisit-table", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        app = sw_app(self)
        if app.decision_tree is None:
            self._status("The decision tree is not loaded, so nothing can be decided again.")
            return
        self._load()

    @work(thread=True, exclusive=True, group="revisit")
    def _load(self) -> None:
        app = sw_app(self)
        tree = app.decision_tree
        assert tree is not None
        try:
            found = app.store.would_change(tree)
        except SharewiseError as exc:
            self.app.call_from_thread(self._status, "Could not read the records: " + exc.render())
            return
        self.app.call_from_thread(self._show, found)

    def _status(self, message: str) -> None:
        self.query_one("#revisit-status", Static).update(Text(message))

    def _show(self, found: RevisitList) -> None:
        tree = sw_app(self).decision_tree
        table = self.query_one("#revisit-table", DataTable)
        table.clear()
        self.rows = {}
        for item in found.changed:
            e, case = item.entry, item.case
            ref = safe_line(e.details.case_ref) if e.details and e.details.case_ref else "—"
            was = case.before.decision or "—"
            now = case.after.decision or "cannot decide"
            table.add_row(str(e.seq), f"{e.created:%Y-%m-%d}", ref, was, now, _what(item), key=e.id)
            self.rows[e.id] = item
        decisions = sum(1 for r in found.changed if r.decision_changed)
        version = f"{tree.model.id} {tree.model.version}" if tree is not None else "this tree"
        if not found.changed:
            message = f"All {found.replayed:,} records would be decided the same way on {version}."
        else:
            message = (
                f"On {version}, {decisions:,} of {found.replayed:,} records would get another "
                f"decision, and {len(found.changed) - decisions:,} more another outcome or "
                "law. Enter opens a record; there, a reassesses it."
            )
        self._status(message)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from sharewise.tui.screens.records import RecordViewScreen

        item = self.rows.get(str(event.row_key.value))
        if item is not None:
            entry = item.entry
            self.app.push_screen(RecordViewScreen(entry, entry.kind is not EntryKind.EMERGENCY))


def _what(item: Revisit) -> str:
    c = item.case
    if not c.after.decided:
        return f"the tree now asks: {c.after.gap}"
    parts = []
    if c.before.title != c.after.title:
        parts.append(f"now: {c.after.title}")
    added = [x for x in c.after.citations if x not in c.before.citations]
    removed = [x for x in c.before.citations if x not in c.after.citations]
    if added:
        parts.append("+ " + ", ".join(added))
    if removed:
        parts.append("- " + ", ".join(removed))
    return "; ".join(parts) or "other questions asked"
