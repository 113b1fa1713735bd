"""The record step after `sharewise walk --plain`: the record's details, one line each.

Each detail is asked on its own line and checked as it is typed; the record is validated by
the domain (`RecordDetails`) and appended to the ledger.

It starts from what the UI's record form starts from, so that a screen-reader user types no
more than a sighted one: the practitioner's own name, role and organisation remembered from
their last record (`sharewise.profile`), and the suggestions from the walk's answers
(`sharewise.domain.record_prefill`). Such a detail is said on its prompt line with where it
came from, and Enter keeps it. Only a detail that has such a value changes: before, an empty
line there was refused, so a script that worked before works the same.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from sharewise.cli.walk_cmd import QUIT_WORDS, Emergency, PlainWalk, _Quit
from sharewise.domain.errors import InputError, Location, Problem
from sharewise.domain.record import RECIPIENT_NEEDED
from sharewise.domain.result import DecisionResult
from sharewise.domain.safe_text import safe_line

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
_YES_NO = ("consent.sought", "informed.told")
#: A suggested reason goes with the suggested yes or no: answered otherwise, it would say the
#: opposite of the answer, so it is not offered.
_REASON_OF = {"consent.reason": "consent.sought", "informed.reason": "informed.told"}


@dataclass(frozen=True, slots=True)
class Offer:
    """A value a detail starts from: Enter keeps it, typing replaces it."""

    value: str
    #: The practitioner's own, remembered from their last record; else suggested by the walk.
    remembered: bool
    #: Where it came from when neither (a reassessment: "from the earlier record").
    where: str = ""


def offers(result: DecisionResult, profile: dict[str, str]) -> dict[str, Offer]:
    """The values the record form would start from, by detail key.

    The practitioner's remembered details and the walk's suggestions, as in the UI; except
    the start of the reasons (the outcome's title, then "because"), which is a sentence for
    the person to finish, not a value that Enter could keep.
    """
    from sharewise.domain.record_prefill import suggestions

    out = {f"practitioner.{k}": Offer(v, remembered=True) for k, v in profile.items()}
    for key, hint in suggestions(result).items():
        if key != "rationale":
            out[key] = Offer(hint.value, remembered=False)
    return out


#: The details a reassessment carries over from the record it reassesses: the case and
#: whom it concerns stay; what was shared, how and why are the practitioner's to give anew.
_CARRIED = ("case_ref", "recipient.organisation", "recipient.role")


def earlier_offers(earlier: Any) -> dict[str, Offer]:
    """The values a reassessment's record starts from, taken from the earlier record."""
    details = earlier.details
    if details is None:
        return {}
    found = {
        "case_ref": details.case_ref,
        "recipient.organisation": details.recipient.organisation if details.recipient else None,
        "recipient.role": details.recipient.role if details.recipient else None,
    }
    return {
        key: Offer(str(found[key]), remembered=False, where="from the earlier record")
        for key in _CARRIED
        if found.get(key)
    }


def emergency_offers(details: Any) -> dict[str, Offer]:
    """What completing an emergency record starts from: the practitioner and what was
    written in the emergency (who was told, what happened), from the emergency record."""
    where = "from the emergency record"
    found = {
        "practitioner.name": details.practitioner.name,
        "practitioner.role": details.practitioner.role,
        "practitioner.organisation": details.practitioner.organisation,
        "recipient.organisation": details.recipient.organisation if details.recipient else None,
        "information": details.information,
    }
    return {key: Offer(str(v), remembered=False, where=where) for key, v in found.items() if v}


def offer_prompt(key: str, offer: Offer) -> str:
    """The prompt line for a detail that has a value: the value, where it came from, and
    what Enter does. Control characters in the value are shown as inert escapes."""
    label = _prompt(key)
    where = offer.where or ("remembered" if offer.remembered else "suggested from your answers")
    # "Your name, remembered: ..." but "Was consent sought? Suggested from your answers: ..."
    lead = f"{label} {where[0].upper()}{where[1:]}" if label.endswith("?") else f"{label}, {where}"
    other = "type yes/no" if key in _YES_NO else "type another"
    return f"{lead}: {safe_line(offer.value)} (Enter keeps it, or {other}): "


class PlainRecord:
    """The record step after a plain walk: one detail per line, checked as it is typed."""

    def __init__(self, walk: PlainWalk, data_dir: str | None) -> None:
        self.plain = walk
        self.data_dir = data_dir
        self.profile: dict[str, str] = {}
        self.offers: dict[str, Offer] = {}

    def run(self) -> int:
        from sharewise.profile import load_profile

        p = self.plain
        completes = p.emergency_ref
        p.say()
        try:
            while True:
                question = (
                    f"Complete emergency record {completes} with this decision now? (yes/no) "
                    if completes
                    else "Record this decision now? (yes/no) "
                )
                reply = p.ask(question).lower()
                if (reply in _NO or reply in QUIT_WORDS) and completes:
                    p.say(
                        f"Not now: emergency record {completes} stays to be completed (in the "
                        f"app from Records, or `sharewise records complete {completes}`)."
                    )
                    return 0
                if reply in _NO or reply in QUIT_WORDS:
                    p.say("Not recorded. Record every decision, shared or not, when you can.")
                    return 0
                if reply in _YES:
                    break
                p.say("Please type yes or no.")
            self.profile = load_profile(self.data_dir)
            self.offers = offers(p.walk.result(), self.profile)
            if p.earlier is not None:
                self.offers.update(earlier_offers(p.earlier))
            if completes:
                self.offers.update(emergency_offers(p.emergency_details))
                p.say(
                    f"Case reference: {safe_line(p.emergency_details.case_ref)} (the emergency "
                    "record's: a completion is filed under the same case)."
                )
            p.say("Type each detail and press Enter. Type quit to stop without recording.")
            if self.offers:
                where = "from the emergency record, " if completes else ""
                p.say(
                    f"Some details are filled in: {where}remembered from your last record on "
                    "this computer, or suggested from your answers (check each one). "
                    "Enter keeps one; typing replaces it."
                )
            details = self._ask_details()
        except EOFError:
            unrecorded = (
                f"the completion was not recorded (emergency record {completes} stays to be "
                "completed)"
                if completes
                else "nothing was recorded"
            )
            raise InputError(
                Problem(
                    Location("<stdin>"),
                    f"input ended before the record was complete; {unrecorded}",
                    "give every required detail, or use --no-record",
                )
            ) from None
        except _Quit:
            if completes:
                p.say(
                    f"Stopped. Emergency record {completes} is saved and stays to be completed "
                    f"(in the app from Records, or `sharewise records complete {completes}`)."
                )
            else:
                p.say("Stopped. Nothing was recorded.")
            return 0
        except Emergency:
            return p.emergency()
        from sharewise.store import open_ledger

        reassesses = p.earlier.id if p.earlier is not None else None
        with open_ledger(self.data_dir) as ledger:
            if completes:
                ref = ledger.complete(completes, details, p.walk.result())
            else:
                ref = ledger.record_decision(p.walk.result(), details, reassesses=reassesses)
        if completes:
            p.say(f"Emergency record {completes} completed by {ref.id} (entry {ref.seq}).")
        else:
            p.say(f"Recorded as {ref.id} (entry {ref.seq} in the ledger).")
        if p.earlier is not None:
            p.say(
                f"It reassesses entry {p.earlier.seq}, which is no longer due for review; "
                "this record's own review date now applies."
            )
        if self._remember(details):
            p.say(
                "Your name, role and organisation will be filled in next time on this "
                "computer. To forget them: sharewise walk --plain --forget-me"
            )
        return 0

    def _remember(self, details: Any) -> bool:
        """Keep the practitioner's details for the next record, as the UI does once a record
        is saved; True when what is remembered changed (that is worth a line, the same
        details every time are not). A failure to write loses only the convenience, so it
        never stands in the way of the record just saved."""
        from sharewise.profile import load_profile, save_profile

        who = details.practitioner
        kept = {"name": who.name or "", "role": who.role, "organisation": who.organisation}
        with contextlib.suppress(OSError):
            save_profile(self.data_dir, kept)
            return load_profile(self.data_dir) != self.profile
        return False

    def _ask_details(self) -> Any:
        from pydantic import ValidationError

        from sharewise.domain.record import RecordDetails

        values: dict[str, str] = {}
        pending = [f[0] for f in _TEXT_FIELDS]
        if self.plain.emergency_details is not None:
            # Completing an emergency record: its case, said once, not asked.
            values["case_ref"] = self.plain.emergency_details.case_ref
            pending.remove("case_ref")
        first = True
        while True:
            for key in pending:
                # Asked again after a complaint: the value given (kept or typed) was refused,
                # so it is not offered again.
                values[key] = self._ask_field(
                    key, values, self._offer(key, values) if first else None
                )
            first = False
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

    def _offer(self, key: str, values: dict[str, str]) -> Offer | None:
        offer = self.offers.get(key)
        answer = _REASON_OF.get(key)
        if (
            offer is not None
            and answer in self.offers
            and values.get(answer) != self.offers[answer].value
        ):
            return None
        return offer

    def _ask_field(self, key: str, values: dict[str, str], offer: Offer | None = None) -> str:
        from sharewise.domain.person_names import name_warning

        p = self.plain
        if key == "recipient.role" and not values.get("recipient.organisation"):
            return ""
        required = next(r for k, _, r in _TEXT_FIELDS if k == key)
        label = next(text for k, text, _ in _TEXT_FIELDS if k == key)
        shares = p.walk.result().decision.shares
        if key == "recipient.role" or (key == "recipient.organisation" and shares):
            required = True
            label = label.split(" (")[0]  # not "(Enter to skip)": it must be given
        while True:
            reply = p.ask(offer_prompt(key, offer) if offer is not None else f"{label}: ")
            if reply.lower() in QUIT_WORDS:
                raise _Quit
            if not reply and offer is not None:
                return offer.value
            if key.endswith((".sought", ".told")):
                if reply.lower() in _YES | _NO:
                    return "yes" if reply.lower() in _YES else "no"
                p.say("Please type yes or no.")
                continue
            if not reply and required:
                p.say(
                    RECIPIENT_NEEDED
                    if key == "recipient.organisation"
                    else "This is needed for the record."
                )
                continue
            if key == "review_by" and reply:
                import datetime as dt

                from sharewise.domain.record import past_review_date

                try:
                    past = past_review_date(dt.date.fromisoformat(reply))
                except ValueError:
                    p.say("Write the date as YYYY-MM-DD, for example 2026-12-06.")
                    continue
                if past:
                    p.say(past)
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
