"""The `sharewise` command line: argparse wiring; each command group lives in its own module.

Heavy modules (Textual, networkx, the store) are imported inside the handlers, never here, so
that `sharewise --version` stays fast and no CLI command pulls in the UI toolkit. `--version`
alone is answered before even argparse and the command modules are imported (they cost more
than the interpreter's own start; see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys

from sharewise import __version__

# typing.TYPE_CHECKING without importing typing, which alone costs about as much as the
# interpreter's start; mypy treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    Handler = Callable[[argparse.Namespace], int]

# Each module here exposes `register(subparsers)`. Adding a command group is one line.
COMMAND_MODULES: tuple[str, ...] = (
    "sharewise.cli.decide_cmd",
    "sharewise.cli.tree_cmd",
    "sharewise.cli.walk_cmd",
    "sharewise.cli.serve_cmd",
    "sharewise.cli.records_cmd",
    "sharewise.cli.audit_cmd",
    "sharewise.cli.db_cmd",
    "sharewise.cli.settings_cmd",
    "sharewise.cli.scenarios_cmd",
    "sharewise.cli.train_cmd",
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; used by `main` and by the tests.

    Given the `command` about to run, only its module (`sharewise.cli.<command>_cmd`) is
    imported: the others cost more than a command's own start-up. An empty `command` (no
    arguments at all: the UI is opening) builds none. Without one, or when no module
    registers that name, every command is built, exactly as before.
    """
    import argparse

    parser = _safe_parser_class()(
        prog="sharewise",
        description="Decide lawfully whether to share safeguarding information, and record why.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sharewise {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=os.environ.get("SHAREWISE_DATA_DIR"),
        help=DATA_DIR_HELP,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    own = f"sharewise.cli.{command}_cmd"
    modules = () if command == "" else (own,) if own in COMMAND_MODULES else COMMAND_MODULES
    for name in modules:
        module = importlib.import_module(name)
        module.register(sub)
    if len(modules) == 1 and command not in sub.choices:
        return build_parser()
    for leaf, summary in _leaves(sub):
        _conventions(leaf, summary)
    return parser


DATA_DIR_HELP = "where records are kept (default: the user data folder; env SHAREWISE_DATA_DIR)"

#: What `--help` says about exit codes, for the program and (unless a command says more
#: about code 1) for every command.
EXIT_CODES = """\
exit codes:
  0    done
  1    a check found a problem (verify: the ledger was altered; scenarios check: a
       mismatch; tree diff: something changed; records replay: a record would be
       decided differently, in its decision, outcome or law cited)
  2    bad input: an unknown fact or value, a missing or unreadable file, an invalid
       tree; one line naming the file, the place and the fix
  3    the ledger could not be opened, read or written (locked, full disk)
  130  interrupted
"""


def _leaves(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> list[tuple[argparse.ArgumentParser, str | None]]:
    """Every parser that runs a command, with the line its parent's help gives it: the
    subcommands of subcommands, all the way down, and a group that runs a command of its
    own as well (`train`, and `train report`)."""
    import argparse

    summaries = {choice.dest: choice.help for choice in sub._choices_actions}
    found: list[tuple[argparse.ArgumentParser, str | None]] = []
    for name, parser in sub.choices.items():
        if any(parser is seen for seen, _ in found):
            continue  # an alias repeats a parser
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        runs = not nested or parser.get_default("handler") is not None
        found += [(parser, summaries.get(name))] if runs else []
        found += [leaf for action in nested for leaf in _leaves(action)]
    return found


def _conventions(parser: argparse.ArgumentParser, summary: str | None) -> None:
    """What every command shares: `--help` opens with what it does (the line the command
    list gives it) and ends with its exit codes; `--data-dir` is accepted after the command
    as well as before it (without replacing a value given before it)."""
    import argparse

    if parser.description is None and summary:
        parser.description = summary[:1].upper() + summary[1:] + "."

    if "--data-dir" not in parser._option_string_actions:
        parser.add_argument(
            "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP
        )
    if parser.epilog is None:
        from sharewise.cli.common import exit_codes

        parser.epilog = exit_codes()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


#: Set by `main` when the command line asks for `--json`: every failure, a usage error
#: included, is then one JSON object on stderr, so that a script reads them all one way.
_json_errors = False


def print_json_error(error: dict[str, object]) -> None:
    """`{"error": {...}}` on one line of stderr, with nothing in it that acts on a terminal."""
    import json

    from sharewise.domain.safe_text import safe_json

    print(safe_json(json.dumps({"error": error}, ensure_ascii=False)), file=sys.stderr)


def _safe_parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser, its messages (which quote what was typed: `invalid choice:
    '\x1b]0;...'`) shown with control and formatting characters made inert. Subcommands'
    parsers are made from the same class."""
    import argparse

    from sharewise.domain.safe_text import safe_text

    class SafeParser(argparse.ArgumentParser):
        def _print_message(self, message: str, file: Any = None) -> None:
            super()._print_message(safe_text(message) if message else message, file)

        def error(self, message: str) -> NoReturn:
            if not _json_errors:
                super().error(message)
            error = {"exit_code": 2, "message": f"{self.prog}: {message}", "problems": []}
            print_json_error(error)
            raise SystemExit(2)

    return SafeParser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # What argparse's version action prints, without building the parser first.
        try:
            print(f"sharewise {__version__}")
        except OSError as exc:
            return _output_failed(exc)
        return 0
    from sharewise.domain.errors import SharewiseError

    words = list(sys.argv[1:] if argv is None else argv)
    json_errors = "--json" in words[: words.index("--")] if "--" in words else "--json" in words
    global _json_errors
    _json_errors = json_errors
    parser = build_parser("" if not words else None if words[0].startswith("-") else words[0])
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    # A handler may end the program itself once its output is out (`_exit_at_once`); only
    # when it is the program (no argv given), never when called in-process.
    args.whole_program = argv is None
    try:
        if handler is None:
            return _open_ui(args)
        code = handler(args)
        if getattr(args, "exit_at_once", False):
            _exit_at_once(code)
        return code
    except SharewiseError as exc:
        from sharewise.domain.safe_text import safe_text

        if json_errors:
            print_json_error(exc.as_dict())
        else:
            # A file name or value in the message may hold escape sequences: shown inert.
            print(f"sharewise: {safe_text(exc.render())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sharewise: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # A closed pipe (`| head`) is not an error worth a traceback.
        return 0
    except OSError as exc:
        return _output_failed(exc)


def _output_failed(exc: OSError) -> int:
    """Standard output on a full disk (or a failing device): a file a command writes is
    already a located InputError (`common.output`), so what reaches here is the results the
    command printed. Said plainly, exit 2 as for a file that cannot be written; nothing the
    command did before printing (a record appended) is undone. Any other OSError is a bug
    and keeps its traceback."""
    if exc.errno not in _WRITE_ERRORS:
        raise exc
    _silence_stdout()
    print(
        f"sharewise: could not write the output ({exc.strerror or exc}); anything the "
        "command recorded before printing is kept",
        file=sys.stderr,
    )
    return 2


#: errno values that mean the output could not be written (disk full, quota, device).
_WRITE_ERRORS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name)
)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is
    still buffered does not fail again with an "Exception ignored" message."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _exit_at_once(code: int) -> None:
    """End the process now, its output flushed, without the interpreter's teardown: after
    `tree check` that is a last garbage collection over everything the check built and the
    freeing of it, about a sixth of the command's time, for nothing. Returns (and the program
    ends as usual) if the output cannot be flushed, so that a closed pipe or a full disk is
    reported as before."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with the descriptor closed
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def _open_ui(args: argparse.Namespace) -> int:
    """Open the terminal UI, or the plain walk until the UI exists."""
    try:
        tui = importlib.import_module("sharewise.tui.app")
    except ModuleNotFoundError:
        plain = importlib.import_module("sharewise.cli.walk_cmd")
        result: int = plain.run_plain(args)
        return result
    result_ui: int = tui.run(args)
    return result_ui
