"""The storage interface every ledger backend implements, and the rows it stores.

A backend stores and returns bytes; it never builds, hashes or judges an entry. Keeping the
chain logic out of the backends means SQLite and PostgreSQL cannot disagree about what a
valid entry is, and one test suite can hold both to the same behaviour.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sharewise.domain.chain import GENESIS
from sharewise.domain.errors import StoreError


@dataclass(frozen=True, slots=True)
class Row:
    """One chain entry exactly as stored. Only `body` and `hash` are covered by the chain;
    the other columns are copies kept for searching, and `verify` checks them against it."""

    seq: int
    id: str
    kind: str
    created: str
    decision: str | None
    target: str | None
    body: bytes
    hash: str


@dataclass(frozen=True, slots=True)
class PersonalRow:
    """The personal details beside an entry: salt and canonical JSON, or erased by a purge."""

    seq: int
    salt: bytes | None
    data: bytes | None
    case_ref: str | None
    erased_by: int | None


@dataclass(frozen=True, slots=True)
class Head:
    """The last entry's position and hash (seq 0 and the genesis hash when empty).

    `clock` is the database server's time when the backend keeps the recorded time itself
    (PostgreSQL: a client cannot backdate an entry); None means the local clock. `org` and
    `by` are the organisation whose chain this is and the login appending, as the database
    says (PostgreSQL, which refuses an entry that names any other); None on SQLite, a
    single-user ledger, whose entries name neither.
    """

    seq: int = 0
    hash: str = GENESIS
    clock: dt.datetime | None = None
    org: str | None = None
    by: str | None = None


@dataclass(frozen=True, slots=True)
class StoredTree:
    """A copy of the tree a decision was made on, kept once per tree (by its SHA-256) so
    that any record can be replayed on its own rules after the shipped tree has changed.
    Not part of the chain: the record's body names the tree by this digest, and `verify`
    checks that the bytes still hash to it."""

    sha256: str
    body: bytes
    #: The entry that first brought this tree into the ledger.
    seq: int


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What an append writes: the chain row, its personal details if it has any, and the
    tree it was decided on if the ledger may not hold that tree yet."""

    row: Row
    personal: PersonalRow | None
    tree: StoredTree | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Which entries to read. Dates are inclusive, by the UTC date of `created`.

    `decision` and `case` match an entry's own decision and case reference, and an
    emergency record also through its completion (`decision_clause`, `case_clause`): an
    emergency filed without a decision is found by the decision its completion brought.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    decision: str | None = None
    case: str | None = None
    kinds: tuple[str, ...] | None = None
    #: Only these entries, by number: the records behind a figure on the IG dashboard.
    seqs: tuple[int, ...] | None = None
    #: Only the entries numbered after this one: what a cache has not read yet.
    after: int | None = None
    #: Only the entries whose stored `target` column names one of these ids (through the
    #: column's index): what refers to an entry, without reading every later entry.
    targets: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Links:
    """What a listing reads beside a row from the entries linked to it (nothing stored).

    For an emergency record: its completion (the first, as `Ledger.complete` allows only
    one), by number, id and the decision it brought. For a completion, review or amendment:
    the number of the entry it refers to.
    """

    completed_by: int | None = None
    completion_id: str | None = None
    completion_decision: str | None = None
    target_seq: int | None = None


#: Builds the entry to append from the head it will follow (called inside the write lock).
Builder = Callable[[Head], NewEntry]
#: Builds a purge marker from the head and the number of entries erased.
PurgeBuilder = Callable[[Head, int], NewEntry]


# Shared by the backends. GROUP BY makes the database sort or hash on disk, and does not
# depend on the UNIQUE index on `id` (which someone tampering could have removed).
DUPLICATE_IDS_SQL = (
    "SELECT e.seq, e.id, g.first FROM entries e"
    " JOIN (SELECT id, MIN(seq) AS first FROM entries GROUP BY id HAVING COUNT(*) > 1) g"
    " ON g.id = e.id WHERE e.seq > g.first ORDER BY e.seq"
)
DANGLING_TARGETS_SQL = (
    "SELECT e.seq, e.id FROM entries e"
    " LEFT JOIN (SELECT id, MIN(seq) AS first FROM entries GROUP BY id) g ON g.id = e.target"
    " WHERE e.target IS NOT NULL AND (g.first IS NULL OR g.first >= e.seq) ORDER BY e.seq"
)


# Reading an emergency record through its completion. Each subquery is a lookup on the
# `target` (or UNIQUE `id`) index, and CASE runs it only for the rows that can have one, so
# a listing stays one statement however many rows it returns.
_FIRST_COMPLETION = (
    "SELECT c.{column} FROM entries c WHERE c.target = e.id AND c.kind = 'completion'"
    " AND c.seq > e.seq ORDER BY c.seq LIMIT 1"
)
LISTING_COLUMNS = ", ".join(
    [
        *(
            f"CASE WHEN e.kind = 'emergency' THEN ({_FIRST_COMPLETION.format(column=c)}) END"
            for c in ("seq", "id", "decision")
        ),
        "CASE WHEN e.target IS NOT NULL THEN"
        " (SELECT MIN(t.seq) FROM entries t WHERE t.id = e.target) END",
    ]
)


#: A filtered listing's counts, without reading its rows: (entries, emergency records among
#: them still to be completed, as LISTING_COLUMNS reads a completion). One statement.
TALLY_COLUMNS = (
    "COUNT(*), COALESCE(SUM(CASE WHEN e.kind = 'emergency' AND NOT EXISTS (SELECT 1"
    " FROM entries c WHERE c.target = e.id AND c.kind = 'completion' AND c.seq > e.seq)"
    " THEN 1 ELSE 0 END), 0)"
)


#: What `records due` reads, after a backend's own `SELECT <row and personal columns>`:
#: emergency records that no completion names...
DUE_EMERGENCIES = (
    " WHERE e.kind = 'emergency' AND NOT EXISTS (SELECT 1 FROM entries c"
    " WHERE c.target = e.id AND c.kind = 'completion')"
)
#: ...and the newest entry of each case. The database
#: groups the cases (by the `case_ref` column, which only details that carry a case fill),
#: so nothing grows in Python with the ledger, and only these rows are read.
#: A record reassessed since (under another case reference) is no longer due, nor is an
#: amendment or completion of one (its review date is that record's).
NOT_REASSESSED = (
    " AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.kind = 'decision'"
    " AND (r.target = e.id OR r.target = e.target))"
)
DUE_CASES = (
    " JOIN (SELECT case_ref, MAX(seq) AS last, MIN(seq) AS first FROM personal"
    " WHERE case_ref IS NOT NULL GROUP BY case_ref) g ON g.last = e.seq WHERE g.first > 0"
    + NOT_REASSESSED
)
#: How each is ordered (and paged, by the column named): chain order, first appearance.
DUE_ORDER = ("e.seq", "g.first")


def decision_clause(mark: str) -> str:
    """Entries with this decision (two parameters, the decision twice): an entry's own, or
    for an emergency record filed without one, the decision its completion brought."""
    completion = _FIRST_COMPLETION.format(column="decision")
    return (
        f"(e.decision = {mark} OR (e.kind = 'emergency' AND e.decision IS NULL"
        f" AND ({completion}) = {mark}))"
    )


def case_clause(mark: str) -> str:
    """Entries for this case (two parameters, the reference twice): an entry's own case
    reference, or for an emergency record, the one its completion gave (which differs only
    when the case was given a new reference: `complete --new-case-ref`). Both halves start
    from the `case_ref` index."""
    return (
        f"e.seq IN (SELECT cp.seq FROM personal cp WHERE cp.case_ref = {mark}"
        " UNION ALL SELECT t.seq FROM personal cp JOIN entries c ON c.seq = cp.seq"
        " JOIN entries t ON t.id = c.target"
        f" WHERE cp.case_ref = {mark} AND c.kind = 'completion' AND t.kind = 'emergency')"
    )


def split_links(raw: Sequence[Any]) -> Links:
    """The four LISTING_COLUMNS of a result row, as `Links`."""
    done, done_id, done_decision, target = raw
    return Links(
        None if done is None else int(done),
        done_id,
        done_decision,
        None if target is None else int(target),
    )


def seq_of(entry_id: str) -> int | None:
    """The entry number an id written as digits names (`records show 12`), or None for an
    id. Only ASCII digits, and only numbers a database integer can hold: `²` or `١٢` are not
    numbers here, and 25 digits can name no entry (SQLite would overflow on them)."""
    if entry_id.isascii() and entry_id.isdigit():
        number = int(entry_id)
        return number if number < 2**63 else 0
    return None


class LedgerLocked(StoreError):
    """Another program held the ledger's write lock for longer than we were willing to wait."""


class LedgerFull(StoreError):
    """The disk (or the database's size limit) is full; nothing was written."""


class LedgerCorrupt(StoreError):
    """The ledger file is damaged or is not a sharewise ledger; it has been left untouched."""


class LedgerUnrecognised(LedgerCorrupt):
    """A ledger this sharewise cannot vouch for: written by a newer version, or with the rows
    that say what it is (its metadata) gone. `records verify` reports it as a problem found
    (exit 1), not as a ledger that cannot be opened (exit 3): a monitor must hear of it."""


class LedgerMissing(StoreError):
    """There is no ledger yet at the place named (nothing has been recorded there)."""


class Backend(ABC):
    """Append-only storage of chain rows and the personal details kept beside them."""

    #: Where the ledger lives, for messages (a path or a server address without password).
    location: str
    #: A random identifier fixed when the ledger was created; checkpoints name it.
    ledger_id: str
    #: Trees this connection has seen committed to the ledger's copies (by SHA-256), a set
    #: each backend starts empty: stored trees are never changed or deleted, so an append
    #: on one of these needs no bytes.
    _held: set[str]

    def holds_tree(self, sha256: str) -> bool:
        """Whether this connection already saw the tree `sha256` committed beside the chain
        (False means "not known", not "absent": the append looks it up)."""
        return sha256 in self._held

    @abstractmethod
    def append(self, build: Builder) -> Row:
        """Lock the head, build the next entry with `build(head)`, write it; all or nothing."""

    @abstractmethod
    def purge(self, before: str, build: PurgeBuilder) -> tuple[Row, int]:
        """Erase the personal details of entries created before `before` (RFC 3339) and
        append the purge marker, in one transaction; returns the marker and the count."""

    @abstractmethod
    def rows(self, filters: Filters | None = None) -> Iterator[tuple[Row, PersonalRow | None]]:
        """Entries in chain order with their personal details, streamed."""

    @abstractmethod
    def bodies(
        self, filters: Filters | None = None
    ) -> Iterator[tuple[int, str, str, str, str | None, bytes]]:
        """(seq, id, kind, created, target, body) of the entries `rows` gives, without their
        personal details: what a count over a whole ledger reads (the IG lead's figures),
        where the join and the rebuilt rows would cost more than the reading itself."""

    @abstractmethod
    def listing(
        self, filters: Filters | None = None, newest: int | None = None
    ) -> Iterator[tuple[Row, PersonalRow | None, Links]]:
        """As `rows`, with what each row's linked entries add (`Links`), in one query.

        With `newest`, only the last `newest` rows that match (still in chain order): the
        database stops after them, so the linked entries are looked up for those alone.
        """

    @abstractmethod
    def tally(self, filters: Filters | None = None) -> tuple[int, int]:
        """(rows matching, emergency records among them with no completion): one query
        (TALLY_COLUMNS), counting without reading the rows."""

    @abstractmethod
    def due_rows(self) -> Iterator[tuple[bool, Row, PersonalRow | None]]:
        """What `Ledger.due` weighs, streamed: (True, emergency record with no completion)
        in chain order, then (False, newest entry of a case) for each case (`DUE_CASES`)."""

    @abstractmethod
    def get(self, entry_id: str) -> tuple[Row, PersonalRow | None] | None:
        """One entry by id, or by its seq written as digits."""

    @abstractmethod
    def tree(self, sha256: str) -> bytes | None:
        """The stored copy of the tree with this digest, or None if the ledger has none."""

    @abstractmethod
    def tree_digests(self) -> dict[str, int]:
        """Every tree held: its digest and the entry that first brought it (no bytes read)."""

    @abstractmethod
    def orphan_personal(self) -> list[int]:
        """Seqs of personal-details rows that have no chain entry (found by verify)."""

    @abstractmethod
    def duplicate_ids(self) -> list[tuple[int, str, int]]:
        """(seq, id, first seq) of every entry repeating an earlier entry's id (verify).

        Asked of the database (DUPLICATE_IDS_SQL) rather than remembered in Python, so that
        verify's memory stays flat however long the ledger grows.
        """

    @abstractmethod
    def dangling_targets(self) -> list[tuple[int, str]]:
        """(seq, id) of every entry whose target is not an earlier entry's id (verify)."""

    def database_problems(self) -> list[str]:
        """What is wrong beneath the chain, in the database itself (verify): damage the
        database's own check finds, a schema (tables, indexes, triggers) not the one this
        version writes, and for PostgreSQL a `head` row out of step with the last entry.
        Names in the messages come from the database: callers show them with `safe_line`."""
        return []

    @abstractmethod
    def head(self) -> Head:
        """The current head of the chain."""

    @abstractmethod
    def count(self) -> int:
        """The number of entries."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
