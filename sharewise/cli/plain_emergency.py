"""`emergency` (or `999`) at any prompt of the plain walk: act now, then a short record.

The plain walk's twin of F2 in the UI: the same act-now words (`domain.emergency`), then the
same four details the UI's emergency form asks (case reference, and the practitioner's name,
role and organisation, offered from the remembered ones), and two optional notes; saved as
an emergency record "to be completed", validated by the domain as the UI's is.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sharewise.domain.emergency import act_now_text

if TYPE_CHECKING:
    from sharewise.cli.walk_cmd import PlainWalk

#: (key, prompt, required): the UI's emergency form, in its order.
EMERGENCY_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("case_ref", "Case reference (from your case system; if none yet, e.g. NEW-2026-11-29)", True),
    ("practitioner.name", "Your name", True),
    ("practitioner.role", "Your role", True),
    ("practitioner.organisation", "Your organisation", True),
    ("recipient.organisation", "Who you told, e.g. police via 999 (Enter to skip)", False),
    ("information", "What happened and what you shared, briefly (Enter to skip)", False),
)


class PlainEmergency:
    """The act-now text, then the emergency record's details one line each, then saved."""

    def __init__(self, plain: PlainWalk, data_dir: str | None) -> None:
        self.plain = plain
        self.data_dir = data_dir

    def run(self, *, goes_on: bool = False) -> int:
        from sharewise.cli.walk_cmd import _Quit
        from sharewise.profile import load_profile

        p = self.plain
        p.say()
        p.say(act_now_text())
        p.say()
        p.say(
            "When everyone is safe, record it: a short emergency record now, the rest when you "
            "complete it. Type quit to stop without recording."
        )
        remembered = load_profile(self.data_dir)
        try:
            details = self._ask(remembered)
        except (_Quit, EOFError):
            p.say()
            p.say("Stopped. Nothing was recorded. Record the emergency as soon as you can.")
            return 1
        from sharewise.store import open_ledger

        with open_ledger(self.data_dir) as ledger:
            ref = ledger.record_emergency(details)
        p.emergency_ref, p.emergency_details = ref.id, details
        p.say(f"Emergency record saved as {ref.id} (entry {ref.seq} in the ledger).")
        if not goes_on:
            p.say(
                "Complete it as soon as you can: in the app (Records, then k), or with "
                f"sharewise records complete {ref.id} --record DETAILS-FILE"
            )
        who = details.practitioner
        kept = {"name": who.name or "", "role": who.role, "organisation": who.organisation}
        with contextlib.suppress(OSError):
            from sharewise.profile import save_profile

            save_profile(self.data_dir, kept)
        return 0

    def _ask(self, remembered: dict[str, str]) -> Any:
        from pydantic import ValidationError

        from sharewise.cli.plain_record import Offer, offer_prompt
        from sharewise.cli.walk_cmd import QUIT_WORDS, _Quit
        from sharewise.domain.record import RecordDetails, nest_fields

        p = self.plain
        values: dict[str, str] = {}
        pending = [key for key, _, _ in EMERGENCY_FIELDS]
        while True:
            for key in pending:
                label, required = next((t, r) for k, t, r in EMERGENCY_FIELDS if k == key)
                part = key.removeprefix("practitioner.")
                offer = Offer(remembered[part], remembered=True) if part in remembered else None
                while True:
                    prompt = offer_prompt(key, offer) if offer else f"{label}: "
                    reply = p.ask(prompt, emergency=False)
                    if reply.lower() in QUIT_WORDS:
                        raise _Quit
                    if not reply and offer is not None:
                        reply = offer.value
                    if reply or not required:
                        values[key] = reply
                        break
                    p.say("This is needed for the record.")
            data = nest_fields({**values, "recipient.role": "told in an emergency"})
            try:
                return RecordDetails.model_validate(data, context={"emergency": True})
            except ValidationError as exc:
                pending = []
                for err in exc.errors():
                    key = ".".join(str(x) for x in err["loc"])
                    key = key if key in values else "case_ref"
                    p.say(f"Please check {key.replace('_', ' ')}: {err['msg']}")
                    pending.append(key)
