"""`sharewise walk --plain`: the guided walk on plain standard input and output.

For screen-reader users (Textual has no screen-reader support) and for scripts: numbered
options, one question at a time, and the commands `back`, `help` (or `?`) and `quit`.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from sharewise.domain.errors import InputError, Location, Problem

HELP_WORDS = {"help", "?", "h"}
BACK_WORDS = {"back", "b"}
QUIT_WORDS = {"quit", "q", "exit"}


def register(sub: Any) -> None:
    p = sub.add_parser("walk", help="the guided walk on plain text input and output")
    p.add_argument(
        "--plain",
        action="store_true",
        required=True,
        help="plain numbered questions (screen readers, scripts)",
    )
    p.add_argument("--tree", metavar="PATH", help="the tree to use (default: England)")
    p.set_defaults(handler=run_plain)


def run_plain(args: argparse.Namespace) -> int:
    from sharewise.cli.common import load_tree_arg

    tree = load_tree_arg(getattr(args, "tree", None))
    return PlainWalk(tree, sys.stdin, sys.stdout).run()


class PlainWalk:
    """The walk as a conversation on two text streams."""

    def __init__(self, tree: Any, stdin: IO[str], stdout: IO[str]) -> None:
        from sharewise.domain.walk import Walk

        self.walk = Walk(tree)
        self.tree = tree
        self.stdin = stdin
        self.out = stdout

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def run(self) -> int:
        m = self.tree.model
        self.say(f"{m.title} (version {m.version}, law as at {m.law_as_at.isoformat()})")
        self.say("Type the number of your answer. Commands: back, help (or ?), quit.")
        try:
            while not self.walk.finished:
                self._question()
        except EOFError:
            self.say()
            raise InputError(
                Problem(
                    Location("<stdin>"),
                    "input ended before an outcome",
                    "answer every question, or type quit",
                )
            ) from None
        except _Quit:
            self.say("Stopped. Nothing was recorded.")
            return 1
        from sharewise.cli.decide_cmd import render_text

        self.say()
        self.out.write(render_text(self.walk.result()))
        self.out.flush()
        return 0

    def _question(self) -> None:
        q = self.walk.question
        assert q is not None
        choices = self.walk.choices()
        number = len(self.walk.answers) + 1
        self.say()
        self.say(f"Question {number}: {q.text}")
        for i, choice in enumerate(choices, start=1):
            self.say(f"  {i}. {choice.label}")
        while True:
            reply = self.ask("> ").lower()
            if reply in QUIT_WORDS:
                raise _Quit
            if reply in HELP_WORDS:
                self._help()
                continue
            if reply in BACK_WORDS:
                if not self.walk.answers:
                    self.say("This is the first question.")
                    continue
                self.walk.back()
                return
            if reply.isdigit() and 1 <= int(reply) <= len(choices):
                self.walk.answer(choices[int(reply) - 1].value)
                return
            self.say(f"Please type a number from 1 to {len(choices)}, or back, help, quit.")

    def _help(self) -> None:
        q = self.walk.question
        assert q is not None
        self.say(f"What this means: {q.help}")
        self.say(f"Why we ask: {q.why}")
        titles = sorted(
            {o.decision.value.replace("_", " ") for o in self.walk.reachable_outcomes()}
        )
        self.say("Still possible: " + ", ".join(titles))


class _Quit(Exception):
    pass
