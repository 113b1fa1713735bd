"""Helpers shared by the command modules: the tree a command names, and the command line's
conventions for scripts, kept in one place so that every command follows them alike:

- a file argument of `-` is standard input (`input_arg`) or standard output (`output`),
  never a file literally named `-`;
- results go to standard output (`print_json`, or the text a command prints), messages about
  them (what was written where, counts, warnings) to standard error (`note`);
- a file a command writes is private to this user (0600) and appears only complete, via
  `sharewise.private_files`; `output` is the one door to it, so hardening the writer
  hardens every command.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

if TYPE_CHECKING:
    from sharewise.domain.errors import Problem
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.strict_yaml import Source

#: The file argument that means standard input or standard output.
STDIO = "-"

#: How `--help` describes a file argument that may be standard input or output.
STDIN_HELP = "'-' reads standard input"
STDOUT_HELP = "'-' writes to standard output"


def is_stdio(arg: str | None) -> bool:
    """True when a file argument names standard input or output (`-`)."""
    return arg == STDIO


def input_arg(arg: str) -> Source:
    """A file argument as the loaders take it: `-` is standard input, read here (once).

    The loaders (`sharewise.domain.strict_yaml.read_source` and those beside it) accept the
    text already read, named `<stdin>` in their messages, so nothing below the command line
    reads `sys.stdin`.
    """
    if not is_stdio(arg):
        return arg
    from sharewise.domain.strict_yaml import MAX_BYTES, GivenText

    if sys.stdin.isatty():
        # A person at a terminal who typed `-`: say why nothing happens yet, and how to end.
        note("sharewise: reading standard input; end it with Ctrl-D (Ctrl-Z, Enter on Windows)")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        data: bytes = buffer.read(MAX_BYTES + 1)
    else:  # a text stream put in place of stdin (tests, an embedding program)
        data = sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
    return GivenText("<stdin>", data)


@contextlib.contextmanager
def output_bytes(arg: str | None) -> Iterator[BinaryIO]:
    """As `output`, for a result that is bytes (a PDF): standard output's byte stream, or the
    named file, private and only ever seen complete, as `output` writes it."""
    with output(arg) as text:
        text.flush()
        yield text.buffer
        text.buffer.flush()


def not_stdin(option: str, arg: str | None, busy: str) -> None:
    """Refuse `-` for a file argument of a command whose standard input is `busy` already
    (the plain walk's answers, the UI's keyboard): it cannot be read as a file too."""
    if is_stdio(arg):
        from sharewise.domain.errors import InputError, Location, Problem

        raise InputError(
            Problem(
                Location(option),
                f"'-' cannot be used here: standard input is {busy}",
                f"give {option} a file name",
            )
        )


def one_stdin(**args: str | None) -> None:
    """Refuse two file arguments that both say `-`: standard input can be read only once.

    Called with the options as the person wrote them, for example
    `one_stdin(**{"--facts": args.facts, "--record": args.record})`.
    """
    from sharewise.domain.errors import InputError, Location, Problem

    dashes = [name for name, value in args.items() if is_stdio(value)]
    if len(dashes) > 1:
        raise InputError(
            Problem(
                Location(dashes[1]),
                f"{' and '.join(dashes)} cannot both read standard input ('-')",
                "give a file name for all but one of them",
            )
        )


@contextlib.contextmanager
def output(arg: str | None, *, newline: str | None = None) -> Iterator[TextIO]:
    """Where a command writes its result: standard output for no file or `-`, otherwise the
    named file, private to this user (0600) and only ever seen complete (written beside and
    renamed). The folder is the person's choice, so it is neither created nor changed.

    A file that cannot be written is bad input (exit 2), with the path and the fix.
    """
    if arg is None or is_stdio(arg):
        yield sys.stdout
        sys.stdout.flush()
        return
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.private_files import private_file

    path = Path(arg)
    try:
        with private_file(path, newline=newline, make_folder=False) as handle:
            yield handle
    except OSError as exc:
        from sharewise.domain.safe_text import safe_line
        from sharewise.private_files import UnsafeTarget

        raise InputError(
            Problem(
                Location(safe_line(str(path))),
                f"cannot write here ({exc.strerror or exc})",
                "give a new file name"
                if isinstance(exc, UnsafeTarget)
                else "choose a folder you can write to",
            )
        ) from None


def exit_codes(one: str | None = None) -> str:
    """The end of a command's `--help`: its exit codes, with what 1 means if it uses 1."""
    lines = ["exit codes:", "  0    done"]
    if one:
        lines.append(f"  1    {one}")
    lines += [
        "  2    bad input: one line naming the file, the place and the fix",
        "  3    the ledger could not be opened, read or written (locked, full disk)",
        "  130  interrupted",
    ]
    return "\n".join(lines) + "\n"


def note(message: str) -> None:
    """A message for the person, not a result: to standard error, so scripts can pipe
    standard output on without it."""
    print(message, file=sys.stderr)


def json_text(obj: Any) -> str:
    """The JSON every `--json` prints: UTF-8 as written (not \\u escapes), indented."""
    from sharewise.domain.safe_text import safe_json

    return safe_json(json.dumps(obj, ensure_ascii=False, indent=2)) + "\n"


def print_json(obj: Any) -> None:
    """Print a `--json` result on standard output."""
    sys.stdout.write(json_text(obj))


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem as `--json` reports it: its place, what is wrong and the fix, in keys."""
    where = problem.location
    return {
        "file": where.file,
        "line": where.line or None,
        "column": where.column or None,
        "message": problem.message,
        "fix": problem.fix or None,
    }


def load_tree_arg(path: str | None) -> CompiledTree:
    """The tree named by `--tree` (`-`: read from standard input), or the shipped England
    tree (the domain's rule, which the UI uses too)."""
    from sharewise.domain.graph import load_named_tree

    return load_named_tree(input_arg(path) if path else None)
