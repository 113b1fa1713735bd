"""Every command's `--help` is complete: a line for each option and positional, the exit
codes, `--data-dir` after the command, `--json` wherever a command reports, and `-` named
wherever a file is read or written. Walks the whole argparse tree, so a new command or
option that forgets one of these fails here."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from sharewise.cli import build_parser, main


def _commands(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(words, parser) for the program and every command and subcommand under it."""
    yield words, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*words, name))


def _leaves() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs: those without subcommands, and a group that runs one of its
    own too (`train` runs the exercise and has `train report`)."""
    return [
        (words, parser)
        for words, parser in _commands(build_parser())
        if words
        and (
            parser.get_default("handler") is not None
            or not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
        )
    ]


LEAVES = _leaves()
NAMES = [" ".join(words) for words, _ in LEAVES]

#: Every command that reports something a script would read (the contract: "every command
#: that reports takes --json"). `records export` and `audit report` take --format json.
REPORTING = {
    "decide",
    "tree check",
    "tree diff",
    "scenarios check",
    "settings show",
    "settings set",
    "settings unset",
    "settings retention",
    "records list",
    "records show",
    "records verify",
    "records checkpoint",
    "records keygen",
    "records review",
    "records amend",
    "records complete",
    "records replay",
    "records due",
    "records purge",
    "db init",
    "train sessions",
    "train merge",
}

#: Metavars and positionals that name a file to read or write.
FILE_METAVARS = {"FILE", "PATH", "DETAILS", "KEY", "OLD", "NEW"}


def test_the_walk_finds_every_command() -> None:
    assert {"decide", "records export", "settings show", "db grants", "tree check"} <= set(NAMES)
    assert {"train", "train report"} <= set(NAMES)  # a group that runs, and its subcommand
    assert set(NAMES) >= REPORTING, REPORTING - set(NAMES)


def test_every_option_positional_and_command_has_a_help_line() -> None:
    missing = []
    for words, parser in _commands(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest: choice.help for choice in action._choices_actions}
                missing += [
                    f"{' '.join((*words, name))}" for name in action.choices if not helped.get(name)
                ]
            elif not action.help:
                missing.append(
                    f"{' '.join(words)} {'/'.join(action.option_strings) or action.dest}"
                )
    assert missing == []


@pytest.mark.parametrize(("words", "parser"), LEAVES, ids=NAMES)
def test_help_says_what_the_command_does_and_lists_the_exit_codes(
    words: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    assert parser.description, words
    text = parser.format_help()
    codes = text[text.index("exit codes:") :]
    for code in ("0    done", "2    bad input", "3    the ledger", "130  interrupted"):
        assert code in codes, (words, code)


def test_commands_with_a_check_say_what_exit_1_means() -> None:
    helps = dict(zip(NAMES, (p.format_help() for _, p in LEAVES), strict=True))
    assert "1    the chain is broken" in helps["records verify"]
    assert "1    a scenario's decision" in helps["scenarios check"]
    assert "  1    " not in helps["records list"]  # a listing has no "found a problem"


def test_program_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for code in ("  0 ", "  1 ", "  2 ", "  3 ", "  130 "):
        assert code in out[out.index("exit codes:") :]


@pytest.mark.parametrize(("words", "parser"), LEAVES, ids=NAMES)
def test_data_dir_is_accepted_after_the_command(
    words: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    action = parser._option_string_actions["--data-dir"]
    # Not given after the command, it leaves the value given before it alone.
    assert action.default is argparse.SUPPRESS


@pytest.mark.parametrize("name", sorted(REPORTING))
def test_reporting_commands_take_json(name: str) -> None:
    parser = dict(zip(NAMES, (p for _, p in LEAVES), strict=True))[name]
    assert "--json" in parser._option_string_actions


@pytest.mark.parametrize(("words", "parser"), LEAVES, ids=NAMES)
def test_every_file_argument_says_what_dash_does(
    words: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    for action in parser._actions:
        names = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        if names in FILE_METAVARS:
            # Either what '-' does, or why it cannot be used here.
            assert "'-'" in (action.help or ""), (words, action.option_strings or action.dest)
