"""Someone is in danger now: act first (999, duty team), then a short record to complete later."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import RecordDetails, nest_fields
from sharewise.tui.context import sw_app
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.screens.record_form import REQUIRED_WORDS, explain
from sharewise.tui.widgets.field import TextField, enter_moves_on

ACT_NOW = (
    "ACT NOW. If someone is in immediate danger, call 999.\n"
    "Then tell your designated safeguarding lead or the duty team (children's or adults' "
    "social care) straight away.\n"
    "You do not need consent, or this program, to protect someone's life. Share what is "
    "needed to keep them safe."
)

TRAINING_NOTE = (
    "You were in a training exercise. If you were practising, press Escape to go back to it: "
    "nothing from an exercise is recorded. If someone really is in danger, act now, and this "
    "form files a real emergency record."
)


class EmergencyScreen(Screen[None]):
    """Four short fields, saved as an emergency record flagged "to be completed"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter", "Next field", show=False, priority=True),
        Binding("ctrl+s", "save", "Save for completion later", priority=True),
        Binding("escape", "close", "Not now"),
    ]

    def __init__(self, *, from_training: bool = False) -> None:
        super().__init__()
        self.from_training = from_training

    def compose(self) -> ComposeResult:
        app = sw_app(self)
        yield Header()
        with VerticalScroll(id="emergency-body"):
            if self.from_training:
                yield Static(TRAINING_NOTE, id="emergency-training", classes="warning-banner")
            yield Static(ACT_NOW, id="emergency-banner")
            yield Static(
                "When everyone is safe, record it here as soon as you can. This saves a short "
                "record marked “to be completed”; finish it from Records.",
                classes="hint",
            )
            yield Static("", id="emergency-summary")
            yield TextField(
                "case_ref",
                "Case reference",
                "From your case system; if there is none yet, a note such as NEW-2026-11-29.",
                required=True,
            )
            for key, label in (
                ("practitioner.name", "Your name"),
                ("practitioner.role", "Your role"),
                ("practitioner.organisation", "Your organisation"),
            ):
                yield TextField(
                    key,
                    label,
                    required=True,
                    value=app.practitioner.get(key, ""),
                    check_names=False,
                )
            yield TextField("recipient.organisation", "Who you told (for example: police via 999)")
            yield TextField("information", "What happened and what you shared (brief)")
            with Horizontal(id="emergency-buttons"):
                yield Button(
                    "Save for completion later (ctrl+s)", id="emergency-save", variant="error"
                )
                yield Button("Not now (Esc)", id="emergency-close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#field-case_ref Input", Input).focus()

    def action_enter(self) -> None:
        enter_moves_on(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "emergency-save":
            self.action_save()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss()

    def collect(self) -> tuple[RecordDetails | None, dict[str, str]]:
        fields = {f.key: f for f in self.query(TextField)}
        v = {k: f.value or None for k, f in fields.items()}
        problems = {k: REQUIRED_WORDS[k] for k, f in fields.items() if f.required and not v[k]}
        if problems:
            return None, problems
        data = nest_fields(
            {**{k: f.value for k, f in fields.items()}, "recipient.role": "told in an emergency"}
        )
        try:
            return RecordDetails.model_validate(data, context={"emergency": True}), {}
        except ValidationError as exc:
            for err in exc.errors():
                key = ".".join(str(p) for p in err["loc"])
                problems.setdefault(key if key in fields else "case_ref", explain(dict(err)))
            return None, problems

    def action_save(self) -> None:
        details, problems = self.collect()
        fields = {f.key: f for f in self.query(TextField)}
        for key, f in fields.items():
            f.show_error(problems.get(key, ""))
        summary = self.query_one("#emergency-summary", Static)
        if details is None:
            summary.update(Text(f"Not saved yet: {len(problems)} field(s) need attention."))
            summary.add_class("-error")
            next(fields[k] for k in fields if k in problems).input.focus()
            return
        app = sw_app(self)
        app.practitioner = {
            "practitioner.name": details.practitioner.name or "",
            "practitioner.role": details.practitioner.role,
            "practitioner.organisation": details.practitioner.organisation,
        }
        summary.update("Saving…")
        self._save(details)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, details: RecordDetails) -> None:
        """Filed without a decided result: this must work even if the tree failed to load."""
        app = sw_app(self)
        try:
            saved = app.store.save_emergency(details)
        except SharewiseError as exc:
            self.app.call_from_thread(self._failed, exc.render())
            return
        p = details.practitioner
        app.remember_practitioner(p.name or "", p.role, p.organisation)
        self.app.call_from_thread(self._saved, saved, details)

    def _failed(self, message: str) -> None:
        summary = self.query_one("#emergency-summary", Static)
        summary.update(Text("Nothing was saved. " + message))
        summary.add_class("-error")

    def _saved(self, saved: SavedRecord, details: RecordDetails) -> None:
        from sharewise.tui.record_text import record_text
        from sharewise.tui.screens.saved import SavedScreen

        text = record_text(details, None, None, record_id=saved.id, seq=saved.seq, emergency=True)
        self.app.switch_screen(SavedScreen(saved, text, go_home=False, emergency=True))
