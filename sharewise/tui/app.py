"""The app: wiring only. One factory (`create_app`) serves the CLI, `serve` and the tests."""

from __future__ import annotations

import argparse
import contextlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from sharewise.tui.ledger import DATABASE_URL_ENV, LedgerStore, RecordStore
from sharewise.tui.themes import HIGH_CONTRAST, THEMES
from sharewise.tui.type_ahead import TypeAhead

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree


class SharewiseApp(App[int]):
    """Holds the tree, the record store and the navigation between screens."""

    CSS_PATH = "app.tcss"
    TITLE = "sharewise"
    SUB_TITLE = "Can I share this? A guided decision and a record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "emergency", "Danger now", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Only for a login that may read several organisations' registers (check_action).
        Binding("ctrl+o", "choose_org", "Organisation"),
    ]

    def __init__(
        self,
        tree_path: str | None,
        store: RecordStore,
        theme: str = "default",
        data_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.tree_path = tree_path
        self.store = store
        self.data_dir = data_dir
        #: Set by `sharewise train`: open training at start ("" for the list, or a scenario id).
        self.start_training: str | None = None
        #: A trainer's own folder of scenario files (`train --scenarios DIR`); None: shipped.
        self.scenarios_dir: Path | None = None
        #: A training session's chosen scenarios (`train --only`); empty: the whole bank.
        self.training_only: list[str] = []
        #: The training session joined, and the trainee's name in it: each debrief is then
        #: kept in the session file (never the ledger). See screens/session.py.
        self.training_session: str | None = None
        self.trainee: str | None = None
        self.decision_tree: CompiledTree | None = None
        self.tree_error: str | None = None
        #: Settled answers (organisation and role facts) from the data folder's settings
        #: file, read with the tree; a walk answers those questions without asking them.
        self.settings: dict[str, str] = {}
        #: Why the settings file could not be used (the walk then asks every question).
        self.settings_error: str | None = None
        #: "Start a decision" was chosen before the tree finished loading.
        self.walk_pending = False
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES.get(theme, theme)
        #: The practitioner's own details (name, role, organisation): loaded from the profile
        #: file in a worker after the first paint, remembered there when a record is saved.
        self.practitioner: dict[str, str] = {}
        #: Keys typed ahead go to the screen and field they were typed for (type_ahead.py);
        #: a walk asked for while the tree loads opens before the keys typed after it.
        self.type_ahead = TypeAhead(self, super().on_event, wait=lambda: self.walk_pending)
        if isinstance(store, LedgerStore) and store.on_wait is None:
            store.on_wait = self.ledger_waiting
        # A browser session of `sharewise serve --user-header` acts for the signed-in person:
        # the header says whose session this is, so that nobody files under another's.
        signed_in = os.environ.get("SHAREWISE_SIGNED_IN_AS")
        self.signed_in = signed_in or None
        #: On the shared ledger: the organisations whose registers this login may read (the
        #: database's answer, read after the first paint), the one read now and its own.
        self.organisations: list[str] = []
        self.reading_org: str | None = None
        self.home_org: str | None = None
        self._show_whose()

    def _show_whose(self) -> None:
        """The header's second part: whose session this is and, for a login that may read
        several organisations, whose register it is reading."""
        from sharewise.domain.safe_text import safe_line

        parts = []
        if self.signed_in:
            parts.append(f"signed in as {safe_line(self.signed_in)}")
        if len(self.organisations) > 1 and self.reading_org:
            parts.append(f"reading {safe_line(self.reading_org)}'s register")
        if parts:
            self.sub_title = " · ".join(parts)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.type_ahead.take(event)  # from the terminal: in turn (type_ahead.py)
        else:
            await super().on_event(event)

    def ledger_waiting(self) -> None:
        """The store waits for another program's write lock: say so on screen.

        Called on the worker thread that is saving; the store's own message goes to stderr,
        which would scribble over the screen, so the notification is posted to the app.
        """
        message = "Waiting for the ledger: another program is writing to it…"
        if threading.get_ident() == self._thread_id:
            self.notify(message, title="Please wait", timeout=8)
        else:
            self.call_from_thread(self.notify, message, title="Please wait", timeout=8)

    def on_mount(self) -> None:
        from sharewise.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start_training is not None:
            # `sharewise train [--scenario ID]`: straight to training, home underneath.
            self.action_training(self.start_training or None)
        # After the first paint: the load holds the GIL for a while (networkx import, YAML,
        # validation) and would otherwise delay the screen the person is waiting to see.
        self.call_after_refresh(self._load_tree)
        self.call_after_refresh(self._load_profile)
        if os.environ.get(DATABASE_URL_ENV) and isinstance(self.store, LedgerStore):
            self.call_after_refresh(self._load_organisations)
        if not self.is_headless and _has_terminal():
            self.set_interval(self.TERMINAL_CHECK_SECONDS, self._exit_if_terminal_gone)

    #: How often to check that the terminal is still there (see `_exit_if_terminal_gone`).
    TERMINAL_CHECK_SECONDS: ClassVar[float] = 2.0

    def _exit_if_terminal_gone(self) -> None:
        """Quit once the terminal has gone (its window closed, its ssh session dropped).

        Started under another program (`make run`, a wrapper script) the app may not get the
        hang-up signal, and Textual's input thread then spins on the dead terminal, using a
        core until someone kills it. Nothing is lost by quitting: records are saved as they
        are made, and an unsaved form is gone with the window either way.
        """
        if not _has_terminal():
            self.exit(return_code=1)

    @work(thread=True, exclusive=True, group="tree")
    def _load_tree(self) -> None:
        """Loading and validating a tree reads files and builds a graph: off the UI thread.

        The settings are read here too, so that a walk never starts before them: a walk that
        began without them would ask questions the organisation has already answered.
        """
        from sharewise.domain import graph
        from sharewise.domain.errors import SharewiseError

        try:
            tree, error = graph.load_named_tree(self.tree_path), None
        except SharewiseError as exc:
            tree, error = None, exc.render()
        settings, settings_error = read_settings(self.data_dir)
        self.call_from_thread(self._tree_ready, tree, error, settings, settings_error)

    def _tree_ready(
        self,
        tree: CompiledTree | None,
        error: str | None,
        settings: dict[str, str],
        settings_error: str | None,
    ) -> None:
        from sharewise.tui.screens.home import TreeStatus

        self.decision_tree, self.tree_error = tree, error
        self.settings, self.settings_error = settings, settings_error
        for screen in self.screen_stack:
            screen.post_message(TreeStatus(error, settings_error))
        if self.walk_pending:
            self.walk_pending = False
            self.action_start_walk()

    @work(thread=True, exclusive=True, group="profile")
    def _load_profile(self) -> None:
        """The remembered name, role and organisation (a small file, but still disk)."""
        from sharewise.profile import load_profile

        found = load_profile(self.data_dir)
        self.call_from_thread(self._profile_ready, found)

    def _profile_ready(self, found: dict[str, str]) -> None:
        # Details typed in this session before the file was read win over the file.
        remembered = {f"practitioner.{k}": v for k, v in found.items()}
        self.practitioner = {**remembered, **self.practitioner}

    @work(thread=True, exclusive=True, group="organisations")
    def _load_organisations(self) -> None:
        """Which registers this login may read (the row policies decide): a partnership IG
        lead's choice of organisation (ctrl+o). A failure here is the screens' to report."""
        from sharewise.domain.errors import SharewiseError

        assert isinstance(self.store, LedgerStore)
        try:
            found = self.store.organisations()
        except SharewiseError:
            return
        self.call_from_thread(self._organisations_ready, *found)

    def _organisations_ready(self, names: list[str], reading: str | None, home: str | None) -> None:
        self.organisations, self.reading_org, self.home_org = names, reading, home
        self._show_whose()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose_org":
            return len(self.organisations) > 1
        return True

    def action_choose_org(self) -> None:
        from sharewise.tui.screens.organisation import OrganisationScreen

        if len(self.organisations) < 2 or isinstance(self.screen, OrganisationScreen):
            return
        self.push_screen(
            OrganisationScreen(self.organisations, self.reading_org, self.home_org),
            self._organisation_chosen,
        )

    def _organisation_chosen(self, name: str | None) -> None:
        """Read `name`'s register from now on, in this session (new records still go to
        the login's own organisation); the screen on top reads again."""
        if name is None or name == self.reading_org or not isinstance(self.store, LedgerStore):
            return
        self.store.org = name
        self.reading_org = name
        self._show_whose()
        own = f" New records still go to {self.home_org}'s." if name != self.home_org else ""
        self.notify(f"Reading {name}'s register.{own}", title="Organisation")
        reload = getattr(self.screen, "action_reload", None)
        if callable(reload):
            reload()

    def remember_practitioner(self, name: str, role: str, organisation: str) -> None:
        """Keep the details in the profile file for the next session (the screens keep
        `practitioner` for this one).

        Call on a worker thread (it writes a file); a failure to write only loses the
        convenience, so it is not allowed to get in the way of the record just saved.
        """
        from sharewise.profile import save_profile

        details = {"name": name, "role": role, "organisation": organisation}
        with contextlib.suppress(OSError):
            save_profile(self.data_dir, details)

    def action_forget_me(self) -> None:
        self._forget_me()

    @work(thread=True, exclusive=True, group="profile")
    def _forget_me(self) -> None:
        from sharewise.profile import forget_profile

        try:
            forget_profile(self.data_dir)
        except OSError:
            self.call_from_thread(
                self.notify, "Your details could not be removed.", severity="error"
            )
            return
        self.call_from_thread(self._forgotten)

    def _forgotten(self) -> None:
        self.practitioner = {}
        self.notify(
            "Your name, role and organisation are no longer remembered on this computer.",
            title="Forgotten",
        )

    def go_home(self) -> None:
        """Back to the home screen from any depth (after a record, or on leaving a walk)."""
        from sharewise.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_start_walk(self) -> None:
        from sharewise.tui.screens import navigate

        navigate.start_walk(self)

    def action_emergency(self) -> None:
        from sharewise.tui.screens import navigate

        navigate.emergency(self)

    def action_records(self) -> None:
        from sharewise.tui.screens.records import RecordsScreen

        self.push_screen(RecordsScreen())

    def action_dashboard(self) -> None:
        from sharewise.tui.screens.dashboard import DashboardScreen

        if not isinstance(self.screen, DashboardScreen):
            self.push_screen(DashboardScreen())

    def action_settings(self) -> None:
        from sharewise.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def settings_saved(self, settings: dict[str, str]) -> None:
        """The Settings screen wrote the file: walks started from now on use these."""
        from sharewise.tui.screens.home import TreeStatus

        self.settings, self.settings_error = dict(settings), None
        for screen in self.screen_stack:
            screen.post_message(TreeStatus(self.tree_error, None))

    def action_training(self, open_id: str | None = None) -> None:
        from sharewise.tui.screens.training import TrainingScreen

        self.push_screen(TrainingScreen(open_id))

    def action_help(self) -> None:
        from sharewise.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_use_theme(self, name: str) -> None:
        self.theme = THEMES.get(name, name)
        if name in THEMES:
            self._remember_theme(name)

    @work(thread=True, exclusive=True, group="theme")
    def _remember_theme(self, name: str) -> None:
        """Kept for the next start; failing to write loses only the convenience."""
        from sharewise.tui.themes import save_theme

        with contextlib.suppress(OSError):
            save_theme(self.data_dir, name)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The main actions in the command palette (ctrl+p), beside Textual's own."""
        yield SystemCommand("Start a decision", "Walk the questions", self.action_start_walk)
        yield SystemCommand(
            "Someone is in danger now", "Act now, then record", self.action_emergency
        )
        yield SystemCommand("Records", "The decisions recorded here", self.action_records)
        yield SystemCommand(
            "Dashboard",
            "For IG leads: the figures of a period as charts, each opening its records",
            self.action_dashboard,
        )
        yield SystemCommand("Training", "Practise on scenarios", self.action_training)
        yield SystemCommand(
            "Settings",
            "Answers settled for every case (who shares, policy document, care role); forget me",
            self.action_settings,
        )
        if len(self.organisations) > 1:
            yield SystemCommand(
                "Organisation",
                "Which organisation's register to read (new records go to your own)",
                self.action_choose_org,
            )
        yield SystemCommand("Help", "Keys and screens", self.action_help)
        yield SystemCommand(
            "Forget me",
            "Stop remembering your name, role and organisation on this computer",
            self.action_forget_me,
        )
        for label, name in (
            ("default", "default"),
            ("light", "light"),
            ("high contrast", "high-contrast"),
        ):
            yield SystemCommand(
                f"Theme: {label}", f"Use the {label} theme", lambda n=name: self.action_use_theme(n)
            )
        yield from super().get_system_commands(screen)


#: The settings file's name (`settings.FILE_NAME`, held equal by a test): with none in the
#: data folder, the UI does not import the settings module or define its model (0.4 MiB).
SETTINGS_FILE = "settings.yaml"


def read_settings(data_dir: Path | None) -> tuple[dict[str, str], str | None]:
    """(settled answers, None), or ({}, why not): a broken file must not stop a walk, but
    the person must be told that every question will be asked."""
    from sharewise import paths
    from sharewise.domain.errors import SharewiseError
    from sharewise.profile import data_folder

    try:
        folder = data_folder(data_dir)
        if not (folder / SETTINGS_FILE).exists():
            # As load_settings says, without its model or the vocabulary's (pydantic): the
            # running UI imports pydantic only once a result is built.
            return {}, None
        from sharewise.domain.model_cache import settled_answers

        # Checked once per file (and vocabulary), then remembered: no PyYAML or pydantic.
        return settled_answers(folder / SETTINGS_FILE, paths.facts_path()), None
    except SharewiseError as exc:
        return {}, exc.render()
    except OSError as exc:
        return {}, f"{exc.filename or 'settings.yaml'}: {exc.strerror or exc}"


def create_app(
    data_dir: str | os.PathLike[str] | None,
    tree_path: str | None = None,
    *,
    store: RecordStore | None = None,
    theme: str | None = None,
    training: str | None = None,
) -> SharewiseApp:
    """The one way to build the app: the CLI, `sharewise serve` and the tests all call this.

    `training` opens the training screen at start: "" for the scenario list, or an id.
    """
    from sharewise.tui.themes import load_theme

    folder = Path(data_dir) if data_dir else None
    chosen = theme or os.environ.get("SHAREWISE_THEME") or load_theme(folder) or "default"
    app = SharewiseApp(tree_path, store or LedgerStore(folder), chosen, data_dir=folder)
    app.start_training = training
    return app


def _has_terminal() -> bool:
    """Whether standard input is still a terminal (it stops being one on hang-up)."""
    return os.isatty(0)


def run(args: argparse.Namespace) -> int:
    """`sharewise` with no command: open the UI."""
    tree = getattr(args, "tree", None) or os.environ.get("SHAREWISE_TREE")
    app = create_app(args.data_dir, tree, theme=getattr(args, "theme", None))
    app.run()
    return app.return_code or 0
