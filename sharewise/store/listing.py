"""`records list` read straight from the stored rows: what each line shows, and nothing else.

`Ledger.listing` rebuilds every entry it lists as the validated model (`to_entry`), which
needs pydantic and the record models: importing them took most of `records list --case` on
a big ledger (the query itself takes a millisecond through the `case_ref` index). A listing
shows a dozen plain fields of each entry, so here they are read from the chained body and
the personal texts as `to_entry` reads them, and a field out of the ordinary (a type or a
value the model would coerce or refuse) sends that entry through `to_entry` after all: its
values, or its error, are then exactly the model path's. Nothing here imports pydantic.

What is not checked here is the rest of an entry (its result, its other details): a listing
prints none of it, and `records verify` is what reports a damaged entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sharewise.domain import chain
from sharewise.store.base import Backend, Filters, PersonalRow, Row

if TYPE_CHECKING:
    from sharewise.domain.record import Entry

#: `EntryKind` and `Decision` values (tests/store/test_plain_listing.py holds these to the
#: models): an entry with any other is rebuilt by the model, which refuses it.
KINDS = frozenset({"decision", "emergency", "completion", "review", "amendment", "purge"})
DECISIONS = frozenset(
    {"share_urgently", "share", "do_not_share", "seek_advice", "no_personal_data"}
)
_HASH = re.compile(r"[0-9a-f]{64}")
#: The longest case reference the model reads back (`record.CaseRef`).
CASE_REF_MAX = 64


@dataclass(frozen=True, slots=True)
class Completion:
    """The entry that completed an emergency record, and the decision it brought if any."""

    seq: int
    id: str
    decision: str | None

    def to_json_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "id": self.id, "decision": self.decision}


@dataclass(frozen=True, slots=True)
class Summary:
    """The fields of an entry a listing shows, as the model gives them."""

    seq: int
    id: str
    kind: str
    #: `created` as `%Y-%m-%dT%H:%M:%SZ`
    created: str
    decision: str | None
    case_ref: str | None
    erased: bool
    target: str | None
    hash: str
    org: str | None
    recorded_by: str | None

    def to_json_dict(self) -> dict[str, Any]:
        """What `records list --json` and `records due --json` print for the entry."""
        return {
            "seq": self.seq,
            "id": self.id,
            "kind": self.kind,
            "created": self.created,
            "decision": self.decision,
            "case_ref": self.case_ref,
            "target": self.target,
            "hash": self.hash,
            # On a shared PostgreSQL ledger only: who appended it, in which organisation.
            **({"org": self.org, "recorded_by": self.recorded_by} if self.recorded_by else {}),
        }


@dataclass(frozen=True, slots=True)
class ListedRow:
    """A listing's line: the entry's summary and what its linked entries add."""

    entry: Summary
    completed_by: Completion | None = None
    target_seq: int | None = None

    @property
    def decision(self) -> str | None:
        """The entry's own decision, or for an emergency record filed without one, the
        decision its completion brought (as `Listed.decision`)."""
        if self.entry.decision is not None:
            return self.entry.decision
        return self.completed_by.decision if self.completed_by is not None else None


def plain_listing(backend: Backend, filters: Filters | None = None) -> Iterator[ListedRow]:
    """The rows `Ledger.listing(filters)` gives, each entry as its `Summary`."""
    for row, personal, links in backend.listing(filters, None):
        completed_by = None
        if links.completed_by is not None and links.completion_id is not None:
            completed_by = Completion(
                links.completed_by, links.completion_id, links.completion_decision
            )
        yield ListedRow(summarise(row, personal), completed_by, links.target_seq)


def summarise(row: Row, personal: PersonalRow | None) -> Summary:
    """The entry's listed fields: from the stored JSON when each is ordinary, otherwise
    from the model (`to_entry`), which either reads it its own way or refuses it."""
    found = _plain(row, personal)
    if found is not None:
        return found
    from sharewise.store.ledger import to_entry

    return of_entry(to_entry(row, personal))


def of_entry(entry: Entry) -> Summary:
    """The listed fields of an entry the model rebuilt."""
    details = entry.details
    return Summary(
        seq=entry.seq,
        id=entry.id,
        kind=entry.kind.value,
        created=entry.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        decision=entry.decision.value if entry.decision else None,
        case_ref=details.case_ref if details else None,
        erased=entry.erased,
        target=entry.target,
        hash=entry.hash,
        org=entry.org,
        recorded_by=entry.recorded_by,
    )


def _plain(row: Row, personal: PersonalRow | None) -> Summary | None:
    """The summary read as `entry_fields` reads it, or None when any field is not what the
    model would take unchanged."""
    try:
        body = json.loads(row.body)
        texts: Any = None
        erased = bool(personal and personal.erased_by is not None)
        if personal is not None and personal.data is not None:
            texts = json.loads(personal.data)
        elif isinstance(body, dict) and body.get("personal") is not None:
            erased = True
    except (ValueError, TypeError):
        return None
    if not isinstance(body, dict) or not (texts is None or isinstance(texts, dict)):
        return None
    seq, entry_id, kind, created = body.get("seq"), body.get("id"), body.get("kind"), None
    decision, target = body.get("decision"), body.get("target")
    org, recorded_by = body.get("org"), body.get("recorded_by")
    data = body.get("data") or {}
    if not isinstance(data, dict):
        return None
    case_ref = None
    if "details" in data:
        details = data["details"]
        if not isinstance(details, dict):
            return None
        # `merge_personal_into`: the personal text of a top-level field replaces it.
        case_ref = (texts or {}).get("case_ref", details.get("case_ref"))
        if case_ref is None and not erased:
            return None  # the model refuses details without a case (unless erased)
        if case_ref is not None and not (
            type(case_ref) is str and 1 <= len(case_ref) <= CASE_REF_MAX
        ):
            return None
    if not (
        type(seq) is int
        and seq >= 1
        and type(entry_id) is str
        and type(kind) is str
        and kind in KINDS
        and type(body.get("created")) is str
        and (decision is None or (type(decision) is str and decision in DECISIONS))
        and (target is None or type(target) is str)
        and (org is None or type(org) is str)
        and (recorded_by is None or type(recorded_by) is str)
        and type(row.hash) is str
        and _HASH.fullmatch(row.hash)
    ):
        return None
    try:
        created = chain.parse_utc(body["created"])
    except ValueError:
        return None
    if created.tzinfo is None:
        return None
    return Summary(
        seq=seq,
        id=entry_id,
        kind=kind,
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        decision=decision,
        case_ref=case_ref,
        erased=erased,
        target=target,
        hash=row.hash,
        org=org,
        recorded_by=recorded_by,
    )
