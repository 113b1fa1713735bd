"""The outcome: the decision in one line, what it means, what to do next, and the law."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, Static

from sharewise.domain.nodes import Citations
from sharewise.domain.record import Entry
from sharewise.domain.result import DecisionResult, by_question
from sharewise.domain.words import law_sections, outcome_heading
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.law import LawPanel
from sharewise.tui.words import SETTLED, decision_class


class OutcomeScreen(Screen[bool]):
    """Dismisses with True to change an answer (back to the walk); r records the decision."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "record", "Record this decision"),
        Binding("b,escape", "change", "Change an answer"),
        Binding("e", "app.emergency", "Danger now", show=False),
    ]

    def __init__(
        self,
        result: DecisionResult,
        registry: Citations,
        record_options: dict[str, Any] | None = None,
        earlier: Entry | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        #: A reassessment: the record it reassesses, whose answers and decision are compared.
        self.earlier = earlier
        self.registry = registry
        #: For the record form: e.g. `complete_target` when this decision completes an
        #: emergency record filed earlier without one.
        self.record_options = record_options or {}

    def compose(self) -> ComposeResult:
        o = self.result.outcome
        yield Header()
        with VerticalScroll(id="outcome-body"):
            yield Static(
                Text(outcome_heading(o.decision, o.title)),
                id="outcome-decision",
                classes=decision_class(o.decision),
            )
            yield Static(Text(o.summary), id="outcome-summary")
            if self.earlier is not None and self.earlier.result is not None:
                from sharewise.domain.reassess import compare, describe

                changes = describe(compare(self.earlier.result, self.result))
                yield Label(f"Since entry {self.earlier.seq}", classes="section-title")
                yield Static(Text("\n".join(changes)), id="outcome-changes")
            with Horizontal(id="outcome-buttons"):
                yield Button("Record this decision (r)", id="outcome-record", variant="primary")
                yield Button("Change an answer (b)", id="outcome-change")
            yield Label("What to do next", classes="section-title")
            actions = "\n".join(f"{i}. {a}" for i, a in enumerate(o.actions, start=1))
            yield Static(Text(actions), id="outcome-actions")
            if o.advice_whom:
                yield Label("Who to ask, and what to ask them", classes="section-title")
                advice = "\n".join(
                    ["Ask: " + "; ".join(o.advice_whom), *(f"• {q}" for q in o.advice_ask)]
                )
                yield Static(Text(advice), id="outcome-advice")
            yield Label("The law behind it", classes="section-title")
            # Grouped by regime: Part 3 citations under its own headings, not Article 6/9.
            for label, ids in law_sections(o.law):
                yield Label(label, classes="law-group")
                panel = LawPanel(classes="law")
                panel.show(ids, self.registry)
                yield panel
            yield Label("Your answers", classes="section-title")
            # Each question once: an answer that settled two facts is one step per fact in
            # the path, and the first step's label is the answer as the person picked it.
            path = "\n".join(
                f"{i}. {s.question} — {s.label}" + (f" ({SETTLED})" if s.preset else "")
                for i, (s, *_) in enumerate(by_question(self.result.path), start=1)
            )
            yield Static(Text(path), id="outcome-path")
            t = self.result.tree
            yield Static(
                Text(f"{t.title} · version {t.version} · law as at {t.law_as_at:%d %B %Y}"),
                classes="hint",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#outcome-record", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "outcome-record":
            self.action_record()
        else:
            self.action_change()

    def action_record(self) -> None:
        from sharewise.tui.screens.record_form import RecordFormScreen

        self.app.push_screen(RecordFormScreen(self.result, self.registry, **self.record_options))

    def action_change(self) -> None:
        self.dismiss(True)
