"""`sharewise train [--scenario ID] [--plain] [--session NAME]`: training on the scenario bank,
and `train report | merge | sessions` for the trainer.

Without `--plain` it opens the terminal UI at its training screen (the UI is imported only
here, inside the handler, so no other command pays for Textual). With `--plain` the same
exercise runs on plain standard input and output for screen-reader users: choose a
scenario, read its story, answer the questions with the plain walk's own conversation, then
read the debrief. Training never writes to the ledger.

With `--session NAME` each debrief is also kept, under the trainee's name, in the session's
file (`<data dir>/training/`, see `sharewise.store.training`); `train merge` gathers the
files from other machines and `train report` summarises a session for the trainer.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sharewise.domain.exercise import Bank
    from sharewise.domain.scenarios import Scenario


def register(sub: Any) -> None:
    p = sub.add_parser("train", help="training mode: practise on scenarios, then a debrief")
    p.add_argument("--scenario", metavar="ID", help="start with this scenario (see the list)")
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain numbered questions on standard input/output (screen readers, scripts)",
    )
    p.add_argument(
        "--tree",
        metavar="PATH",
        help="the tree to use (default: England; not '-': training reads the trainee's "
        "answers there)",
    )
    p.add_argument(
        "--scenarios",
        metavar="DIR",
        help="a folder of scenario files (default: the shipped bank)",
    )
    p.add_argument(
        "--session",
        metavar="NAME",
        help="keep each trainee's attempts under this training session (see `train report`)",
    )
    p.add_argument(
        "--trainee",
        metavar="NAME",
        help="the trainee's name in the session (asked if not given)",
    )
    p.add_argument(
        "--only",
        metavar="ID,ID",
        help="offer only these scenarios (comma-separated ids): the session's chosen set",
    )
    p.set_defaults(handler=run)
    tsub = p.add_subparsers(dest="train_command", metavar="ACTION")
    report = tsub.add_parser("report", help="the trainer's summary of a session")
    report.add_argument("session", metavar="SESSION", help="the session's name")
    report.add_argument(
        "--format",
        choices=["md", "html", "csv", "json"],
        default="md",
        help="md (default), html (with charts), csv (a row per question) or json",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="write the report to this file (0600) instead of standard output; '-' writes to "
        "standard output",
    )
    report.set_defaults(handler=run_report)
    merge = tsub.add_parser(
        "merge", help="add the attempts in session files from other machines to this one's"
    )
    merge.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="session files (.jsonl) copied from other machines; not '-': name each file",
    )
    merge.add_argument(
        "--json",
        action="store_true",
        help="print what was added (attempts added, already here, sessions) as JSON",
    )
    merge.set_defaults(handler=run_merge)
    sessions = tsub.add_parser("sessions", help="the sessions kept here, with their attempts")
    sessions.add_argument(
        "--json", action="store_true", help="print each session and its attempts, as JSON"
    )
    sessions.set_defaults(handler=run_sessions)


def _bank(args: argparse.Namespace) -> Bank:
    from pathlib import Path

    from sharewise import paths
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.exercise import load_bank

    folder = Path(args.scenarios) if args.scenarios else paths.scenarios_dir()
    if not folder.is_dir():
        raise InputError(
            Problem(Location(str(folder)), "no such folder", "name a folder of scenario files")
        )
    chosen = _only(args)
    if not chosen and args.session:
        # The scenarios the trainer chose for this session (c in the UI): kept on the
        # organisation's server where there is one, else on this machine.
        from sharewise.domain.session import clean_name
        from sharewise.store.training import open_training

        session = clean_name(args.session, "session name")
        chosen = open_training(args.data_dir).chosen(session)
    return load_bank(folder).only(chosen)


def _only(args: argparse.Namespace) -> list[str]:
    return [part.strip() for part in (args.only or "").split(",") if part.strip()]


def _session_names(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The session and trainee names given, checked (a bad one is exit 2 before any screen)."""
    from sharewise.domain.session import clean_name

    session = clean_name(args.session, "session name") if args.session else None
    if args.trainee and not session:
        from sharewise.domain.errors import InputError, Location, Problem

        raise InputError(
            Problem(Location("--trainee"), "a trainee belongs to a session", "add --session NAME")
        )
    trainee = clean_name(args.trainee, "trainee's name") if args.trainee else None
    return session, trainee


def run(args: argparse.Namespace) -> int:
    from sharewise.cli.common import not_stdin

    not_stdin("--tree", args.tree, "where training reads the trainee's answers")
    session, trainee = _session_names(args)
    if args.plain:
        return run_plain(args, sys.stdin, sys.stdout)
    if args.scenario or args.only:
        bank = _bank(args)  # an unknown id is exit 2 here, not a blank screen
        if args.scenario:
            bank.find(args.scenario)
    import importlib

    tui = importlib.import_module("sharewise.tui.app")
    app = tui.create_app(args.data_dir, args.tree, training=args.scenario or "")
    if args.scenarios:
        from pathlib import Path

        app.scenarios_dir = Path(args.scenarios)
    app.training_only = _only(args)
    app.training_session = session
    app.trainee = trainee
    app.run()
    code: int = app.return_code or 0
    return code


def run_plain(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    """The whole exercise as a conversation; exit 0 after the debrief, 1 if they quit."""
    from sharewise.cli.common import load_tree_arg
    from sharewise.cli.walk_cmd import QUIT_WORDS, Emergency, PlainWalk, _Quit
    from sharewise.domain.exercise import debrief_markdown, run_debrief
    from sharewise.domain.safe_text import safe_line, safe_text

    session, trainee = _session_names(args)
    bank = _bank(args)
    tree = load_tree_arg(args.tree)
    plain = PlainWalk(tree, stdin, stdout, data_dir=args.data_dir, go_on_after_emergency=False)
    if session:
        plain.say(
            f"TRAINING SESSION {safe_line(session)}: your answers are kept for your trainer, "
            "never in the record of real decisions."
        )
    else:
        plain.say(
            "TRAINING: practice only: nothing you do here is kept (unless you save the "
            "debrief), and it is never a real decision."
        )
    try:
        if session and not trainee:
            trainee = _ask_name(plain)
        scenario = bank.find(args.scenario) if args.scenario else _choose(plain, bank)
    except _Quit:
        plain.say("Stopped.")
        return 1
    except Emergency:
        return plain.emergency()
    except EOFError:
        plain.say()
        plain.say("Stopped: input ended before a scenario was chosen.")
        return 1
    plain.say()
    plain.say(f"Scenario: {safe_line(scenario.title)}")
    plain.say(f"Theme: {safe_line(scenario.theme)}")
    plain.say()
    plain.say(safe_text(scenario.narrative.strip()))
    plain.say()
    plain.say("Answer the questions as you would if this were your case.")
    code = plain.run()
    if code != 0 or plain.stopped or plain.emergency_filed:
        return code
    d = run_debrief(tree, scenario, plain.walk.result())
    plain.say()
    stdout.write(debrief_markdown(scenario, d, tree.registry))
    stdout.flush()
    if session and trainee:
        path = save_attempt(args.data_dir, tree, scenario, d, session, trainee)
        plain.say(f"Kept for session {safe_line(session)} as {safe_line(trainee)} ({path}).")
    prompt = "\nSave this debrief as a Markdown file? (yes/no) "
    while True:
        try:
            reply = plain.ask(prompt).lower()
        except EOFError:
            return 0
        except Emergency:
            return plain.emergency()
        if reply in {"yes", "y"}:
            text = debrief_markdown(scenario, d, tree.registry)
            plain.say(f"Saved to {export_debrief(args.data_dir, scenario, text)}")
            return 0
        if reply in {"no", "n", ""} or reply in QUIT_WORDS:
            return 0
        # Said, not ignored: a reply that is neither used to end the exercise silently.
        plain.say(f"“{safe_line(reply)}” is not yes or no: type yes to save the debrief, or no.")
        prompt = "Save this debrief as a Markdown file? (yes/no) "


def _ask_name(plain: Any) -> str:
    """The trainee's name, as the trainer will see it in the report; asked until usable."""
    from sharewise.cli.walk_cmd import QUIT_WORDS, _Quit
    from sharewise.domain.errors import InputError
    from sharewise.domain.session import clean_name

    while True:
        reply = plain.ask("Your name, as your trainer will see it (or quit): ")
        if reply.strip().lower() in QUIT_WORDS:
            raise _Quit
        try:
            return clean_name(reply, "trainee's name")
        except InputError as exc:
            plain.say(f"Please type your name ({exc.problems[0].message}).")


def save_attempt(
    data_dir: str | None, tree: Any, scenario: Scenario, d: Any, session: str, trainee: str
) -> Any:
    """Keep one debriefed attempt under the session (never in the ledger); its file."""
    from sharewise.domain.session import make_attempt
    from sharewise.store.training import open_training

    attempt = make_attempt(tree, scenario, d, session=session, trainee=trainee)
    return open_training(data_dir).add(attempt)


def run_report(args: argparse.Namespace) -> int:
    """The trainer's summary; exit 2 if the session has no attempts here."""
    from sharewise.cli.common import note, output
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.session import summarise
    from sharewise.reports.training import render
    from sharewise.store.training import open_training

    store = open_training(args.data_dir)
    read = store.read(args.session)
    for problem in read.problems:
        note(f"sharewise: {problem.render()}")
    if not read.attempts:
        known = ", ".join(sorted(store.sessions())) or "none yet"
        raise InputError(
            Problem(
                Location(args.session),
                "no attempts in this session here",
                f"check the name (sessions here: {known}), or `train merge` the files first",
            )
        )
    text = render(summarise(args.session, read.attempts), args.format)
    with output(args.out, newline="" if args.format == "csv" else None) as out:
        out.write(text)
    if args.out:
        note(f"wrote the {args.format} report of {len(read.attempts)} attempts to {args.out}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    """Exit 0 when every file was read whole, 2 when a line or file was not usable."""
    from pathlib import Path

    from sharewise.cli.common import note
    from sharewise.domain.safe_text import safe_line
    from sharewise.store.training import open_training

    store = open_training(args.data_dir)
    merged = store.merge(Path(f) for f in args.files)
    for problem in merged.problems:
        note(f"sharewise: {problem.render()}")
    if args.json:
        from sharewise.cli.common import print_json

        print_json(
            {"added": merged.added, "already": merged.already, "sessions": list(merged.sessions)}
        )
    else:
        names = ", ".join(safe_line(s) for s in merged.sessions) or "-"
        print(f"added {merged.added} attempt(s) (sessions: {names}); {merged.already} already here")
    return 2 if merged.problems else 0


def run_sessions(args: argparse.Namespace) -> int:
    from sharewise.domain.safe_text import safe_line
    from sharewise.store.training import open_training

    sessions = open_training(args.data_dir).sessions()
    if args.json:
        from sharewise.cli.common import print_json

        print_json([{"session": n, "attempts": c} for n, c in sorted(sessions.items())])
        return 0
    if not sessions:
        # A message, not a session a script would read as one.
        print(
            "no training sessions here yet (start one with: sharewise train --session NAME)",
            file=sys.stderr,
        )
    for name, count in sorted(sessions.items()):
        print(f"{safe_line(name)}: {count} attempt(s)")
    return 0


def _choose(plain: Any, bank: Bank) -> Scenario:
    """Numbered scenarios (title and theme); the reply is a number."""
    from sharewise.cli.walk_cmd import QUIT_WORDS, _Quit
    from sharewise.domain.safe_text import safe_line

    plain.say("Scenarios:")
    for i, s in enumerate(bank.scenarios, start=1):
        plain.say(f"  {i}. {safe_line(s.title)} ({safe_line(s.theme)})")
    while True:
        reply = plain.ask("Choose a scenario (number, or quit): ").lower()
        if reply in QUIT_WORDS:
            raise _Quit
        if reply.isascii() and reply.isdigit() and 1 <= int(reply) <= len(bank.scenarios):
            chosen: Scenario = bank.scenarios[int(reply) - 1]
            return chosen
        plain.say(f"Please type a number from 1 to {len(bank.scenarios)}, or quit.")


def export_debrief(data_dir: str | None, scenario: Scenario, text: str) -> Any:
    """`exports/debrief-<id>-<time>.md` in the data folder, 0600."""
    import datetime as dt

    from sharewise.private_files import write_private
    from sharewise.profile import data_folder

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return write_private(
        data_folder(data_dir) / "exports" / f"debrief-{scenario.id}-{stamp}.md", text
    )
