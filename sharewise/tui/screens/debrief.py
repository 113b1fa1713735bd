"""The debrief after an exercise: the trainee's path against the model path, and the law.

Everything shown is computed by the domain (`training.debrief`); this screen lays it out
and exports the same Markdown that `sharewise train --plain` prints.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, Static

from sharewise.domain.exercise import debrief_markdown, decision_line, verdict
from sharewise.domain.nodes import Citations
from sharewise.domain.safe_text import safe_line
from sharewise.domain.scenarios import Scenario
from sharewise.domain.training import AnswerCheck, Debrief
from sharewise.domain.words import law_sections
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter
from sharewise.tui.widgets.law import LawPanel
from sharewise.tui.words import session_names, training_kept


class DebriefScreen(Screen[str]):
    """Dismisses with "change" (back to the last question), "again" or "done"."""

    in_training = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export as Markdown"),
        Binding("a", "again", "Try again"),
        Binding("b", "change", "Change the last answer"),
        Binding("escape,d", "done", "Other scenarios"),
    ]

    def __init__(self, scenario: Scenario, debrief: Debrief, registry: Citations | None) -> None:
        super().__init__()
        self.scenario = scenario
        self.debrief = debrief
        self.registry = registry

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Header()
        with VerticalScroll(id="debrief-body"):
            session, trainee = session_names(self)
            yield Static(
                Text("TRAINING DEBRIEF: " + training_kept(session, trainee)),
                id="debrief-banner",
                classes="training-banner",
            )
            yield Static(Text(f"Debrief: {safe_line(self.scenario.title)}"), id="debrief-title")
            yield Static(
                Text(verdict(d)),
                id="debrief-verdict",
                classes="-same" if d.same_outcome else "-different",
            )
            yield Static(
                Text(
                    f"Your outcome:  {decision_line(d.trainee)}\n"
                    f"Model outcome: {decision_line(d.model)}"
                ),
                id="debrief-outcomes",
            )
            with Horizontal(id="debrief-buttons"):
                yield Button("Export as Markdown (x)", id="debrief-export", variant="primary")
                yield Button("Try again (a)", id="debrief-again")
                yield Button("Other scenarios (Esc)", id="debrief-done")
            yield Static("", id="debrief-status")
            yield Label(
                f"Your answers: {d.correct_count} of {len(d.answers)} match the scenario",
                classes="section-title",
            )
            yield Static(self._answers(), id="debrief-answers")
            first = d.first_divergence
            if first is not None:
                yield Label("Where you first went a different way", classes="section-title")
                number = d.answers.index(first) + 1
                yield Static(
                    Text(f"Question {number}: {safe_line(first.question)}"),
                    id="debrief-divergence",
                )
                yield Static(self._why_right(first), id="debrief-why")
            if d.missed:
                yield Label(
                    "Questions on the model path you never reached", classes="section-title"
                )
                yield Static(
                    Text("\n".join(f"• {safe_line(q)}" for q in d.missed)), id="debrief-missed"
                )
            yield Label("The law behind the model outcome", classes="section-title")
            law = d.model.outcome.law
            registry = self.registry
            sections = law_sections(law) if registry is not None else []
            for label, ids in sections:
                assert registry is not None
                yield Label(label, classes="law-group")
                panel = LawPanel(classes="law")
                panel.show(ids, registry)
                yield panel
            for title, ids, key in (
                ("Cited by the model, not by your outcome", d.citations_missed, "missing"),
                ("Cited by your outcome, not by the model", d.citations_extra, "extra"),
            ):
                if ids:
                    yield Label(title, classes="section-title")
                    yield Static(self._titles(ids), id=f"debrief-cited-{key}")
            if d.learning_points:
                yield Label("Learning points", classes="section-title")
                yield Static(
                    Text("\n".join(f"• {safe_line(p)}" for p in d.learning_points)),
                    id="debrief-points",
                )
        yield KeysFooter()

    def _answers(self) -> Table:
        """One row per question; a grid keeps long questions and answers (a paired answer
        runs to two lines) wrapping under their own text, clear of the marks and numbers."""
        answers = self.debrief.answers
        out = Table.grid(padding=(0, 1))
        out.add_column(width=9, no_wrap=True)
        out.add_column(width=len(f"{len(answers)}."), no_wrap=True, justify="right")
        out.add_column(ratio=1)
        for i, a in enumerate(answers, start=1):
            # The mark is spelled out as well as coloured, for NO_COLOR and colour blindness.
            mark = (
                Text("✓ right", style="bold green")
                if a.correct
                else Text("✗ DIFFERS", style="bold red")
            )
            out.add_row(
                mark, Text(f"{i}.", style="bold"), Text(safe_line(a.question), style="bold")
            )
            given = Table.grid(padding=(0, 1))
            given.add_column(width=len("scenario:"), justify="right")
            given.add_column(ratio=1)
            given.add_row("you:", Text(safe_line(a.given_label)))
            if not a.correct:
                expected = a.expected_label or "(the scenario does not say)"
                given.add_row("scenario:", Text(safe_line(expected)))
                if a.why:
                    given.add_row("why:", Text(safe_line(a.why), style="dim"))
                if a.turns_on:
                    given.add_row("law:", Text(self._names(a.turns_on), style="dim"))
            out.add_row("", "", given)
        return out

    def _names(self, ids: tuple[str, ...] | list[str]) -> str:
        """Citation titles, in one line: the law an answer turns on."""
        found = [self.registry.get(c) if self.registry is not None else None for c in ids]
        return "; ".join(
            safe_line(c.title) if c else cid for c, cid in zip(found, ids, strict=True)
        )

    def _why_right(self, a: AnswerCheck) -> Text:
        """Why the model answer is right at the first difference: why the question is asked
        and the law the answer turns on, for the trainer to talk through."""
        out = Text()
        out.append("The scenario's answer: ", style="bold")
        out.append(safe_line(a.expected_label or "(the scenario does not say)"))
        if a.why:
            out.append("\nWhy we ask: ", style="bold")
            out.append(safe_line(a.why))
        if a.turns_on:
            out.append("\nThe law it turns on: ", style="bold")
            out.append(self._names(a.turns_on))
        return out

    def _titles(self, ids: list[str]) -> Text:
        out = Text()
        for cid in ids:
            c = self.registry.get(cid) if self.registry is not None else None
            out.append(f"• {safe_line(c.title) if c else cid}  ")
            out.append(f"[{cid}]\n", style="dim")
        return out

    def on_mount(self) -> None:
        self.query_one("#debrief-export", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {
            "debrief-export": self.action_export,
            "debrief-again": self.action_again,
        }.get(event.button.id or "", self.action_done)()

    def action_again(self) -> None:
        self.dismiss("again")

    def action_change(self) -> None:
        self.dismiss("change")

    def action_done(self) -> None:
        self.dismiss("done")

    def markdown(self) -> str:
        return debrief_markdown(self.scenario, self.debrief, self.registry)

    def action_export(self) -> None:
        self._status("Exporting…")
        self._export(self.markdown())

    @work(thread=True, exclusive=True, group="export")
    def _export(self, text: str) -> None:
        """A file in the data folder's exports/ (0600): a debrief can hold a trainee's answers."""
        from sharewise.private_files import write_private
        from sharewise.tui.ledger import exports_dir

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = exports_dir(sw_app(self).data_dir) / f"debrief-{self.scenario.id}-{stamp}.md"
        try:
            written = write_private(path, text)
        except OSError as exc:
            self.app.call_from_thread(self._status, f"Not exported: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._exported, written)

    def _exported(self, path: Path) -> None:
        self._status(f"Exported to {path}")

    def _status(self, message: str) -> None:
        self.query_one("#debrief-status", Static).update(Text(message))
