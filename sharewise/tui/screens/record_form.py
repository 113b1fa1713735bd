"""The record form: what the practitioner adds to the outcome, checked in plain words.

Validation is the domain's (`RecordDetails`); this screen only translates its complaints
into sentences under the right field, and warns (never blocks) when text looks like it names
a person where a case reference would do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from sharewise.domain.errors import SharewiseError
from sharewise.domain.nodes import Citations
from sharewise.domain.record import (
    RECIPIENT_NEEDED,
    RecordDetails,
    nest_fields,
    past_review_date,
)
from sharewise.domain.record_prefill import Suggestion, is_unfinished
from sharewise.domain.result import DecisionResult
from sharewise.domain.safe_text import safe_line
from sharewise.domain.words import outcome_heading
from sharewise.tui.breakpoints import preset_width_class
from sharewise.tui.context import sw_app
from sharewise.tui.ledger import SavedRecord
from sharewise.tui.widgets.field import TextField, enter_moves_on
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.whose import NotMe, WhoseDetails, clear_not_me
from sharewise.tui.widgets.yes_no import YesNo

#: (key, label, hint, required) of each free-text field, in the order they are asked.
PRACTITIONER_FIELDS = (
    ("practitioner.name", "Your name", "", True),
    ("practitioner.role", "Your role", "For example: class teacher, health visitor.", True),
    ("practitioner.organisation", "Your organisation", "", True),
)
CASE_FIELD = (
    "case_ref",
    "Case reference",
    "The reference in your case system, e.g. CS-2026-00417, not the person's name.",
    True,
)

#: The fields that hold sentences: areas that wrap, so what is typed stays in sight.
MULTILINE = frozenset({"information", "consent.reason", "informed.reason", "rationale"})

REQUIRED_WORDS: dict[str, str] = {
    "case_ref": "Give the case reference from your case system, so the record can be found.",
    "practitioner.name": "Give your name: the record says who decided.",
    "practitioner.role": "Give your role, for example “class teacher”.",
    "practitioner.organisation": "Give your organisation.",
    "recipient.organisation": "Say which organisation you shared with (or would share with).",
    "recipient.role": "Say what their role is, for example “duty social worker”.",
    "information": "Say what information is shared: an auditor must be able to see it was "
    "only what was needed.",
    "consent.reason": "Say why consent was (or was not) sought: the law asks you to record it.",
    "informed.reason": "Say why the person was (or was not) told.",
    "rationale": "Give your reasons in a sentence or two: why sharing (or not) was right.",
}


def consent_was_sought(result: DecisionResult | None) -> bool:
    """A starting value for the consent switch, from the answer already given in the walk."""
    if result is None:
        return False
    answers = {s.fact: s.answer for s in result.path}
    return answers.get("consent") in {"given", "given_explicitly", "refused"}


def explain(error: dict[str, Any]) -> str:
    """One pydantic complaint as a sentence that says how to fix it."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_too_long":
        return f"This is too long: keep it under {ctx.get('max_length')} characters."
    if kind in ("string_pattern_mismatch", "string_too_short"):
        return "Write ordinary text here, on one line (no control characters)."
    if kind.startswith("date"):
        return "Write the date as YYYY-MM-DD, for example 2026-12-06."
    return str(error.get("msg", "This value is not valid.")).removeprefix("Value error, ")


class RecordFormScreen(Screen[None]):
    """Fill in the record and save it (ctrl+s). Tab or Enter moves to the next field."""

    # Labels above their fields below 100 columns (app.tcss), so values stay in sight.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    # No automatic focus: on_mount puts it on the case reference. Left to Textual ("*"),
    # focus went to the scrolling body first and then to that field, and each move styled
    # every widget of the form again.
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter", "Next field", show=False, priority=True),
        Binding("ctrl+s", "save", "Save the record", priority=True),
        Binding("escape", "cancel", "Back to the outcome"),
        Binding("ctrl+n", "not_me", "Not me", show=False),
    ]

    def __init__(
        self,
        result: DecisionResult | None,
        registry: Citations | None,
        *,
        complete_target: str | None = None,
        amend_target: str | None = None,
        prefill: RecordDetails | None = None,
        reassesses: str | None = None,
    ) -> None:
        super().__init__()
        preset_width_class(self)
        self.result = result
        self.registry = registry
        self.complete_target = complete_target
        #: A reassessment: the new record links to this earlier one (chain `target`).
        self.reassesses = reassesses
        #: Correcting a record: saved as an amendment entry; the original stays as it was.
        self.amend_target = amend_target
        self.prefill = prefill
        #: What the walk's answers suggest for some fields (the domain's, shown as such).
        self.suggested: dict[str, Suggestion] = {}
        if result is not None and not amend_target:
            from sharewise.domain.record_prefill import suggestions

            self.suggested = suggestions(result)

    def _initial(self, key: str) -> tuple[str, str]:
        """(starting value, where it was suggested from or ""): the record being completed,
        then the remembered practitioner, then the walk's suggestion."""
        if self.prefill is not None:
            node: Any = self.prefill
            for part in key.split("."):
                node = getattr(node, part, None) if node is not None else None
            if isinstance(node, str):
                return node, ""
        if key.startswith("practitioner."):
            return sw_app(self).practitioner.get(key, ""), ""
        hint = self.suggested.get(key)
        return (hint.value, hint.source) if hint is not None else ("", "")

    def _field(self, key: str, label: str, hint: str = "", required: bool = False) -> TextField:
        check = not key.startswith("practitioner.") and key != "recipient.name"
        value, source = self._initial(key)
        return TextField(
            key,
            label,
            hint,
            required=required,
            value=value,
            check_names=check,
            suggested_from=source,
            # A skeleton is finished, not replaced: the cursor goes to its end.
            select_on_focus=key != "rationale",
            multiline=key in MULTILINE,
        )

    @property
    def recipient_required(self) -> bool:
        return self.result is not None and self.result.decision.shares

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form-body"):
            if self.amend_target:
                title = f"Amend record {self.amend_target} (the original stays in the ledger)"
            elif self.complete_target:
                title = f"Complete emergency record {self.complete_target}"
                if self.result is not None:
                    o = self.result.outcome
                    title += f" with the decision: {outcome_heading(o.decision, o.title)}"
            elif self.result is not None:
                o = self.result.outcome
                title = f"Record the decision: {outcome_heading(o.decision, o.title)}"
            else:
                title = "Record the decision"
            yield Static(Text(title), id="form-title")
            yield Static(
                "Fields marked * must be filled in. Enter or Tab: next field. y / n answers a "
                "yes-or-no question. ctrl+s saves; Escape goes back. Values marked SUGGESTED "
                "come from your answers: check each one.",
                classes="hint",
            )
            yield Static("", id="form-summary")
            remembered = self._remembered()
            if remembered:
                yield WhoseDetails(remembered)
            yield self._field(*CASE_FIELD)
            for key, label, hint, required in PRACTITIONER_FIELDS:
                yield self._field(key, label, hint, required)
            need = self.recipient_required
            yield self._field(
                "recipient.organisation",
                "Shared with: organisation",
                "Who received the information (or would have).",
                need,
            )
            yield self._field("recipient.role", "Their role", "", need)
            yield self._field("recipient.name", "Their name (if you know it)")
            yield self._field(
                "information",
                "What information",
                "Only what was needed, for example: the disclosure and the injuries seen.",
                True,
            )
            yield self._field("method", "How it was shared", "For example: secure email, phone.")
            yield self._switch("consent", "consent-sought", "Was consent sought?")
            yield self._field("consent.reason", "Why consent was, or was not, sought", "", True)
            yield self._switch(
                "informed", "informed-told", "Was the person told about the sharing?"
            )
            yield self._field("informed.reason", "Why they were, or were not, told", "", True)
            yield self._field("identities_protected", "Identities protected (if any)")
            yield self._field("advice_sought", "Advice sought (if any)")
            yield self._field("rationale", "Your reasons", "Why this decision was right.", True)
            yield self._field("review_by", "Review by (YYYY-MM-DD, optional)")
            with Horizontal(id="form-buttons"):
                yield Button("Save the record (ctrl+s)", id="form-save", variant="primary")
                yield Button("Back (Esc)", id="form-cancel")
        yield KeysFooter()

    def _switch(self, group: str, key: str, label: str) -> YesNo:
        """A yes/no switch starting from the record being completed, else the walk's
        suggestion, else "no"."""
        if self.prefill is not None:
            given = getattr(self.prefill, group, None)
            if given is not None:
                return YesNo(key, label, bool(given.sought if group == "consent" else given.told))
        field = "consent.sought" if group == "consent" else "informed.told"
        hint = self.suggested.get(field)
        if hint is not None:
            return YesNo(key, label, hint.value == "yes", hint.source)
        return YesNo(key, label, group == "consent" and consent_was_sought(self.result))

    def _remembered(self) -> dict[str, str]:
        """The remembered practitioner details the form starts from ({} if none are used:
        a completion or a correction starts from the record's own)."""
        if self.prefill is not None:
            return {}
        app = sw_app(self)
        return {k: v for k, v in app.practitioner.items() if k.startswith("practitioner.") and v}

    def on_mount(self) -> None:
        self.query_one("#field-case_ref Input", Input).focus()

    def action_not_me(self) -> None:
        clear_not_me(self)

    def on_not_me(self, event: NotMe) -> None:
        clear_not_me(self)

    def action_enter(self) -> None:
        enter_moves_on(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss()

    # -- validating ------------------------------------------------------------------------

    def fields(self) -> dict[str, TextField]:
        return {f.key: f for f in self.query(TextField)}

    def collect(self) -> tuple[RecordDetails | None, dict[str, str]]:
        """The details, or the problems by field key, in plain words."""
        fields = self.fields()
        values = {k: f.value for k, f in fields.items()}
        problems: dict[str, str] = {}
        required = [k for k, f in fields.items() if f.required]
        for key in required:
            if not values[key]:
                problems[key] = REQUIRED_WORDS.get(key, "This is needed.")
        if self.recipient_required and not values["recipient.organisation"]:
            problems["recipient.organisation"] = RECIPIENT_NEEDED  # the domain's rule, worded once
        if not self.recipient_required and bool(values["recipient.organisation"]) != bool(
            values["recipient.role"]
        ):
            for key in ("recipient.organisation", "recipient.role"):
                if not values[key]:
                    problems[key] = REQUIRED_WORDS[key]
        # A completion or a correction offers the same unfinished sentence, and it is no
        # more a reason there than in a new record.
        if (
            self.result is not None
            and values["rationale"]
            and is_unfinished(values["rationale"], self.result)
        ):
            problems["rationale"] = (
                "Finish the sentence with your reasons: why this decision was right in this case."
            )
        review: dt.date | None = None
        if values["review_by"]:
            try:
                review = dt.date.fromisoformat(values["review_by"])
            except ValueError:
                problems["review_by"] = "Write the date as YYYY-MM-DD, for example 2026-12-06."
            else:
                past = past_review_date(review)
                if past:
                    problems["review_by"] = past
        if problems:
            return None, problems
        data = nest_fields(
            {
                **values,
                "consent.sought": self.query_one("#row-consent-sought", YesNo).value,
                "informed.told": self.query_one("#row-informed-told", YesNo).value,
                "review_by": review,
            }
        )
        try:
            return RecordDetails.model_validate(data), {}
        except ValidationError as exc:
            for err in exc.errors():
                key = ".".join(str(p) for p in err["loc"]) or "case_ref"
                problems.setdefault(key if key in fields else "case_ref", explain(dict(err)))
            return None, problems

    def show_problems(self, problems: dict[str, str]) -> None:
        fields = self.fields()
        for key, f in fields.items():
            f.show_error(problems.get(key, ""))
        summary = self.query_one("#form-summary", Static)
        if not problems:
            summary.update("")
            summary.remove_class("-error")
            return
        labels = [fields[k].label for k in fields if k in problems]
        summary.update(
            Text(
                f"Not saved yet: {len(problems)} field(s) need attention: "
                + "; ".join(labels)
                + ". Each one says what to do."
            )
        )
        summary.add_class("-error")
        first = next(fields[k] for k in fields if k in problems)
        first.input.focus()
        first.scroll_visible()

    def action_save(self) -> None:
        details, problems = self.collect()
        self.show_problems(problems)
        if details is None:
            return
        app = sw_app(self)
        app.practitioner = {
            "practitioner.name": details.practitioner.name or "",
            "practitioner.role": details.practitioner.role,
            "practitioner.organisation": details.practitioner.organisation,
        }
        self.query_one("#form-save", Button).disabled = True
        self.query_one("#form-summary", Static).update("Saving…")
        self._save(details)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, details: RecordDetails, new_case_ref: bool = False) -> None:
        """Appending fsyncs the ledger: never on the UI thread."""
        from sharewise.store.ledger import CaseRefDiffers

        app = sw_app(self)
        store = app.store
        try:
            if self.amend_target:
                saved = store.amend(self.amend_target, details)
            elif self.complete_target:
                saved = store.complete(
                    self.complete_target, details, self.result, new_case_ref=new_case_ref
                )
            else:
                assert self.result is not None
                if self.reassesses:
                    saved = store.save_decision(self.result, details, reassesses=self.reassesses)
                else:
                    saved = store.save_decision(self.result, details)
        except CaseRefDiffers:
            # Not a failure to report but a choice to offer (the references are personal
            # data: shown to the person on screen, never logged).
            self.app.call_from_thread(self._case_ref_differs, details)
            return
        except SharewiseError as exc:
            self.app.call_from_thread(self._failed, exc.render())
            return
        p = details.practitioner
        app.remember_practitioner(p.name or "", p.role, p.organisation)
        self.app.call_from_thread(self._saved, saved, details)

    def _failed(self, message: str) -> None:
        self.query_one("#form-save", Button).disabled = False
        summary = self.query_one("#form-summary", Static)
        summary.update(Text("Nothing was saved. " + message))
        summary.add_class("-error")

    def _case_ref_differs(self, details: RecordDetails) -> None:
        """The store refused a completion for another case reference than the emergency
        record's: say so, and let the person put the record's back or confirm a new one."""
        from sharewise.tui.screens.case_ref import CaseRefScreen, Choice

        was = self.prefill.case_ref if self.prefill is not None else None
        self.query_one("#form-save", Button).disabled = False
        summary = self.query_one("#form-summary", Static)
        summary.update(
            Text(
                "Nothing was saved: the case reference differs from the emergency record's. "
                "Change it, or save again (ctrl+s) to keep the emergency's or confirm the new one."
            )
        )
        summary.add_class("-error")
        case = self.fields()["case_ref"]
        case.show_error(
            "This is not the emergency record's case reference"
            + (f" ({safe_line(was)})." if was is not None else ".")
        )

        def chosen(choice: Choice | None) -> None:
            if choice == "new":
                case.show_error("")
                summary.remove_class("-error")
                summary.update("Saving with the new case reference…")
                self.query_one("#form-save", Button).disabled = True
                self._save(details, new_case_ref=True)
            elif choice == "keep" and was is not None:
                case.text = was
                case.show_error("")
                summary.remove_class("-error")
                summary.update(
                    "The emergency record's case reference is back in the form. "
                    "Nothing has been saved yet: check it and save (ctrl+s)."
                )
                case.input.focus()
            else:
                case.input.focus()

        self.app.push_screen(CaseRefScreen(was, details.case_ref or ""), chosen)

    def _saved(self, saved: SavedRecord, details: RecordDetails) -> None:
        from sharewise.tui.record_text import record_text
        from sharewise.tui.screens.saved import SavedScreen

        text = record_text(details, self.result, self.registry, record_id=saved.id, seq=saved.seq)
        # A completion or a correction was started from Records: Done goes back there.
        from_records = bool(self.complete_target or self.amend_target)
        self.app.switch_screen(
            SavedScreen(saved, text, go_home=not from_records, back_to_records=from_records)
        )
