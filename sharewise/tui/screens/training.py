"""Training: choose a scenario from the bank (title and theme); nothing here is written to
the ledger. In a training session (n, or `train --session`), each debrief is kept under the
trainee's name for the trainer's summary (s)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from sharewise.domain.errors import SharewiseError
from sharewise.domain.safe_text import safe_line
from sharewise.tui.context import sw_app
from sharewise.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from sharewise.domain.exercise import Bank
    from sharewise.domain.scenarios import Scenario

INTRO = (
    "TRAINING: practise on worked scenarios. Read the story, answer the questions as you "
    "would at work, then compare your answers with the model path and the law. Nothing you "
    "do in training is recorded as a decision; in a training session your answers are kept, "
    "under your name, for your trainer."
)


class TrainingScreen(Screen[None]):
    """The scenario bank as a list; Enter opens one. Given `open_id`, opens that one at once
    (what `sharewise train --scenario ID` asks for)."""

    in_training = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back"),
        # Short words, so that every key fits at 80 columns; the session line says more.
        Binding("n", "join", "Join"),
        Binding("s", "summary", "Summary"),
        Binding("c", "start_session", "New session"),
    ]

    def __init__(self, open_id: str | None = None) -> None:
        super().__init__()
        self.open_id = open_id
        self.scenarios: list[Scenario] = []
        #: The whole bank, before a session's choice narrows it (what a trainer picks from).
        self.bank: list[Scenario] = []
        #: The scenarios the trainer chose for the session joined here ([]: the whole bank).
        self.session_set: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="training-body"):
            yield Static(INTRO, id="training-intro")
            yield Static("", id="training-session")
            yield Static("Loading the scenarios…", id="training-status")
            yield OptionList(id="training-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._load()
        app = sw_app(self)
        if app.training_session and not app.trainee:
            self.action_join()

    def action_join(self) -> None:
        """Join a session (or change name): its attempts are kept under the trainee's name."""
        from sharewise.tui.screens.session import JoinSessionScreen

        app = sw_app(self)

        def joined(names: tuple[str, str] | None) -> None:
            if names is not None:
                app.training_session, app.trainee = names
                self._show_session()
                self._load()  # the session may have its own scenarios

        self.app.push_screen(JoinSessionScreen(app.training_session, app.trainee), joined)

    def action_start_session(self) -> None:
        """The trainer names a session and chooses its scenarios, kept on this computer so
        that trainees who join it here are offered only those."""
        from sharewise.tui.screens.session import StartSessionScreen

        app = sw_app(self)

        def started(choice: tuple[str, list[str]] | None) -> None:
            if choice is not None:
                self._keep_set(*choice)

        # The session's own choice ticked again; a new session starts with none ticked.
        self.app.push_screen(
            StartSessionScreen(self.bank, app.training_session, self.session_set), started
        )

    @work(thread=True, exclusive=True, group="session-set")
    def _keep_set(self, session: str, ids: list[str]) -> None:
        from sharewise.store.training import open_training

        try:
            open_training(sw_app(self).data_dir).choose(session, ids)
        except SharewiseError as exc:
            self.app.call_from_thread(
                self.notify, f"The session was not started: {exc.render()}", severity="error"
            )
            return
        self.app.call_from_thread(self._started, session, len(ids))

    def _started(self, session: str, count: int) -> None:
        app = sw_app(self)
        app.training_session, app.trainee = session, None
        self.notify(
            f"Session {safe_line(session)} started with {count} scenario(s). Each trainee "
            "presses n and gives their name.",
            title="Training session",
        )
        self._load()

    def action_summary(self) -> None:
        """The trainer's summary of the session joined here (or asks which session)."""
        from sharewise.tui.screens.session import SessionSummaryScreen

        app = sw_app(self)
        if app.training_session:
            self.app.push_screen(SessionSummaryScreen(app.training_session))
        else:
            self.notify("Join a session first (n): the summary is of one session.")

    def _show_session(self) -> None:
        app = sw_app(self)
        line = self.query_one("#training-session", Static)
        if app.training_session and app.trainee:
            line.update(
                Text(
                    f"Session: {safe_line(app.training_session)} · you are "
                    f"{safe_line(app.trainee)} · your attempts are kept for the trainer "
                    "(n to change, s for the summary)"
                )
            )
        elif app.training_session:
            line.update(
                Text(
                    f"Session: {safe_line(app.training_session)} · n to give your name, so "
                    "your attempts are kept for the trainer · s for the summary"
                )
            )
        else:
            line.update(
                Text(
                    "Not in a session: n joins one, so your trainer sees your answers; "
                    "c starts one (trainers)."
                )
            )

    @work(thread=True, exclusive=True, group="scenarios")
    def _load(self) -> None:
        """Reading and validating thirty YAML files: off the UI thread."""
        from sharewise import paths
        from sharewise.domain.exercise import load_bank

        folder = getattr(self.app, "scenarios_dir", None) or paths.scenarios_dir()
        whole = load_bank(folder)
        bank, chosen = whole, []
        try:
            # `train --only` first; else the scenarios the trainer chose for the session.
            chosen = list(getattr(self.app, "training_only", []))
            session = getattr(self.app, "training_session", None)
            if not chosen and session:
                from sharewise.store.training import open_training

                chosen = open_training(getattr(self.app, "data_dir", None)).chosen(session)
            bank = whole.only(chosen)
        except SharewiseError as exc:  # a broken kept choice, or the server unreachable
            bank.problems.append(exc.render())
        self.app.call_from_thread(self._show, bank, whole.scenarios, chosen)

    def _show(self, bank: Bank, whole: list[Scenario], chosen: list[str]) -> None:
        self.bank, self.session_set = whole, chosen
        self._show_session()
        self.scenarios = bank.scenarios
        options = self.query_one("#training-list", OptionList)
        options.clear_options()
        for s in bank.scenarios:
            line = Text()
            line.append(safe_line(s.title), style="bold")
            line.append(f"\n  {safe_line(s.theme)}", style="dim")
            options.add_option(Option(line, id=s.id))
        status = f"{len(bank.scenarios)} scenarios"
        if chosen and len(bank.scenarios) < len(whole):
            status += f" (chosen for this session, of {len(whole)})"
        status += ". ↑ ↓ to choose, Enter to read one."
        if bank.problems:
            status += f" {len(bank.problems)} file(s) could not be read: " + "; ".join(
                safe_line(p) for p in bank.problems[:3]
            )
        self.query_one("#training-status", Static).update(Text(status))
        options.highlighted = 0 if bank.scenarios else None
        options.focus()
        if self.open_id is not None:
            wanted, self.open_id = self.open_id, None
            found = [s for s in bank.scenarios if s.id == wanted]
            if found:
                self.open(found[0])
            else:
                self.notify(f"No scenario “{safe_line(wanted)}” here.", severity="warning")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open(self.scenarios[event.option_index])

    def open(self, scenario: Scenario) -> None:
        from sharewise.tui.screens.scenario_brief import BriefScreen

        self.app.push_screen(BriefScreen(scenario))
