"""An IG lead's review of a record: agree, disagree or follow up, who reviewed, and why."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, RadioButton, RadioSet, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import Entry, Verdict
from sharewise.tui.context import sw_app
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.widgets.field import TextField
from sharewise.tui.widgets.footer import KeysFooter

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.AGREE: "Agree: the decision and the record are sound",
    Verdict.DISAGREE: "Disagree: the decision or the record is not right",
    Verdict.FOLLOW_UP: "Follow up: something needs doing or asking",
}


class ReviewScreen(Screen[None]):
    """Appended as a new entry linked to the record (the record itself never changes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the review", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static(
                Text(f"Review record {self.entry.id} (entry {self.entry.seq})"), id="review-title"
            )
            yield Static(
                "Choose a verdict with ↑ ↓ and Space (or Enter), Tab to the next field, ctrl+s "
                "to save. The review is added to the ledger beside the record.",
                classes="hint",
            )
            yield Static("", id="review-summary")
            yield Label("Verdict *", classes="section-title")
            with RadioSet(id="review-verdict"):
                for verdict, words in VERDICT_WORDS.items():
                    yield RadioButton(words, id=f"verdict-{verdict.value}")
            yield TextField(
                "reviewer",
                "Reviewer",
                required=True,
                value=sw_app(self).practitioner.get("practitioner.name", ""),
                check_names=False,
            )
            yield TextField("comment", "Comment", "Why, or what needs following up.")
            with Horizontal(id="review-buttons"):
                yield Button("Save the review (ctrl+s)", id="review-save", variant="primary")
                yield Button("Back (Esc)", id="review-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#review-verdict", RadioSet).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review-save":
            self.action_save()
        else:
            self.app.pop_screen()

    def verdict(self) -> Verdict | None:
        pressed = self.query_one("#review-verdict", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return Verdict(pressed.id.removeprefix("verdict-"))

    def action_save(self) -> None:
        fields = {f.key: f for f in self.query(TextField)}
        verdict = self.verdict()
        reviewer = fields["reviewer"].value
        fields["reviewer"].show_error("" if reviewer else "Give the reviewer's name.")
        problems = []
        if verdict is None:
            problems.append("choose a verdict")
        if not reviewer:
            problems.append("give the reviewer's name")
        summary = self.query_one("#review-summary", Static)
        if problems or verdict is None:
            summary.update(Text("Not saved yet: " + "; ".join(problems) + "."))
            summary.add_class("-error")
            return
        summary.update("Saving…")
        self._save(verdict, reviewer, fields["comment"].value or None)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, verdict: Verdict, reviewer: str, comment: str | None) -> None:
        try:
            saved = sw_app(self).store.review(self.entry.id, verdict, reviewer, comment)
        except SharewiseError as exc:
            self.app.call_from_thread(self._failed, exc.render())
            return
        self.app.call_from_thread(self._saved, saved)

    def _failed(self, message: str) -> None:
        summary = self.query_one("#review-summary", Static)
        summary.update(Text("Nothing was saved. " + message))
        summary.add_class("-error")

    def _saved(self, saved: SavedRecord) -> None:
        self.notify(f"Review saved as entry {saved.seq} ({saved.id}).", title="Review saved")
        # Back to the list, which reloads and shows the record as reviewed.
        self.app.pop_screen()
        self.app.pop_screen()
