"""Which organisation's register to read: for a partnership IG lead, whose login may read
several (docs/ledger.md: one chain per organisation, row-level security).

The list is the database's answer (`LedgerStore.organisations`: the organisations the row
policies show this login), never a list kept here, so nobody is offered a register they may
not read. The choice holds for this session only (in a browser, this tab's); new records
still go to the login's own organisation, which the list marks.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sharewise.domain.safe_text import safe_line


def label(name: str, home: str | None, reading: str | None) -> str:
    """One organisation in the list: its name, whether it is the login's own (where new
    records go) and whether it is the one read now."""
    text = safe_line(name)
    if name == home:
        text += "  (your organisation: new records go here)"
    if name == reading:
        text += "  · reading now"
    return text


class OrganisationScreen(ModalScreen[str | None]):
    """Enter reads the highlighted organisation's register; Escape keeps the one read now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Keep this one", show=False),
    ]

    def __init__(self, names: list[str], reading: str | None, home: str | None) -> None:
        super().__init__()
        self.names = names
        self.reading = reading
        self.home = home

    def compose(self) -> ComposeResult:
        with Vertical(id="org-box"):
            yield Static(
                Text(
                    "Which organisation's register to read? Records, the dashboard and what "
                    "is due show that organisation's records, for this session only. New "
                    "records still go to your own organisation's register."
                ),
                id="org-text",
            )
            yield OptionList(
                *(Option(label(n, self.home, self.reading), id=n) for n in self.names),
                id="org-list",
            )
            yield Static("Enter: read this one · Escape: keep the one read now", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#org-list", OptionList)
        if self.reading in self.names:
            options.highlighted = self.names.index(self.reading)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
