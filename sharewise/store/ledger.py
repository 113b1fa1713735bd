"""The ledger: builds chain entries, appends them through a backend, reads them back.

This is the one place an entry's body is assembled, so every backend chains the same
bytes. Personal details are split off here: the body carries their salted commitment and
the backend keeps the text (with its salt) beside the chain.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from sharewise.domain import chain
from sharewise.domain.errors import InputError, Location, Problem, StoreError
from sharewise.domain.record import (
    PERSONAL_PATHS,
    RECIPIENT_FIX,
    RECIPIENT_NEEDED,
    REVIEW_PERSONAL_PATHS,
    Entry,
    EntryKind,
    RecordDetails,
    Review,
    Verdict,
    merge_personal,
    merge_personal_into,
    new_id,
    recipient_missing,
    split_personal,
)
from sharewise.domain.result import DecisionResult
from sharewise.store.base import (
    Backend,
    Filters,
    Head,
    Links,
    NewEntry,
    PersonalRow,
    Row,
    StoredTree,
)
from sharewise.store.listing import Completion


@dataclass(frozen=True, slots=True)
class AppendedRef:
    """What a caller needs to cite a new entry: its id, place in the chain and hash."""

    id: str
    seq: int
    hash: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"id": self.id, "seq": self.seq, "hash": self.hash}


class EntryNotFound(InputError):
    """An id (or seq) that names no entry in this ledger."""


class CaseRefDiffers(InputError):
    """A completion whose case reference is not its emergency record's (see `complete`)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """What a listing holds in all (`Ledger.tally`), for a caller that reads only its newest."""

    #: The entries that match.
    total: int
    #: The emergency records among them that no completion has completed yet.
    waiting: int


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry as a listing shows it: the entry exactly as recorded, and what the entries
    linked to it add. Nothing here is stored; the chain is never rewritten to say it."""

    entry: Entry
    #: For an emergency record: the completion, once there is one.
    completed_by: Completion | None = None
    #: For a completion, review or amendment: the number of the entry it refers to.
    target_seq: int | None = None

    @property
    def decision(self) -> str | None:
        """The decision this entry stands for: its own, or for an emergency record filed
        without one, the decision its completion brought."""
        if self.entry.decision is not None:
            return self.entry.decision.value
        return self.completed_by.decision if self.completed_by is not None else None


@dataclass(frozen=True, slots=True)
class StoredResult:
    """A decision's result as recorded, read straight from the chained body.

    No entry model is rebuilt: replaying a whole ledger needs only the answers and where
    they led, and rebuilding 100,000 entries would cost more than deciding them again.
    `result` has the shape `DecisionResult.model_dump(mode="json")` gives.
    """

    seq: int
    id: str
    kind: str
    created: str
    result: dict[str, Any]

    @property
    def tree_sha256(self) -> str:
        return str(self.result["tree"]["sha256"])


#: The kinds of entry that can hold a decision's result.
RESULT_KINDS = (EntryKind.DECISION.value, EntryKind.EMERGENCY.value, EntryKind.COMPLETION.value)


def _require_recipient(result: DecisionResult | None, details: RecordDetails) -> None:
    """The ledger's own guard of the rule every route states (`RECIPIENT_NEEDED`)."""
    if recipient_missing(result.decision if result is not None else None, details):
        raise InputError(Problem(Location("details"), RECIPIENT_NEEDED, RECIPIENT_FIX))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entry encoded as far as it can be before the write lock is taken.

    Everything but the place in the chain (the sequence number, the previous hash) and the
    moment it is chained (its time and id) is canonical bytes here: the body's data, the
    personal details and their salted commitment. Encoding is most of an append's work
    (about 1 ms of pure Python), so doing it outside the lock lets writers overlap; inside,
    `finish` only splices the bytes together and hashes them.
    """

    kind: str
    #: The canonical `"data":...,"decision":...` part of the body (keys in RFC 8785 order).
    middle: bytes
    #: The canonical `"kind":...` part of the body.
    kind_json: bytes
    #: The canonical `"personal":...` part of the body.
    personal_json: bytes
    #: The canonical target (`null` or a string).
    target_json: bytes
    target: str | None
    decision: str | None
    personal: tuple[bytes, bytes, str | None] | None  # (salt, canonical data, case ref)

    def finish(
        self, head: Head, created: dt.datetime | None = None, entry_id: str | None = None
    ) -> NewEntry:
        """The next entry after `head`, byte for byte what `chain.canonical` makes of it."""
        seq = head.seq + 1
        moment = created or head.clock or _now()
        eid = entry_id or new_id(int(moment.timestamp() * 1000))
        created_text = chain.utc_text(moment)
        # RFC 8785 orders the keys: alg, created, data, decision, id, kind, org, personal,
        # prev_hash, recorded_by, seq, target; `org` and `recorded_by` only where the
        # database names them (PostgreSQL). The strings spliced are ASCII by construction,
        # except the login and organisation, which `json_text` escapes.
        org = b"" if head.org is None else b',"org":' + chain.json_text(head.org)
        by = b"" if head.by is None else b',"recorded_by":' + chain.json_text(head.by)
        raw = b"".join(
            (
                _ALG_JSON,
                chain.json_text(created_text),
                self.middle,
                b',"id":',
                chain.json_text(eid),
                self.kind_json,
                org,
                self.personal_json,
                b',"prev_hash":',
                chain.json_text(head.hash),
                by,
                b',"seq":',
                str(seq).encode("ascii"),
                b',"target":',
                self.target_json,
                b"}",
            )
        )
        personal_row = None
        if self.personal is not None:
            salt, pdata, case_ref = self.personal
            personal_row = PersonalRow(seq, salt, pdata, case_ref, None)
        row = Row(
            seq, eid, self.kind, created_text, self.decision, self.target, raw,
            chain.entry_hash(raw),
        )  # fmt: skip
        return NewEntry(row, personal_row)


_ALG_JSON = b'{"alg":' + chain.json_text(chain.ALGORITHM) + b',"created":'


def prepare_entry(
    kind: EntryKind,
    data: dict[str, Any],
    personal: dict[str, Any] | None,
    *,
    target: str | None = None,
    decision: str | None = None,
) -> Prepared:
    """Encode an entry's parts that do not depend on the chain's head (see `Prepared`)."""
    personal_parts: tuple[bytes, bytes, str | None] | None = None
    commitment: str | None = None
    if personal:
        pdata = chain.canonical(personal)
        salt = os.urandom(16)
        commitment = chain.personal_commitment(salt, pdata)
        case_ref = personal.get("case_ref")
        personal_parts = (
            salt,
            pdata,
            chain.normalise(case_ref) if isinstance(case_ref, str) else None,
        )
    middle = b',"data":' + chain.canonical(data) + b',"decision":' + chain.canonical(decision)
    return Prepared(
        kind.value,
        middle,
        b',"kind":' + chain.canonical(kind.value),
        b',"personal":' + chain.canonical(commitment),
        chain.canonical(target),
        target,
        decision,
        personal_parts,
    )


def build_entry(
    head: Head,
    kind: EntryKind,
    data: dict[str, Any],
    personal: dict[str, Any] | None,
    *,
    target: str | None = None,
    decision: str | None = None,
    created: dt.datetime | None = None,
    entry_id: str | None = None,
) -> NewEntry:
    """The next entry after `head`: canonical body, its hash and the personal row beside it."""
    prepared = prepare_entry(kind, data, personal, target=target, decision=decision)
    return prepared.finish(head, created, entry_id)


def result_data(result: DecisionResult) -> dict[str, Any]:
    """The decided result as it goes into the chain (all in clear: it holds no names)."""
    return result.model_dump(mode="json")


def details_parts(details: RecordDetails) -> tuple[dict[str, Any], dict[str, Any]]:
    """(public, personal) halves of a practitioner's details."""
    return split_personal(details.model_dump(mode="json", exclude_none=True), PERSONAL_PATHS)


class Ledger:
    """Appending and reading entries; `verify` lives in `sharewise.store.verify`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- appending -------------------------------------------------------------------------

    def _append(
        self,
        kind: EntryKind,
        data: dict[str, Any],
        personal: dict[str, Any] | None,
        *,
        target: str | None = None,
        decision: str | None = None,
    ) -> AppendedRef:
        try:
            # Encoded before the lock is taken: only the splice and the hash happen inside.
            prepared = prepare_entry(kind, data, personal, target=target, decision=decision)
        except chain.CanonicalError as exc:
            raise InputError(Problem(Location("<record>"), str(exc), "")) from None
        source = _tree_source(data, self.backend.holds_tree)

        def build(head: Head) -> NewEntry:
            entry = prepared.finish(head)
            if source is None:
                return entry
            return replace(entry, tree=StoredTree(source[0], source[1], entry.row.seq))

        row = self.backend.append(build)
        return AppendedRef(row.id, row.seq, row.hash)

    def record_decision(
        self,
        result: DecisionResult,
        details: RecordDetails,
        *,
        emergency: bool = False,
        reassesses: str | None = None,
    ) -> AppendedRef:
        """A decision (to share or not: both are records), or an emergency one to complete.

        `reassesses` names an earlier record this one reassesses on new information: the
        new record's chain `target` is that record, so the link is verified like a
        review's, and the earlier record is no longer due for review.
        """
        target = None
        if reassesses is not None:
            target = self.reassessable(reassesses).id
        if not emergency:
            _require_recipient(result, details)
        public, personal = details_parts(details)
        kind = EntryKind.EMERGENCY if emergency else EntryKind.DECISION
        data = {"result": result_data(result), "details": public}
        return self._append(kind, data, personal, decision=result.decision.value, target=target)

    def reassessable(self, entry_id: str) -> Entry:
        """The record a reassessment would start from, with the decision it holds: its own,
        or for an emergency record, the one its completion brought."""
        entry = self.get(entry_id)
        if entry.kind not in (EntryKind.DECISION, EntryKind.EMERGENCY, EntryKind.COMPLETION):
            raise InputError(
                Problem(
                    Location(entry_id),
                    f"a {entry.kind.value} entry is not a decision to reassess",
                    "give the id of a decision record (`sharewise records list`)",
                )
            )
        if entry.result is None and entry.kind is EntryKind.EMERGENCY:
            done = next((e for e in self._linked(entry.id, EntryKind.COMPLETION) if e.result), None)
            if done is not None:
                return entry.model_copy(update={"result": done.result})
        if entry.result is None:
            raise InputError(
                Problem(
                    Location(entry_id),
                    "this record holds no answers to start from",
                    "walk the questions afresh (`sharewise walk --plain`)",
                )
            )
        return entry

    def record_emergency(
        self, details: RecordDetails, result: DecisionResult | None = None
    ) -> AppendedRef:
        """An emergency record filed now, to be completed later, with or without a decision.

        Someone acting on immediate danger must be able to file the record even when no
        tree can be loaded (a broken file, a failed update): the result is optional here,
        and the completion can attach the decision once the questions have been walked.
        `details` should be validated with `context={"emergency": True}`.
        """
        public, personal = details_parts(details)
        data: dict[str, Any] = {"details": public}
        if result is not None:
            data["result"] = result_data(result)
        decision = result.decision.value if result is not None else None
        return self._append(EntryKind.EMERGENCY, data, personal, decision=decision)

    def complete(
        self,
        target_id: str,
        details: RecordDetails,
        result: DecisionResult | None = None,
        *,
        new_case_ref: bool = False,
    ) -> AppendedRef:
        """The full details of an emergency record, recorded afterwards.

        `result` is the decision reached by walking the questions since, if they were; it
        is refused when the emergency record already holds one (it cannot be replaced
        here: a different decision is a new decision record).

        The details must carry the emergency record's case reference (compared as stored:
        NFC, exactly), so that a search by case finds both; a slip would otherwise file the
        completion under another case for good. `new_case_ref=True` accepts a different
        one, for a case given its proper reference since the emergency was filed. An
        emergency whose details were purged has nothing to compare with.
        """
        target = self.get(target_id)
        if target.kind is not EntryKind.EMERGENCY:
            raise InputError(
                Problem(
                    Location(target_id),
                    "this entry is not an emergency record",
                    "use `records amend` to correct a decision record",
                )
            )
        if any(True for _ in self._linked(target.id, EntryKind.COMPLETION)):
            raise InputError(
                Problem(
                    Location(target_id),
                    "this emergency record is already completed",
                    "use `records amend` to correct it",
                )
            )
        if result is not None and target.result is not None:
            raise InputError(
                Problem(
                    Location(target_id),
                    "this emergency record already holds a decision",
                    "complete it with its details only, or record the new decision separately",
                )
            )
        _require_recipient(result or target.result, details)
        was = target.details.case_ref if target.details is not None else None
        now = details.case_ref
        if not new_case_ref and was and now and chain.normalise(was) != chain.normalise(now):
            # The references are personal data: the message names the field only.
            raise CaseRefDiffers(
                Problem(
                    Location(target_id),
                    "the case reference differs from the emergency record's",
                    "use the emergency record's case reference "
                    "(`sharewise records show ID` prints it)",
                )
            )
        public, personal = details_parts(details)
        data: dict[str, Any] = {"details": public}
        if result is not None:
            data["result"] = result_data(result)
        return self._append(
            EntryKind.COMPLETION,
            data,
            personal,
            target=target.id,
            decision=result.decision.value if result is not None else None,
        )

    def amend(self, target_id: str, details: RecordDetails) -> AppendedRef:
        """A correction that supersedes the details of a record; the original stays."""
        target = self.get(target_id)
        if target.kind not in (
            EntryKind.DECISION,
            EntryKind.EMERGENCY,
            EntryKind.COMPLETION,
            EntryKind.AMENDMENT,
        ):
            raise InputError(
                Problem(
                    Location(target_id),
                    f"a {target.kind.value} entry has no details to amend",
                    "amend the decision record itself",
                )
            )
        public, personal = details_parts(details)
        return self._append(EntryKind.AMENDMENT, {"details": public}, personal, target=target.id)

    def review(
        self, target_id: str, verdict: Verdict, reviewer: str, comment: str | None = None
    ) -> AppendedRef:
        """An IG lead's verdict on an entry."""
        target = self.get(target_id)
        try:
            review = Review(verdict=verdict, reviewer=reviewer, comment=comment)
        except ValidationError as exc:
            raise InputError(
                Problem(
                    Location("review"),
                    exc.errors()[0]["msg"],
                    "give the reviewer's name and a non-empty comment",
                )
            ) from None
        public, personal = split_personal(
            review.model_dump(mode="json", exclude_none=True), REVIEW_PERSONAL_PATHS
        )
        return self._append(EntryKind.REVIEW, {"review": public}, personal, target=target.id)

    def purge(self, before: dt.date) -> tuple[AppendedRef, int]:
        """Erase personal details of entries created before `before` (end of retention)."""
        cutoff = before.isoformat()

        def build(head: Head, count: int) -> NewEntry:
            return build_entry(
                head, EntryKind.PURGE, {"purge": {"before": cutoff, "count": count}}, None
            )

        row, count = self.backend.purge(cutoff, build)
        return AppendedRef(row.id, row.seq, row.hash), count

    # -- reading ---------------------------------------------------------------------------

    def entries(self, filters: Filters | None = None) -> Iterator[Entry]:
        for row, personal in self.backend.rows(filters):
            yield to_entry(row, personal)

    def listing(
        self, filters: Filters | None = None, *, newest: int | None = None
    ) -> Iterator[Listed]:
        """The entries `entries(filters)` gives, each with what its linked entries add (an
        emergency record's completion, the entry a later one refers to): one query.

        `newest` keeps only the last that many (still oldest first): the database stops
        after them, and only they are rebuilt (about 75 µs an entry, 7 s for 100,000).
        `tally(filters)` counts the rest.
        """
        for row, personal, links in self.backend.listing(filters, newest):
            yield _listed(to_entry(row, personal), links)

    def results(self, filters: Filters | None = None) -> Iterator[StoredResult]:
        """Every recorded result among the entries `filters` picks, in chain order."""
        picked = replace(filters or Filters(), kinds=RESULT_KINDS)
        for row, _personal in self.backend.rows(picked):
            try:
                result = json.loads(row.body)["data"].get("result")
            except (ValueError, KeyError, TypeError, AttributeError):
                raise StoreError(
                    f"entry {row.seq} cannot be read back; run `sharewise records verify`"
                ) from None
            if isinstance(result, dict):
                yield StoredResult(row.seq, row.id, row.kind, row.created, result)

    def tally(self, filters: Filters | None = None) -> Tally:
        """How many entries `listing(filters)` gives, and how many of them are emergency
        records still to be completed, counted in the database (no entry is read)."""
        total, waiting = self.backend.tally(filters)
        return Tally(total, waiting)

    def get(self, entry_id: str) -> Entry:
        found = self.backend.get(entry_id.strip())
        if found is None:
            raise EntryNotFound(
                Problem(
                    Location(entry_id),
                    "no entry with this id or number",
                    "list entries with `sharewise records list`",
                )
            )
        return to_entry(*found)

    def _linked(self, target_id: str, kind: EntryKind) -> Iterator[Entry]:
        # The stored `target` column picks them; only those are rebuilt (and checked by
        # the body: a column that disagrees with it is verify's to report).
        picked = Filters(kinds=(kind.value,), targets=(target_id,))
        for row, personal in self.backend.rows(picked):
            if row.target == target_id:
                entry = to_entry(row, personal)
                if entry.target == target_id:
                    yield entry

    def links(self, among: Collection[str] | None = None) -> dict[str, list[Entry]]:
        """Every later entry that refers to an earlier one (completion, review, amendment),
        by the id it refers to, oldest first: one pass, holding only the linking entries.
        With `among`, only those referring to these ids (the others are not rebuilt)."""
        found: dict[str, list[Entry]] = {}
        kinds = (
            EntryKind.COMPLETION.value,
            EntryKind.REVIEW.value,
            EntryKind.AMENDMENT.value,
            EntryKind.DECISION.value,  # a reassessment
        )
        # With `among`, the database picks them by the `target` column's index: `records
        # show` on an early entry read every later completion, review, amendment and
        # reassessment (3.7 s at 100,000 entries) to find the two or three about it.
        targets = None if among is None else tuple(among)
        for row, personal in self.backend.rows(Filters(kinds=kinds, targets=targets)):
            if row.target is None or (among is not None and row.target not in among):
                continue  # the column is enough to skip it; the kept ones go by the body
            entry = to_entry(row, personal)
            if entry.target is not None:
                found.setdefault(entry.target, []).append(entry)
        return found

    def linked_to(self, target_id: str) -> list[Entry]:
        """The later entries that refer to this one, oldest first."""
        return self.links(among=(target_id,)).get(target_id, [])

    def count(self) -> int:
        return self.backend.count()

    def tree_source(self, sha256: str) -> bytes | None:
        """The ledger's copy of the tree with this digest (as a record's `tree.sha256`)."""
        return self.backend.tree(sha256)

    def held_trees(self) -> dict[str, int]:
        """The digest of every tree the ledger holds, and the entry that brought it."""
        return self.backend.tree_digests()

    def head(self) -> Head:
        return self.backend.head()

    def due(self, today: dt.date) -> Iterator[tuple[Entry, str]]:
        """Entries needing attention: review date passed and not superseded by a later entry
        for the same case, or emergency records still to be completed.

        The database picks the candidates (`Backend.due_rows`): the emergency records no
        completion names, and each case's newest entry. Only those are read, and only the
        ones that are due are rebuilt, so memory stays flat and time grows with the number
        of cases rather than of entries.
        """
        cutoff = today.isoformat()
        for emergency, row, personal in self.backend.due_rows():
            if emergency:
                yield to_entry(row, personal), "emergency record to be completed"
                continue
            details = (chain.decode(row.body).get("data") or {}).get("details") or {}
            review_by = details.get("review_by")
            # ISO dates compare as text; the rebuilt entry says exactly what is due.
            if isinstance(review_by, str) and review_by < cutoff:
                entry = to_entry(row, personal)
                if entry.details is not None and entry.details.review_by is not None:
                    yield entry, f"review was due {entry.details.review_by.isoformat()}"


def _tree_source(data: dict[str, Any], held: Callable[[str], bool]) -> tuple[str, bytes] | None:
    """The digest and bytes of the tree an entry's result was decided on, when this process
    loaded that tree (see `tree_sources`); the ledger keeps a copy beside the chain.

    None for a tree the ledger is already known to hold (`held`): the bytes are kept
    compressed and checked against their digest when handed out, which was 3 of an
    append's 4.8 ms of CPU when done for every record of a tree stored long ago."""
    from sharewise.domain import tree_sources

    result = data.get("result")
    if not isinstance(result, dict):
        return None
    sha = result.get("tree", {}).get("sha256")
    if not isinstance(sha, str) or held(sha):
        return None
    raw = tree_sources.source(sha)
    return None if raw is None else (sha, raw)


def _listed(entry: Entry, links: Links) -> Listed:
    completed_by = None
    if links.completed_by is not None and links.completion_id is not None:
        completed_by = Completion(
            links.completed_by, links.completion_id, links.completion_decision
        )
    return Listed(entry, completed_by, links.target_seq)


def to_entry(row: Row, personal: PersonalRow | None) -> Entry:
    """Rebuild the readable entry from stored bytes (personal text merged back in)."""
    try:
        fields = entry_fields(row, personal)
        # The context relaxes "required" for what a purge erased or an emergency left out.
        context = {
            "erased": fields["erased"],
            "emergency": fields["kind"] == EntryKind.EMERGENCY.value,
            "stored": True,
        }
        return Entry.model_validate(fields, context=context)
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"entry {row.seq} cannot be read back ({exc.__class__.__name__}); "
            "run `sharewise records verify` to see what is wrong"
        ) from None


def stored_parts(
    row: Row, personal: PersonalRow | None, loads: Callable[[bytes], Any] = json.loads
) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
    """A stored entry's public body, its personal texts (None: none kept, or erased) and
    whether they were erased: a purge empties the personal row, and an entry whose body
    names personal details but has no row left is erased too."""
    body = loads(row.body)
    texts: dict[str, Any] | None = None
    erased = bool(personal and personal.erased_by is not None)
    if personal is not None and personal.data is not None:
        texts = loads(personal.data)
    elif body.get("personal") is not None:
        erased = True
    return body, texts, erased


def entry_fields(
    row: Row, personal: PersonalRow | None, loads: Callable[[bytes], Any] = json.loads
) -> dict[str, Any]:
    """The stored JSON as the fields `to_entry` validates into an `Entry` (the JSON export
    puts them in the model's shape without validating). Raises ValueError, KeyError or
    TypeError for an entry that cannot be read back."""
    body, texts, erased = stored_parts(row, personal, loads)
    data = body.get("data") or {}
    fields: dict[str, Any] = {
        "seq": body["seq"],
        "id": body["id"],
        "kind": body["kind"],
        "created": chain.parse_utc(body["created"]),
        "alg": body["alg"],
        "prev_hash": body["prev_hash"],
        "hash": row.hash,
        "target": body.get("target"),
        "decision": body.get("decision"),
        "result": data.get("result"),
        # `merge_personal` would copy the details first; these were parsed just now.
        "details": _merged(data["details"], texts) if "details" in data else None,
        "review": _merged(data["review"], texts) if "review" in data else None,
        "purge": data.get("purge"),
        "erased": erased,
        "org": body.get("org"),
        "recorded_by": body.get("recorded_by"),
    }
    return fields


def _merged(public: Any, personal: dict[str, Any] | None) -> Any:
    """`merge_personal(public, personal)` into `public` itself (parsed for this alone):
    the same result without copying every nested mapping first."""
    if not isinstance(public, dict):
        return merge_personal(public, personal)  # as before: its error, its message
    return merge_personal_into(public, personal)
