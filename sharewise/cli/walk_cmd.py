"""`sharewise walk --plain`: the guided walk on plain standard input and output, record included.

For screen-reader users (Textual has no screen-reader support) and for scripts: numbered
options, one question at a time, and the commands `back`, `help` (or `?`) and `quit`. After
the outcome it asks for the record's details one line at a time (`--no-record` skips that),
so a script can pipe in the answers and the details together.

Settled answers (`sharewise settings`) are used as in the UI: each question answered from
them is said in one line, and `change` answers the latest one yourself for this case.
`--ask-all` ignores the settings (a script that pipes every answer wants every question).

The record step (`plain_record`) starts from the practitioner's remembered details and the
walk's suggestions, as the UI's form does, and remembers the details when a record is saved;
`--forget-me` deletes them, as "Forget me" does in the UI.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.safe_text import safe_line

HELP_WORDS = {"help", "?", "h"}
BACK_WORDS = {"back", "b"}
CHANGE_WORDS = {"change", "c"}
QUIT_WORDS = {"quit", "q", "exit"}
#: At any prompt: act-now advice and the emergency record, as F2 in the UI.
EMERGENCY_WORDS = {"emergency", "999"}


def register(sub: Any) -> None:
    p = sub.add_parser("walk", help="the guided walk on plain text input and output")
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain numbered questions (screen readers, scripts); needed unless --from",
    )
    p.add_argument(
        "--from",
        dest="from_id",
        metavar="ID",
        help="reassess an earlier record: each question offers the answer given then "
        "(Enter keeps it), the outcome says what changed, and the new record links to it",
    )
    p.add_argument(
        "--tree",
        metavar="PATH",
        help="the tree to use (default: England; not '-': the walk reads its answers there)",
    )
    p.add_argument(
        "--ask-all",
        action="store_true",
        help="ask every question, ignoring the answers settled in `sharewise settings`",
    )
    p.add_argument(
        "--no-record",
        action="store_true",
        help="show the outcome only; do not ask for the record's details",
    )
    p.add_argument(
        "--forget-me",
        action="store_true",
        help="forget your remembered name, role and organisation (as Forget me in the UI), "
        "then stop",
    )
    p.set_defaults(handler=run_plain)


def run_plain(args: argparse.Namespace) -> int:
    from sharewise.cli.common import load_tree_arg, not_stdin

    if getattr(args, "forget_me", False):
        return forget_me(getattr(args, "data_dir", None))
    from_id = getattr(args, "from_id", None)
    if not getattr(args, "plain", True) and from_id is None:
        raise InputError(
            Problem(
                Location("walk"),
                "the walk on the command line is the plain one",
                "add --plain (or --from ID to reassess a record); `sharewise` alone opens "
                "the full-screen walk",
            )
        )
    not_stdin("--tree", getattr(args, "tree", None), "where the walk reads its answers")
    earlier = _earlier(getattr(args, "data_dir", None), from_id) if from_id else None
    tree = load_tree_arg(getattr(args, "tree", None))
    preset: dict[str, str] = {}
    unusable = None
    if not getattr(args, "ask_all", False) and earlier is None:
        # A reassessment offers every earlier answer instead, each one visibly.
        preset, unusable = _settings(getattr(args, "data_dir", None))
    walk = PlainWalk(
        tree,
        sys.stdin,
        sys.stdout,
        preset=preset,
        earlier=earlier,
        data_dir=getattr(args, "data_dir", None),
    )
    if unusable:
        walk.say("The settings file could not be read, so every question will be asked:")
        walk.say(unusable)
    code = walk.run()
    if code != 0 or walk.stopped or getattr(args, "no_record", False):
        return code
    if walk.emergency_filed and walk.emergency_ref is None:
        return code  # typed at the last prompt and not saved: nothing more to ask
    from sharewise.cli.plain_record import PlainRecord

    return PlainRecord(walk, getattr(args, "data_dir", None)).run()


def _earlier(data_dir: str | None, entry_id: str) -> Any:
    """The record a reassessment starts from (`Ledger.reassessable`)."""
    from sharewise.store import LedgerMissing, open_ledger

    try:
        with open_ledger(data_dir, create=False, readonly=True) as ledger:
            return ledger.reassessable(entry_id)
    except LedgerMissing:
        raise InputError(
            Problem(
                Location(entry_id),
                "no entry with this id or number (there are no records yet)",
                "record a decision first",
            )
        ) from None


def forget_me(data_dir: str | None) -> int:
    """Delete the remembered practitioner details, as "Forget me" does in the UI: the plain
    walk remembers them too, and a screen-reader user cannot reach the UI's button."""
    from sharewise.profile import forget_profile

    try:
        forgotten = forget_profile(data_dir)
    except OSError as exc:
        print(f"Your details could not be removed: {exc}", file=sys.stderr)
        return 1
    if forgotten:
        print("Your name, role and organisation are no longer remembered on this computer.")
    else:
        print("Nothing about you was remembered on this computer.")
    return 0


def _settings(data_dir: str | None) -> tuple[dict[str, str], str | None]:
    """(settled answers, None), or ({}, why not): as in the UI, a broken settings file is
    told and every question asked, never a reason to refuse a walk."""
    from sharewise import paths
    from sharewise.domain.errors import SharewiseError
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import load_settings
    from sharewise.profile import data_folder

    try:
        return load_settings(data_folder(data_dir), load_vocabulary(paths.facts_path())), None
    except SharewiseError as exc:
        return {}, exc.render()
    except OSError as exc:
        return {}, str(exc)


class PlainWalk:
    """The walk as a conversation on two text streams."""

    def __init__(
        self,
        tree: Any,
        stdin: IO[str],
        stdout: IO[str],
        preset: dict[str, str] | None = None,
        earlier: Any = None,
        data_dir: str | None = None,
        *,
        go_on_after_emergency: bool = True,
    ) -> None:
        from sharewise.domain.walk import Walk

        self.walk = Walk(tree, preset=preset)
        self.tree = tree
        self.stdin = stdin
        self.out = stdout
        #: The record being reassessed (an `Entry` holding a result), if this is a
        #: reassessment: its answers are offered at each question.
        self.earlier = earlier
        self._earlier_answers: dict[str, str] = {}
        if earlier is not None:
            from sharewise.domain.reassess import earlier_answers

            self._earlier_answers = earlier_answers(earlier.result)
        self.data_dir = data_dir
        #: `emergency` was typed at a prompt (whether or not its record was saved).
        self.emergency_filed = False
        #: The emergency record saved from this walk, and its details: the questions after
        #: it are for the record, and the walk's record completes it (as in the UI).
        self.emergency_ref: str | None = None
        self.emergency_details: Any = None
        #: After an emergency record, go on with the questions (the real walk, as the UI
        #: does); an exercise ends there instead (`train --plain`).
        self.go_on_after_emergency = go_on_after_emergency
        #: The person typed quit: nothing more is asked.
        self.stopped = False

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str, *, emergency: bool = True) -> str:
        """One line from the person. `emergency` (or 999) interrupts whatever was asked,
        except inside the emergency record itself (`emergency=False`)."""
        self.out.write(prompt)
        self.out.flush()
        line = self._readline()
        if line is None:
            return "\ufffd"  # not text: an answer that fits no question, so asked again
        if not line:
            raise EOFError
        reply = line.strip()
        if emergency and reply.lower() in EMERGENCY_WORDS:
            raise Emergency
        return reply

    def _readline(self) -> str | None:
        """The next line, or None when it is not text. Read as bytes where the stream has
        them: a text stream that fails to decode keeps the bad bytes and fails again on
        every read, so a strict-locale terminal fed one stray byte would ask for ever."""
        raw = getattr(self.stdin, "buffer", None)
        if raw is None:
            try:
                return str(self.stdin.readline())
            except UnicodeDecodeError:
                return None
        data: bytes = raw.readline()
        try:
            return data.decode(getattr(self.stdin, "encoding", None) or "utf-8")
        except (UnicodeDecodeError, LookupError):
            return None

    def emergency(self, *, goes_on: bool = False) -> int:
        """`emergency` was typed: act now, and file the short emergency record. `goes_on`:
        the walk continues after it, to complete it (so "complete it later" is not said)."""
        from sharewise.cli.plain_emergency import PlainEmergency

        self.emergency_filed = True
        return PlainEmergency(self, self.data_dir).run(goes_on=goes_on)

    @property
    def for_the_record(self) -> bool:
        """Whether the questions now are for the record only: someone is in danger (the
        answer said so), or an emergency record was saved and this walk completes it."""
        return self.walk.in_danger or self.emergency_ref is not None

    def _after_emergency(self) -> bool:
        """After `emergency` mid-walk: True when the walk goes on, its questions for the
        record (the emergency record saved, and questions left to complete it with)."""
        if self.emergency_ref is None or not self.go_on_after_emergency:
            return False
        self.say()
        if self.walk.finished:
            self.say(
                f"Now the decision for the record: it completes emergency record "
                f"{self.emergency_ref}."
            )
        else:
            self.say(
                f"The questions continue, for the record only: your answers complete emergency "
                f"record {self.emergency_ref}. Type quit to leave them for later (complete it "
                "in the app from Records, or with `sharewise records complete`)."
            )
        return True

    def run(self) -> int:
        m = self.tree.model
        self.say(f"{m.title} (version {m.version}, law as at {m.law_as_at.isoformat()})")
        self.say(
            "Type the number of your answer. Commands: back, help (or ?), quit; "
            "emergency (or 999) at any prompt if someone is in danger now."
        )
        if self.earlier is not None:
            e = self.earlier
            self.say(
                f"Reassessing entry {e.seq} ({e.id}, recorded {e.created:%Y-%m-%d}): each "
                "question offers the answer given then. Press Enter to keep it, or type the "
                "number of the answer that is true now."
            )
        try:
            while True:
                try:
                    while not self.walk.finished:
                        self._question()
                    if not self._settled_at_the_end():
                        break
                except Emergency:
                    code = self.emergency(goes_on=self.go_on_after_emergency)
                    if code != 0 or not self._after_emergency():
                        return code
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
            if self.emergency_ref is not None:
                self.say(
                    f"Stopped. Emergency record {self.emergency_ref} is saved: complete it as "
                    "soon as you can (in the app from Records, or with "
                    f"`sharewise records complete {self.emergency_ref} --record FILE`)."
                )
            else:
                self.say("Stopped. Nothing was recorded.")
            self.stopped = True
            return 0  # a deliberate quit is not a failure
        from sharewise.cli.decide_cmd import render_text

        self.say()
        self.out.write(render_text(self.walk.result()))
        self.out.flush()
        if self.earlier is not None:
            from sharewise.domain.reassess import compare, describe

            self.say()
            self.say(f"Since entry {self.earlier.seq}:")
            for line in describe(compare(self.earlier.result, self.walk.result())):
                self.say(f"  {safe_line(line)}")
        return 0

    def _just_settled(self) -> list[int]:
        """The questions answered from the settings since the person's last answer.

        Positions count questions (`Walk.trail`), as `jump_back` takes them: one answer may
        settle two facts, and it is still one question to say and to change.
        """
        answers = self.walk.answers
        start = len(answers)
        while start and answers[start - 1].preset:
            start -= 1
        return list(range(start, len(answers)))

    def _announce_settled(self) -> list[int]:
        """Say, one line each, which questions were just answered from the settings."""
        settled = self._just_settled()
        trail = self.walk.trail()
        for n, i in enumerate(settled, start=1):
            line = f"Answered from your settings: {trail[i].question} - {trail[i].label}."
            if n == len(settled):
                last = "it" if len(settled) == 1 else "the last of these"
                line += f" Type 'change' to answer {last} yourself."
            self.say(line)
        return settled

    def _change(self, settled: list[int]) -> bool:
        """`change`: answer the latest settled answer yourself, for this case only."""
        if not settled:
            self.say("No answer just before this question came from your settings.")
            return False
        self.walk.jump_back(settled[-1])
        self.say("Answer it yourself for this case; your settings do not change.")
        return True

    def _settled_at_the_end(self) -> bool:
        """The last questions were answered from the settings: say so before the outcome,
        and let the person change one. True when the walk goes on."""
        if not self._just_settled():
            return False
        self.say()
        settled = self._announce_settled()
        while True:
            reply = self.ask("Press Enter for the outcome, or type change, back or quit: ")
            reply = reply.lower()
            if not reply:
                return False
            if reply in QUIT_WORDS:
                raise _Quit
            if reply in CHANGE_WORDS:
                return self._change(settled)
            if reply in BACK_WORDS and self._back():
                return True

    def _back(self) -> bool:
        """Undo the person's last answer (and the settled ones after it); False at the start."""
        if not any(not a.preset for a in self.walk.answers):
            extra = " Type 'change' to answer a settled one yourself." if self.walk.answers else ""
            self.say("This is the first question you answer." + extra)
            return False
        trail = self.walk.trail()
        mine = max(i for i, a in enumerate(self.walk.answers) if not a.preset)
        self.walk.back()
        undone = trail[mine]
        self.say(f"Undone: your answer to “{undone.question}” ({undone.label}).")
        return True

    def _show_question(self) -> None:
        """The question with its number, how many may follow, and its numbered answers:
        said again after a reply that was not an answer, so nobody has to scroll back."""
        q = self.walk.question
        assert q is not None
        number = self.walk.question_number
        at_most = number + self.walk.questions_left() - 1
        where = f"Question {number} of at most {at_most}"
        if self.for_the_record:
            where += ", for the record"
        self.say(f"{where}: {q.text}")
        for i, choice in enumerate(self.walk.choices(), start=1):
            self.say(f"  {i}. {choice.label}")

    def _question(self) -> None:
        choices = self.walk.choices()
        self.say()
        settled = self._announce_settled()
        self._show_question()
        before = self._earlier_choice()
        if before is not None:
            self.say(f"Last time: {before.label} (Enter keeps it)")
        elif self.earlier is not None:
            self.say("Not asked last time: answer it now.")
        while True:
            reply = self.ask("> ").lower()
            if not reply and before is not None:
                self._choose(before)
                return
            if reply in QUIT_WORDS:
                raise _Quit
            if reply in HELP_WORDS:
                self._help()
                self.say()
                self._show_question()
                continue
            if reply in CHANGE_WORDS:
                if self._change(settled):
                    return
                continue
            if reply in BACK_WORDS:
                if self._back():
                    return
                continue
            if reply.isascii() and reply.isdigit() and 1 <= int(reply) <= len(choices):
                # The choice itself, not its value: several answers may share one value
                # and differ in a fact they also settle.
                self._choose(choices[int(reply) - 1])
                return
            words = "change, back, help, quit" if settled else "back, help, quit"
            self.say(
                f"“{safe_line(reply)}” is not one of the answers. Please type a number from 1 to "
                f"{len(choices)}, or {words}."
            )
            self._show_question()

    def _choose(self, choice: Any) -> None:
        was_in_danger = self.walk.in_danger
        self.walk.choose(choice)
        if self.walk.in_danger and not was_in_danger:
            self._act_now()

    def _act_now(self) -> None:
        """Someone is in danger now: the act-now words before anything else, as the UI's
        act-now screen; the questions after are for the record."""
        from sharewise.domain.emergency import FOR_THE_RECORD, act_now_text

        self.say()
        self.say(act_now_text())
        self.say()
        self.say(FOR_THE_RECORD)
        self.say(
            "Type emergency at any prompt to save a short emergency record now and "
            "complete it later."
        )

    def _earlier_choice(self) -> Any:
        if self.earlier is None:
            return None
        from sharewise.domain.reassess import earlier_choice

        return earlier_choice(self.walk, self._earlier_answers)

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


class Emergency(Exception):
    """`emergency` or `999` typed at a prompt."""
