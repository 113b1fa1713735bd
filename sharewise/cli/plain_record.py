"""The record step after `sharewise walk --plain`: the record's details, one line each.

Each detail is asked on its own line and checked as it is typed; the record is validated by
the domain (`RecordDetails`) and appended to the ledger.
"""

from __future__ import annotations

from typing import Any

from sharewise.cli.walk_cmd import QUIT_WORDS, PlainWalk, _Quit
from sharewise.domain.errors import InputError, Location, Problem

#: (key, prompt, required) for each free-text detail, in the order the form asks them.
_TEXT_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("case_ref", "Case reference (from your case system, not a name)", True),
    ("practitioner.name", "Your name", True),
    ("practitioner.role", "Your role", True),
    ("practitioner.organisation", "Your organisation", True),
    ("recipient.organisation", "Shared with: organisation (Enter to skip)", False),
    ("recipient.role", "Their role", False),
    ("recipient.name", "Their name (Enter to skip)", False),
    ("information", "What information", True),
    ("method", "How it was shared (Enter to skip)", False),
    ("consent.sought", "Was consent sought? (yes/no)", True),
    ("consent.reason", "Why consent was, or was not, sought", True),
    ("informed.told", "Was the person told about the sharing? (yes/no)", True),
    ("informed.reason", "Why they were, or were not, told", True),
    ("identities_protected", "Identities protected (Enter to skip)", False),
    ("advice_sought", "Advice sought (Enter to skip)", False),
    ("rationale", "Your reasons", True),
    ("review_by", "Review by, as YYYY-MM-DD (Enter to skip)", False),
)
_YES = {"yes", "y"}
_NO = {"no", "n"}


class PlainRecord:
    """The record step after a plain walk: one detail per line, checked as it is typed."""

    def __init__(self, walk: PlainWalk, data_dir: str | None) -> None:
        self.plain = walk
        self.data_dir = data_dir

    def run(self) -> int:
        p = self.plain
        p.say()
        try:
            while True:
                reply = p.ask("Record this decision now? (yes/no) ").lower()
                if reply in _NO or reply in QUIT_WORDS:
                    p.say("Not recorded. Record every decision, shared or not, when you can.")
                    return 0
                if reply in _YES:
                    break
                p.say("Please type yes or no.")
            p.say("Type each detail and press Enter. Type quit to stop without recording.")
            details = self._ask_details()
        except EOFError:
            raise InputError(
                Problem(
                    Location("<stdin>"),
                    "input ended before the record was complete; nothing was recorded",
                    "give every required detail, or use --no-record",
                )
            ) from None
        except _Quit:
            p.say("Stopped. Nothing was recorded.")
            return 1
        from sharewise.store import open_ledger

        with open_ledger(self.data_dir) as ledger:
            ref = ledger.record_decision(p.walk.result(), details)
        p.say(f"Recorded as {ref.id} (entry {ref.seq} in the ledger).")
        return 0

    def _ask_details(self) -> Any:
        from pydantic import ValidationError

        from sharewise.domain.record import RecordDetails

        values: dict[str, str] = {}
        pending = [f[0] for f in _TEXT_FIELDS]
        while True:
            for key in pending:
                values[key] = self._ask_field(key, values)
            try:
                return RecordDetails.model_validate(_nest(values))
            except ValidationError as exc:
                pending = []
                for err in exc.errors():
                    where = ".".join(str(x) for x in err["loc"])
                    key = where if where in values else _first_missing(values)
                    self.plain.say(f"Please check {_prompt(key).lower()}: {err['msg']}")
                    if key not in pending:
                        pending.append(key)

    def _ask_field(self, key: str, values: dict[str, str]) -> str:
        from sharewise.domain.person_names import name_warning

        p = self.plain
        if key == "recipient.role" and not values.get("recipient.organisation"):
            return ""
        required = next(r for k, _, r in _TEXT_FIELDS if k == key)
        if key == "recipient.role":
            required = True
        while True:
            label = next(text for k, text, _ in _TEXT_FIELDS if k == key)
            reply = p.ask(f"{label}: ")
            if reply.lower() in QUIT_WORDS:
                raise _Quit
            if key.endswith((".sought", ".told")):
                if reply.lower() in _YES | _NO:
                    return "yes" if reply.lower() in _YES else "no"
                p.say("Please type yes or no.")
                continue
            if not reply and required:
                p.say("This is needed for the record.")
                continue
            if key == "review_by" and reply:
                import datetime as dt

                try:
                    dt.date.fromisoformat(reply)
                except ValueError:
                    p.say("Write the date as YYYY-MM-DD, for example 2026-12-06.")
                    continue
            warning = (
                name_warning(reply)
                if not key.startswith(("practitioner.", "recipient.name"))
                else ""
            )
            if warning:
                p.say("Note: " + warning)
            return reply


def _prompt(key: str) -> str:
    return next(label for k, label, _ in _TEXT_FIELDS if k == key).split(" (")[0]


def _first_missing(values: dict[str, str]) -> str:
    return next((k for k, _, r in _TEXT_FIELDS if r and not values.get(k)), "case_ref")


def _nest(values: dict[str, str]) -> dict[str, Any]:
    """Flat answers -> the nested mapping `RecordDetails` validates."""
    from sharewise.domain.record import nest_fields

    yes_no = {
        "consent.sought": values["consent.sought"] == "yes",
        "informed.told": values["informed.told"] == "yes",
    }
    return nest_fields({**values, **yes_no})
