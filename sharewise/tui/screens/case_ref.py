"""A completion whose case reference is not its emergency record's: the store refuses it, and
the person chooses: put the emergency record's reference back, or say the case has a new one.

The references are personal data. They are shown here, on the screen of the person who typed
one and opened the other, made safe to display; they are never written to a log.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from sharewise.domain.safe_text import safe_line

Choice = Literal["keep", "new"]


def explanation(was: str | None, typed: str) -> str:
    """What the box says: the two references side by side, and what each choice does."""
    lines = ["The case reference differs from the emergency record's.", ""]
    if was is not None:
        lines.append(f"  The emergency record's:  {safe_line(was)}")
    lines += [
        f"  You typed:               {safe_line(typed)}",
        "",
        "A completion is filed under its emergency record's case, so that a search by case "
        "finds both.",
    ]
    if was is not None:
        lines.append(
            "• Keep the emergency's reference: it goes back in the form; check it and save."
        )
    lines += [
        "• Save with the new one: only if the case has been given a new reference since the "
        "emergency was recorded. A search by either reference then finds the emergency record.",
        "Escape: back to the form. Nothing has been saved.",
    ]
    return "\n".join(lines)


class CaseRefScreen(ModalScreen[Choice | None]):
    """k keeps the emergency record's reference, n saves with the new one, Escape goes back to
    the form (None). The safe choice, keep, has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('keep')", "Keep the emergency's reference", show=False),
        Binding("n", "choose('new')", "Save with the new one", show=False),
        Binding("escape", "choose('')", "Back to the form", show=False),
    ]

    def __init__(self, was: str | None, typed: str) -> None:
        super().__init__()
        #: The emergency record's reference (None if its details could not be read).
        self.was = was
        self.typed = typed

    def compose(self) -> ComposeResult:
        with Vertical(id="case-ref-box"):
            yield Static(Text(explanation(self.was, self.typed)), id="case-ref-text")
            with Horizontal(id="case-ref-buttons"):
                if self.was is not None:
                    yield Button(
                        "Keep the emergency's reference (k)", id="case-ref-keep", variant="primary"
                    )
                yield Button("Save with the new one (n)", id="case-ref-new", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#case-ref-buttons Button", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose("keep" if event.button.id == "case-ref-keep" else "new")

    def action_choose(self, choice: str) -> None:
        if choice == "keep" and self.was is None:
            return
        self.dismiss("keep" if choice == "keep" else "new" if choice == "new" else None)
