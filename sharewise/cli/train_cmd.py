"""`sharewise train [--scenario ID] [--plain]`: training on the shipped scenario bank.

Without `--plain` it opens the terminal UI at its training screen (the UI is imported only
here, inside the handler, so no other command pays for Textual). With `--plain` the same
exercise runs on plain standard input and output for screen-reader users: choose a
scenario, read its story, answer the questions with the plain walk's own conversation, then
read the debrief. Training never writes to the ledger.
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
    p.set_defaults(handler=run)


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
    return load_bank(folder)


def run(args: argparse.Namespace) -> int:
    from sharewise.cli.common import not_stdin

    not_stdin("--tree", args.tree, "where training reads the trainee's answers")
    if args.plain:
        return run_plain(args, sys.stdin, sys.stdout)
    if args.scenario:
        _bank(args).find(args.scenario)  # an unknown id is exit 2 here, not a blank screen
    import importlib

    tui = importlib.import_module("sharewise.tui.app")
    app = tui.create_app(args.data_dir, args.tree, training=args.scenario or "")
    if args.scenarios:
        from pathlib import Path

        app.scenarios_dir = Path(args.scenarios)
    app.run()
    code: int = app.return_code or 0
    return code


def run_plain(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    """The whole exercise as a conversation; exit 0 after the debrief, 1 if they quit."""
    from sharewise.cli.common import load_tree_arg
    from sharewise.cli.walk_cmd import QUIT_WORDS, PlainWalk, _Quit
    from sharewise.domain.exercise import debrief_markdown, run_debrief
    from sharewise.domain.safe_text import safe_line, safe_text

    bank = _bank(args)
    tree = load_tree_arg(args.tree)
    plain = PlainWalk(tree, stdin, stdout)
    plain.say("TRAINING: nothing you do here is recorded.")
    try:
        scenario = bank.find(args.scenario) if args.scenario else _choose(plain, bank)
    except _Quit:
        plain.say("Stopped.")
        return 1
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
    if code != 0:
        return code
    d = run_debrief(tree, scenario, plain.walk.result())
    plain.say()
    stdout.write(debrief_markdown(scenario, d, tree.registry))
    stdout.flush()
    try:
        reply = plain.ask("\nSave this debrief as a Markdown file? (yes/no) ").lower()
    except EOFError:
        return 0
    if reply in {"yes", "y"}:
        path = export_debrief(args.data_dir, scenario, debrief_markdown(scenario, d, tree.registry))
        plain.say(f"Saved to {path}")
    elif reply in QUIT_WORDS:
        return 0
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
        if reply.isdigit() and 1 <= int(reply) <= len(bank.scenarios):
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
