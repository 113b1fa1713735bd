"""The decision record: what a practitioner files, and every other kind of ledger entry.

A record has two halves. The *result* (tree, questions and answers, outcome, decision and
the law, with the lawful basis and the conditions kept apart) is what the tree decided; the
*details* are what the practitioner adds: who, to whom, what, how, and why. Names and free
text in the details are personal data, so `PERSONAL_PATHS` lists them: the ledger commits
to them by salted hash and keeps the text beside the chain, where a retention purge can
erase it without breaking the chain.

Corrections never overwrite: a review, an amendment or the completion of an emergency
record is a new entry that names the entry it concerns (`target`).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from sharewise.domain.result import DecisionResult
from sharewise.domain.safe_text import line_problem
from sharewise.domain.tree import Decision

#: Free text a practitioner writes: stored exactly (after NFC), never stripped or reflowed.
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000, pattern=r"\S")]


def _one_line(value: str, info: ValidationInfo) -> str:
    """The one safe-text rule for one-line fields (`safe_text.line_problem`), for text a
    person gives. Entries read back from the ledger are what was stored then, and are shown
    through `safe_text`, so they are not refused here (`stored` in the context)."""
    if info.context and info.context.get("stored"):
        return value
    problem = line_problem(value)
    if problem:
        raise ValueError(problem)
    return value


#: A short label (role, organisation): one line.
Label = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_one_line)]
CaseRef = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_one_line)]


class EntryKind(StrEnum):
    """The kinds of ledger entry; the values are stored in the chain and never renamed."""

    DECISION = "decision"
    EMERGENCY = "emergency"
    COMPLETION = "completion"
    REVIEW = "review"
    AMENDMENT = "amendment"
    PURGE = "purge"


class Verdict(StrEnum):
    """An information governance lead's view of a recorded decision."""

    AGREE = "agree"
    DISAGREE = "disagree"
    FOLLOW_UP = "follow_up"


#: The details that are personal data (dotted paths), committed by salted hash.
PERSONAL_PATHS: tuple[str, ...] = (
    "case_ref",
    "practitioner.name",
    "recipient.name",
    "information",
    "method",
    "consent.reason",
    "informed.reason",
    "identities_protected",
    "advice_sought",
    "rationale",
)
REVIEW_PERSONAL_PATHS: tuple[str, ...] = ("reviewer", "comment")

#: Said by every route that records a decision (the UI's form, the plain walk, `decide
#: --record`, `records complete`), so the person reads one rule whichever way they record.
RECIPIENT_NEEDED = (
    "A record of a decision to share must name its recipient: the organisation that "
    "received the information, and their role."
)
RECIPIENT_FIX = "add recipient: {organisation: ..., role: ...} to the details"


def recipient_missing(decision: Decision | None, details: RecordDetails) -> bool:
    """Whether a record of this decision lacks the recipient it must name.

    A disclosure without a named recipient cannot be audited: an IG lead cannot tell whom
    the information went to. A decision not to share may name one (who asked) or not.
    """
    return decision is not None and decision.shares and details.recipient is None


# Required unless the entry is an emergency record (completed later) or has been purged.
_REQUIRED_FOR_FULL = ("information", "consent", "informed", "rationale")


def _erased(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("erased"))


def _required(what: str) -> AfterValidator:
    """Text a record needs, which may be absent only once a purge has erased it."""

    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is None and not _erased(info):
            raise ValueError(f"{what} is required")
        return value

    return AfterValidator(check)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Practitioner(_Model):
    """Who made the decision."""

    name: Annotated[Text | None, _required("a name")] = Field(default=None, validate_default=True)
    role: Label
    organisation: Label


class Recipient(_Model):
    """Who received (or would have received) the information."""

    name: Text | None = None
    organisation: Label
    role: Label


class Consent(_Model):
    """Whether consent was sought, and why (or why not)."""

    sought: StrictBool
    reason: Annotated[Text | None, _required("a reason")] = Field(
        default=None, validate_default=True
    )


class Informed(_Model):
    """Whether the person was told about the sharing, and why (or why not)."""

    told: StrictBool
    reason: Annotated[Text | None, _required("a reason")] = Field(
        default=None, validate_default=True
    )


class RecordDetails(_Model):
    """What the practitioner adds to an outcome (`record-details.example.yaml`).

    Validate with `context={"emergency": True}` for an emergency record, where only the case
    reference and the practitioner are needed now and the rest comes in a completion entry.
    Personal fields are null only in an entry whose personal details were purged.
    """

    case_ref: CaseRef | None = None
    practitioner: Practitioner
    recipient: Recipient | None = None
    information: Text | None = None
    method: Text | None = None
    consent: Consent | None = None
    informed: Informed | None = None
    identities_protected: Text | None = None
    advice_sought: Text | None = None
    rationale: Text | None = None
    review_by: dt.date | None = None

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> RecordDetails:
        context = info.context or {}
        if context.get("erased"):
            return self
        missing = [] if self.case_ref is not None else ["case_ref"]
        if not context.get("emergency"):
            missing += [name for name in _REQUIRED_FOR_FULL if getattr(self, name) is None]
        if missing:
            raise ValueError("missing " + ", ".join(missing))
        return self


class Review(_Model):
    """An information governance lead's review of an entry."""

    verdict: Verdict
    reviewer: Annotated[Text | None, _required("the reviewer's name")] = Field(
        default=None, validate_default=True
    )
    comment: Text | None = None


class PurgeMarker(_Model):
    """The end of a retention period: personal details before `before` were erased."""

    before: dt.date
    count: int


class Entry(_Model):
    """One ledger entry as read back, exported and published in `docs/record.schema.json`.

    `hash` and `prev_hash` place it in the chain; `target` is the id of the entry that a
    completion, review or amendment concerns. `erased` is true once a purge has removed its
    personal details (the fields that held them are then null).
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": "https://sharewise.example/record.schema.json"},
    )

    seq: int = Field(ge=1)
    id: str
    kind: EntryKind
    created: dt.datetime
    alg: str
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    target: str | None = None
    decision: Decision | None = None
    result: DecisionResult | None = None
    details: RecordDetails | None = None
    review: Review | None = None
    purge: PurgeMarker | None = None
    erased: bool = False
    #: On a shared PostgreSQL ledger: the organisation whose chain holds the entry, and the
    #: database login that appended it (the database refuses any other). Absent on SQLite,
    #: a single-user ledger: there the typed name is all there is.
    org: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="The organisation whose chain holds the entry (shared ledger only).",
    )
    recorded_by: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="The database login that appended the entry (shared ledger only).",
    )

    @property
    def to_be_completed(self) -> bool:
        """An emergency record, still awaiting its completion entry (the ledger decides)."""
        return self.kind is EntryKind.EMERGENCY


# ---------------------------------------------------------------------------------------
# Splitting personal details from the part the chain carries in clear.


def nest_fields(fields: Mapping[str, object]) -> dict[str, Any]:
    """A form's flat fields (`"practitioner.name": ...`) as the mapping RecordDetails reads.

    The UI's record and emergency forms and the plain walk all collect flat fields; empty
    text means "not given" (None), and a recipient with no organisation was not named, so
    it is left out rather than failing as an incomplete recipient.
    """
    data: dict[str, Any] = {}
    for key, value in fields.items():
        given = (value or None) if isinstance(value, str) else value
        head, _, tail = key.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = given
        else:
            data[head] = given
    recipient = data.get("recipient")
    if isinstance(recipient, dict) and not recipient.get("organisation"):
        del data["recipient"]
    return data


def split_personal(
    data: dict[str, Any], paths: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(public copy without the personal fields, {dotted path: text}) of a details mapping."""
    public = _deep_copy(data)
    personal: dict[str, Any] = {}
    for path in paths:
        *parents, leaf = path.split(".")
        node: Any = public
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and leaf in node:
            value = node.pop(leaf)
            if value is not None:
                personal[path] = value
    return public, personal


def merge_personal(public: dict[str, Any], personal: dict[str, Any] | None) -> dict[str, Any]:
    """Put the personal fields back (`None` after a purge: the fields stay absent)."""
    return merge_personal_into(_deep_copy(public), personal)


def merge_personal_into(public: dict[str, Any], personal: dict[str, Any] | None) -> dict[str, Any]:
    """`merge_personal` into `public` itself, for a caller that parsed it for this alone
    (no copy of every nested mapping first). A dotted path whose parent is missing or not
    a mapping is left out, as it would be by the model."""
    for path, value in (personal or {}).items():
        *parents, leaf = path.split(".")
        node = public
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[leaf] = value
    return public


def _deep_copy(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _deep_copy(v) if isinstance(v, dict) else v for k, v in data.items()}


# ---------------------------------------------------------------------------------------
# Identifiers.

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(now_ms: int | None = None) -> str:
    """A ULID: 26 characters, sortable by creation time, 80 random bits against collisions.

    Sortable ids let a person reading a case file see order at a glance; randomness lets
    three machines create records at once without asking each other.
    """
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def record_schema() -> dict[str, Any]:
    """The JSON Schema of an exported entry, as published in `docs/record.schema.json`."""
    schema = Entry.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sharewise ledger entry"
    return schema


def local_today() -> dt.date:
    """Today where the practitioner is (tests fix it, so dates in fixtures stay valid)."""
    return dt.date.today()


def past_review_date(review: dt.date, today: dt.date | None = None) -> str | None:
    """Why a review date cannot be set on a new record, if it cannot: a date already past
    would make the record due the moment it is filed, which is a slip, not a plan."""
    today = today or local_today()
    if review < today:
        return (
            f"The review date {review.isoformat()} has passed: choose a day from today "
            f"({today.isoformat()}) on, or leave it empty."
        )
    return None
