"""The records kept on this computer: a list, one record in full, and completing emergencies."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import Entry, EntryKind
from sharewise.domain.safe_text import safe_line
from sharewise.tui.context import sw_app
from sharewise.tui.record_text import record_text
from sharewise.tui.words import decision_words

_SHOWN = (EntryKind.DECISION, EntryKind.EMERGENCY)


class RecordsScreen(Screen[None]):
    """Decision and emergency records, newest first; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Home"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, Entry] = {}
        self.completed: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading records…", id="records-status")
        table: DataTable[Text | str] = DataTable(id="records-table", cursor_type="row")
        table.add_columns("Entry", "Date (UTC)", "Case", "Decision", "Status")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="records")
    def _load(self) -> None:
        store = sw_app(self).store
        try:
            entries = [e for e in store.entries() if e.kind in _SHOWN]
            completed = store.completed_ids()
        except SharewiseError as exc:
            self.app.call_from_thread(self._status, "Could not read the records: " + exc.render())
            return
        self.app.call_from_thread(self._show, entries, completed)

    def _status(self, message: str) -> None:
        self.query_one("#records-status", Static).update(Text(message))

    def _show(self, entries: list[Entry], completed: set[str]) -> None:
        self.entries = {e.id: e for e in entries}
        self.completed = completed
        table = self.query_one("#records-table", DataTable)
        table.clear()
        for e in reversed(entries):
            case = safe_line(e.details.case_ref) if e.details and e.details.case_ref else "—"
            decision = decision_words(e.decision) if e.decision else "—"
            if e.kind is EntryKind.EMERGENCY:
                status = "completed" if e.id in completed else "TO BE COMPLETED"
            else:
                status = "recorded"
            table.add_row(
                str(e.seq), f"{e.created:%Y-%m-%d %H:%M}", case, decision, status, key=e.id
            )
        waiting = sum(1 for e in entries if e.kind is EntryKind.EMERGENCY and e.id not in completed)
        message = f"{len(entries)} record(s). Enter opens one."
        if waiting:
            message += f" {waiting} emergency record(s) to be completed."
        if not entries:
            message = "No records yet. Start a decision from the home screen."
        self._status(message)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        entry = self.entries.get(str(event.row_key.value))
        if entry is not None:
            self.app.push_screen(RecordViewScreen(entry, entry.id in self.completed))


class RecordViewScreen(Screen[None]):
    """One record in full; k completes an emergency record that is still waiting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("k", "complete", "Complete this record"),
        Binding("c", "copy", "Copy as text"),
    ]

    def __init__(self, entry: Entry, completed: bool) -> None:
        super().__init__()
        self.entry = entry
        self.completed = completed

    def text(self) -> str:
        e = self.entry
        if e.details is None:
            return f"Entry {e.seq} ({e.kind.value}): its personal details were erased."
        tree = sw_app(self).decision_tree
        registry = tree.registry if tree is not None else None
        return record_text(
            e.details,
            None if e.kind is EntryKind.EMERGENCY else e.result,
            registry,
            record_id=e.id,
            seq=e.seq,
            emergency=e.kind is EntryKind.EMERGENCY,
        )

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record-view-body"):
            if self.entry.kind is EntryKind.EMERGENCY and not self.completed:
                yield Static(
                    "This emergency record is waiting to be completed: press k.",
                    classes="warning-banner",
                )
            yield Static(Text(self.text()), id="record-view-text")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "complete":
            return self.entry.kind is EntryKind.EMERGENCY and not self.completed
        return True

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text())
        self.notify("Copied to the clipboard.")

    def action_complete(self) -> None:
        from sharewise.tui.screens.record_form import RecordFormScreen

        tree = sw_app(self).decision_tree
        registry = tree.registry if tree is not None else None
        self.app.push_screen(
            RecordFormScreen(
                None, registry, complete_target=self.entry.id, prefill=self.entry.details
            )
        )
