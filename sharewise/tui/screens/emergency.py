"""Someone is in danger now: act first (999, duty team), then a short record to complete later."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from sharewise.domain.emergency import ACT_NOW, WHAT_TO_TELL
from sharewise.domain.errors import SharewiseError
from sharewise.domain.record import RecordDetails, nest_fields
from sharewise.tui.breakpoints import preset_width_class
from sharewise.tui.context import sw_app
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.screens.record_form import REQUIRED_WORDS, explain
from sharewise.tui.widgets.field import TextField, enter_moves_on
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.whose import NotMe, WhoseDetails, clear_not_me

TRAINING_NOTE = (
    "You were in a training exercise. If you were practising, press Escape to go back to it: "
    "an exercise is never a real decision. If someone really is in danger, act now, and this "
    "form files a real emergency record."
)


#: Told under the act-now advice: what to do with this screen once everyone is safe.
AFTER_F2 = (
    "When everyone is safe, record it here as soon as you can. This saves a short record "
    "marked “to be completed”; finish it from Records."
)
AFTER_YES = (
    "When everyone is safe: save this short record now (ctrl+s) and answer the remaining "
    "questions later, when you complete it from Records; or go back and answer them now, "
    "for the record (Esc). They no longer decide whether to share: you share now."
)

#: Called with the saved emergency record and its details (the walk that opened the screen
#: then completes that record, rather than filing a second one).
OnSaved = Callable[[SavedRecord, RecordDetails], None]


def what_to_tell() -> Text:
    """The act-now advice, then what the call handler or duty worker will want to know."""
    text = Text(ACT_NOW + "\n\nWhat to tell 999 or the duty team:")
    for item in WHAT_TO_TELL:
        text.append(f"\n  • {item}")
    return text


class EmergencyScreen(Screen[None]):
    """Act now, then four short fields saved as an emergency record "to be completed".

    Opened by F2 from anywhere, and at once by a walk whose answer says someone is in danger
    now (`from_walk`): then Esc goes back to the questions, now for the record only.
    """

    # Labels above their fields below 100 columns (app.tcss), so values stay in sight.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter", "Next field", show=False, priority=True),
        Binding("ctrl+s", "save", "Save for completion later", priority=True),
        Binding("ctrl+n", "not_me", "Not me", show=False),
        Binding("escape", "close", "Not now"),
        Binding("escape", "back_to_walk", "Answer the questions now"),
    ]

    def __init__(
        self,
        *,
        from_training: bool = False,
        from_walk: bool = False,
        on_saved: OnSaved | None = None,
    ) -> None:
        super().__init__()
        preset_width_class(self)
        self.from_training = from_training
        self.from_walk = from_walk
        self.on_saved = on_saved

    def compose(self) -> ComposeResult:
        app = sw_app(self)
        yield Header()
        with VerticalScroll(id="emergency-body"):
            if self.from_training:
                yield Static(TRAINING_NOTE, id="emergency-training", classes="warning-banner")
            yield Static(what_to_tell(), id="emergency-banner")
            yield Static(AFTER_YES if self.from_walk else AFTER_F2, id="emergency-next")
            yield Static("", id="emergency-summary")
            remembered = {
                k: v for k, v in app.practitioner.items() if k.startswith("practitioner.") and v
            }
            if remembered:
                yield WhoseDetails(remembered)
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
            yield TextField(
                "information", "What happened and what you shared (brief)", multiline=True
            )
            with Horizontal(id="emergency-buttons"):
                yield Button(
                    "Save for completion later (ctrl+s)", id="emergency-save", variant="error"
                )
                yield Button(
                    "Answer the questions now, for the record (Esc)"
                    if self.from_walk
                    else "Not now (Esc)",
                    id="emergency-close",
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        # The cursor waits in the first field, but the screen opens at the top: at 80x24,
        # scrolling to the field hid "ACT NOW ... call 999" and what to tell them.
        self.query_one("#field-case_ref Input", Input).focus(scroll_visible=False)
        self.query_one("#emergency-body", VerticalScroll).scroll_home(animate=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing in a field out of sight brings it into view (the first one starts below
        the act-now advice on a small terminal)."""
        event.input.scroll_visible(animate=False)

    def action_not_me(self) -> None:
        clear_not_me(self)

    def on_not_me(self, event: NotMe) -> None:
        clear_not_me(self)

    def action_enter(self) -> None:
        enter_moves_on(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "emergency-save":
            self.action_save()
        else:
            self.action_close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One Esc, labelled for where it leads: the walk's questions, or away.
        if action == "close":
            return not self.from_walk
        if action == "back_to_walk":
            return self.from_walk
        return True

    def action_close(self) -> None:
        self.dismiss()

    def action_back_to_walk(self) -> None:
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

        if self.on_saved is not None:
            self.on_saved(saved, details)
        text = record_text(details, None, None, record_id=saved.id, seq=saved.seq, emergency=True)
        self.app.switch_screen(SavedScreen(saved, text, go_home=False, emergency=True))
