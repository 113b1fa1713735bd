"""Training sessions in the UI: joining one (session and trainee name), keeping each debriefed
attempt under it, and the trainer's summary screen.

The figures are the domain's (`sharewise.domain.session.summarise`), the same as
`sharewise train report` prints; this module lays them out with a table and the charts the
IG lead's screens draw (`sharewise.reports.charts`). Attempts are written to the session
file, never to the ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Label, Static

from sharewise.domain.errors import InputError, SharewiseError
from sharewise.domain.safe_text import safe_line
from sharewise.domain.session import Summary, clean_name, make_attempt, summarise
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from textual.app import App

    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.scenarios import Scenario
    from sharewise.domain.training import Debrief


class JoinSessionScreen(ModalScreen[tuple[str, str] | None]):
    """Two boxes: the session's name (as the trainer announced it) and the trainee's own.

    Dismisses with (session, trainee), both checked, or None on Escape. A session given on
    the command line (`train --session NAME`) arrives filled in.
    """

    DEFAULT_CSS = """
    JoinSessionScreen { align: center middle; }
    #join-box { width: 72; height: auto; border: thick $accent; padding: 1 2; background: $panel; }
    #join-box Input { margin-bottom: 1; }
    #join-error { color: $error; height: auto; }
    #join-buttons { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: str | None = None, trainee: str | None = None) -> None:
        super().__init__()
        self.session = session or ""
        self.trainee = trainee or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="join-box"):
            yield Static(
                "TRAINING SESSION: your answers are kept for your trainer under your name, "
                "never in the record of real decisions.",
                classes="training-banner",
            )
            yield Label("Session (as your trainer gave it)")
            yield Input(self.session, id="join-session", max_length=80)
            yield Label("Your name, as your trainer will see it")
            yield Input(self.trainee, id="join-trainee", max_length=80)
            yield Static("", id="join-error")
            with Horizontal(id="join-buttons"):
                yield Button("Join (Enter)", id="join-ok", variant="primary")
                yield Button("Cancel (Esc)", id="join-cancel")

    def on_mount(self) -> None:
        target = "#join-trainee" if self.session else "#join-session"
        self.query_one(target, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "join-session" and not self.query_one("#join-trainee", Input).value:
            self.query_one("#join-trainee", Input).focus()
            return
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "join-ok":
            self.submit()
        else:
            self.dismiss(None)

    def submit(self) -> None:
        try:
            session = clean_name(self.query_one("#join-session", Input).value, "session name")
            trainee = clean_name(self.query_one("#join-trainee", Input).value, "trainee's name")
        except InputError as exc:
            problem = exc.problems[0]
            self.query_one("#join-error", Static).update(
                Text(f"{problem.message.capitalize()}: {problem.fix}.")
            )
            return
        self.dismiss((session, trainee))

    def action_cancel(self) -> None:
        self.dismiss(None)


def keep_attempt(app: App[object], tree: CompiledTree, scenario: Scenario, d: Debrief) -> None:
    """In a session, keep the debriefed attempt in the session file (off the UI thread)."""
    session = getattr(app, "training_session", None)
    trainee = getattr(app, "trainee", None)
    if not session or not trainee:
        return
    attempt = make_attempt(tree, scenario, d, session=session, trainee=trainee)
    data_dir = getattr(app, "data_dir", None)

    def write() -> None:
        from sharewise.store.training import open_training

        try:
            open_training(data_dir).add(attempt)
        except SharewiseError as exc:
            app.call_from_thread(
                app.notify,
                f"This attempt was not kept: {exc.render()}",
                title="Training session",
                severity="error",
                timeout=12,
            )
            return
        app.call_from_thread(
            app.notify,
            f"Kept for session {safe_line(session)} as {safe_line(trainee)}.",
            title="Training session",
        )

    app.run_worker(write, thread=True, group="training-attempt", exit_on_error=False)


class SessionSummaryScreen(Screen[None]):
    """The trainer's summary of a session on this machine: per scenario, who reached the model
    decision and law; the questions answered differently, with the most common wrong answer
    and why the question is asked. `x` writes the HTML report to the exports folder."""

    in_training = True
    DEFAULT_CSS = """
    #summary-body { padding: 0 1; }
    #summary-body PlotextPlot { height: 14; margin: 1 0; }
    #summary-body .section-title { margin-top: 1; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export the report (HTML)"),
        Binding("r", "reload", "Read again"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    def __init__(self, session: str) -> None:
        super().__init__()
        self.session = session
        self.summary: Summary | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(
                "TRAINER'S SUMMARY: training only, never in the decision ledger",
                classes="training-banner",
            )
            yield Static(Text(f"Session: {safe_line(self.session)}"), id="summary-title")
            yield Static("Reading the session…", id="summary-status")
            yield Label("Scenarios", classes="section-title")
            yield Static("", id="summary-scenarios")
            yield PlotextPlot(id="summary-chart-decisions")
            yield Label("Questions answered differently from the model", classes="section-title")
            yield Static("", id="summary-questions")
            yield PlotextPlot(id="summary-chart-questions")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="session-summary")
    def _load(self) -> None:
        from sharewise.store.training import open_training

        read = open_training(sw_app(self).data_dir).read(self.session)
        summary = summarise(self.session, read.attempts)
        bad = len(read.problems)
        self.app.call_from_thread(self._show, summary, bad)

    def _show(self, s: Summary, unreadable: int) -> None:
        from textual_plotext import PlotextPlot

        from sharewise.reports.charts import terminal_bars
        from sharewise.reports.training import question_bars, scenario_bars

        self.summary = s
        status = (
            f"{len(s.trainees)} trainee(s), {s.attempts} attempt(s). Each trainee counts once "
            "per scenario, by their first attempt."
            if s.attempts
            else "No attempts in this session on this computer yet."
        )
        if unreadable:
            status += f" {unreadable} line(s) of the session file could not be read."
        if len(s.trees) > 1:
            status += " Attempts were made on more than one version of the tree."
        self.query_one("#summary-status", Static).update(Text(status))
        self.query_one("#summary-scenarios", Static).update(scenario_table(s))
        self.query_one("#summary-questions", Static).update(question_text(s))
        # textual-plotext's own type for `plt` is wider than the chart module's protocol.
        terminal_bars(
            cast(Any, self.query_one("#summary-chart-decisions", PlotextPlot).plt),
            "Reached the model decision",
            scenario_bars(s),
        )
        terminal_bars(
            cast(Any, self.query_one("#summary-chart-questions", PlotextPlot).plt),
            "Answered differently from the model",
            question_bars(s),
        )
        for plot in self.query(PlotextPlot):
            plot.refresh()

    def action_export(self) -> None:
        if self.summary is None or not self.summary.attempts:
            self.notify("Nothing to export yet.", severity="warning")
            return
        self._export(self.summary)

    @work(thread=True, exclusive=True, group="session-export")
    def _export(self, s: Summary) -> None:
        from sharewise.domain.session import session_slug
        from sharewise.private_files import write_private
        from sharewise.profile import data_folder
        from sharewise.reports.training import render

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        folder = data_folder(sw_app(self).data_dir) / "exports"
        path = folder / f"training-{session_slug(s.session)}-{stamp}.html"
        try:
            write_private(path, render(s, "html"))
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, f"Not exported: {exc.strerror}", severity="error"
            )
            return
        self.app.call_from_thread(self.notify, f"Exported to {path}", title="Report")


def scenario_table(s: Summary) -> Table:
    """Per scenario: trainees, reached the model decision and law, the model decision."""
    from sharewise.reports.training import decision_words

    table = Table(expand=True)
    table.add_column("Scenario", ratio=3)
    table.add_column("Trainees", justify="right")
    table.add_column("Reached the model decision", justify="right")
    table.add_column("Reached the model law", justify="right")
    table.add_column("Model decision", ratio=1)
    for sc in s.scenarios:
        table.add_row(
            Text(safe_line(sc.title)),
            str(sc.trainees),
            f"{sc.same_decision} of {sc.trainees}",
            f"{sc.same_law} of {sc.trainees}",
            decision_words(sc.model.decision.value),
        )
    return table


def question_text(s: Summary) -> Text:
    """The questions answered differently, most often first, with the wrong answer most
    given, the model answer and why the question is asked."""
    rows = s.questions_by_difference()
    if not rows:
        return Text("Every answer matched the model." if s.attempts else "")
    out = Text()
    for i, (sc, q) in enumerate(rows, start=1):
        wrong = q.most_common_wrong
        out.append(f"{i}. {safe_line(q.question)}\n", style="bold")
        out.append(f"   {safe_line(sc.title)}: {q.differed} of {q.answered} answered differently\n")
        if wrong is not None:
            out.append(f"   Most common wrong answer: {safe_line(wrong[0])} ({wrong[1]})\n")
        out.append(f"   The model answer: {safe_line(q.model_label or 'not set')}\n")
        out.append(f"   Why we ask: {safe_line(q.why)}\n", style="dim")
    return out


class StartSessionScreen(ModalScreen[tuple[str, list[str]] | None]):
    """The trainer starts a named session and ticks its scenarios (space), then ctrl+s.

    Dismisses with (session, chosen ids in the bank's order), or None on Escape. The
    caller keeps the choice with the session (`TrainingStore.choose`: on the organisation's
    server where there is one, else on this machine), so a trainee who joins the session
    there is offered only those scenarios.
    """

    DEFAULT_CSS = """
    StartSessionScreen { align: center middle; }
    #start-box { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                 padding: 0 1; background: $panel; }
    #start-box Input { margin-bottom: 1; }
    #start-scenarios { height: 1fr; min-height: 5; }
    #start-error { color: $error; height: auto; }
    #start-buttons { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start the session", priority=True),
    ]

    def __init__(
        self, scenarios: list[Scenario], session: str | None = None, chosen: list[str] | None = None
    ) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.session = session or ""
        self.chosen = set(chosen or [])

    def compose(self) -> ComposeResult:
        from textual.widgets import SelectionList
        from textual.widgets.selection_list import Selection

        with Vertical(id="start-box"):
            yield Static(
                "START A TRAINING SESSION: name it and tick its scenarios (space). Trainees "
                "who join it on this computer are offered only these; their answers are kept "
                "for you, never as real decisions.",
                classes="training-banner",
            )
            yield Label("Session name (tell your trainees)")
            yield Input(self.session, id="start-session", max_length=80)
            yield Label("Scenarios (↑ ↓ to move, space to tick)")
            yield SelectionList[str](
                *(
                    Selection(
                        Text(f"{safe_line(s.title)} · {safe_line(s.theme)}"),
                        s.id,
                        s.id in self.chosen,
                    )
                    for s in self.scenarios
                ),
                id="start-scenarios",
            )
            yield Static("", id="start-error")
            with Horizontal(id="start-buttons"):
                yield Button("Start (ctrl+s)", id="start-ok", variant="primary")
                yield Button("Cancel (Esc)", id="start-cancel")

    def on_mount(self) -> None:
        self.query_one("#start-session", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#start-scenarios").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start-ok":
            self.action_start()
        else:
            self.dismiss(None)

    def action_start(self) -> None:
        from textual.widgets import SelectionList

        error = self.query_one("#start-error", Static)
        try:
            session = clean_name(self.query_one("#start-session", Input).value, "session name")
        except InputError as exc:
            problem = exc.problems[0]
            error.update(Text(f"{problem.message.capitalize()}: {problem.fix}."))
            self.query_one("#start-session", Input).focus()
            return
        ticked = set(self.query_one("#start-scenarios", SelectionList).selected)
        chosen = [s.id for s in self.scenarios if s.id in ticked]
        if not chosen:
            error.update("Tick at least one scenario (space on it).")
            self.query_one("#start-scenarios").focus()
            return
        self.dismiss((session, chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
