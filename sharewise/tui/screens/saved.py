"""The confirmation: the record's id and place in the chain, copy as text, export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, Static

from sharewise.domain.errors import SharewiseError
from sharewise.tui.context import sw_app
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.widgets.footer import KeysFooter


class SavedScreen(Screen[None]):
    """c copies the record as text, x exports it, Enter (Done) goes home, back to Records (after
    a completion or a correction made there) or back to where the person was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy as text"),
        Binding("x", "export", "Export this record"),
        Binding("d,escape", "done", "Done"),
    ]

    def __init__(
        self,
        saved: SavedRecord,
        text: str,
        *,
        go_home: bool,
        emergency: bool = False,
        back_to_records: bool = False,
    ) -> None:
        super().__init__()
        self.saved = saved
        self.text = text
        self.go_home = go_home
        self.emergency = emergency
        #: Done goes back to the Records screen underneath (which then reads the ledger
        #: again, so the new entry shows), if there is one.
        self.back_to_records = back_to_records

    def compose(self) -> ComposeResult:
        s = self.saved
        yield Header()
        with VerticalScroll(id="saved-body"):
            headline = (
                "Emergency record saved: complete it as soon as you can"
                if self.emergency
                else "Record saved"
            )
            yield Static(Text(headline), id="saved-title")
            yield Static(
                Text(f"Record ID: {s.id}\nEntry {s.seq} in the ledger (chain hash {s.hash[:16]}…)"),
                id="saved-ref",
            )
            with Horizontal(id="saved-buttons"):
                yield Button("Done (d)", id="saved-done", variant="primary")
                yield Button("Copy as text (c)", id="saved-copy")
                yield Button("Export this record (x)", id="saved-export")
            yield Static("", id="saved-status")
            yield Label("The record as text (for your case system)", classes="section-title")
            yield Static(Text(self.text), id="saved-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#saved-done", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"saved-done": self.action_done, "saved-copy": self.action_copy}
        action.get(event.button.id or "", self.action_export)()

    def action_copy(self) -> None:
        """Clipboard via the terminal (OSC 52); the text is also on screen to select by hand."""
        self.app.copy_to_clipboard(self.text)
        self._status(
            "Copied to the clipboard. If your terminal does not allow that, select the text below."
        )

    def action_export(self) -> None:
        self._status("Exporting…")
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        try:
            paths = sw_app(self).store.export(self.saved.id)
        except (SharewiseError, OSError) as exc:
            message = exc.render() if isinstance(exc, SharewiseError) else str(exc)
            self.app.call_from_thread(self._status, "Not exported: " + message)
            return
        self.app.call_from_thread(self._exported, paths)

    def _exported(self, paths: list[Path]) -> None:
        self._status("Exported to:\n" + "\n".join(str(p) for p in paths))

    def _status(self, message: str) -> None:
        self.query_one("#saved-status", Static).update(Text(message))

    def action_done(self) -> None:
        from sharewise.tui.screens.records import RecordsScreen

        if self.back_to_records and any(
            isinstance(s, RecordsScreen) for s in self.app.screen_stack
        ):
            # The record's view and any walk above the list are stale now: all go.
            while not isinstance(self.app.screen, RecordsScreen):
                self.app.pop_screen()
            return
        if self.go_home:
            sw_app(self).go_home()
        else:
            self.dismiss()
