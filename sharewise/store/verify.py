"""Verifying the ledger: recompute every hash from the stored bytes and list every break.

Nothing stored is trusted: not the hash column, not the search columns, not the order the
database returns. Each entry is checked for canonical form, its hash, its place (`seq`
without gaps), its link to the entry before, its search columns, its links to earlier
entries, and its personal details against their salted commitment. A checkpoint kept
elsewhere then shows whether the tail was cut off or the whole chain rewritten, which no
check inside the database alone can show.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sharewise.domain import chain
from sharewise.domain.safe_text import safe_line
from sharewise.store.base import Backend, PersonalRow, Row
from sharewise.store.checkpoint import Checkpoint

if TYPE_CHECKING:
    from sharewise.store.sqlite import SQLiteBackend


@dataclass(frozen=True, slots=True)
class Break:
    """One thing wrong, naming the entry (its seq; 0 for the ledger as a whole)."""

    seq: int
    entry_id: str | None
    message: str

    def render(self) -> str:
        where = f"entry {self.seq}" if self.seq else "ledger"
        if self.entry_id:
            where += f" ({self.entry_id})"
        return f"{where}: {self.message}"


@dataclass
class Report:
    """The outcome of a verification."""

    count: int = 0
    head_seq: int = 0
    head_hash: str = chain.GENESIS
    erased: int = 0
    breaks: list[Break] = field(default_factory=list)
    checkpoint_checked: bool = False
    #: What the person should know that is not a break (a signer that was not checked).
    warnings: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "entries": self.count,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "erased": self.erased,
            "checkpoint_checked": self.checkpoint_checked,
            "breaks": [{"seq": b.seq, "id": b.entry_id, "message": b.message} for b in self.breaks],
            "warnings": self.warnings,
        }


_COLUMNS = ("id", "kind", "created", "decision", "target")


#: Below this many entries verify runs in one process: forking costs more than it saves.
PARALLEL_FROM = 5_000


class _Scan:
    """The checks of each entry in turn over one stretch of the chain, and what it leaves
    for the checks across stretches (the link and place of its first entry, its last hash).

    A stretch after the first starts not knowing the hash or place before it (`prev_hash`
    and `expected` None): its first entry's link and place are checked when the stretches
    are stitched (`_stitch`), and the breaks they find go exactly where one pass puts them.
    """

    def __init__(self, prev_hash: str | None, expected: int | None, want_seq: int) -> None:
        self.breaks: list[Break] = []
        self.count = 0
        self.expected = expected
        self.prev_hash = prev_hash
        self.purges: dict[int, str] = {}
        self.erased_rows: list[tuple[int, str | None, str, int]] = []
        self.hashes_at: dict[int, str] = {}
        self.want_seq = want_seq
        self.head: tuple[int, str] | None = None
        #: (seq, id, the hash its body links to, where its breaks start, where a link
        #: break goes) of the first entry, when the stretch did not know what came before.
        self.first: tuple[int, str, object, int, int] | None = None

    def scan(self, backend: Backend, rows: Iterator[tuple[Row, PersonalRow | None]]) -> None:
        breaks = self.breaks
        entry_label = chain.entry_hash  # bound once: this loop runs 100,000 times
        for row, personal in rows:
            self.count += 1
            sid = row.id
            starts = len(breaks)
            expected = self.expected
            if expected is not None and row.seq != expected:
                breaks.append(_out_of_place(row, expected))
            self.expected = row.seq + 1

            computed = entry_label(row.body)
            body = _parse(row.body)
            if body is None:
                breaks.append(Break(row.seq, sid, "its stored body is not valid JSON (damaged)"))
                if self.prev_hash is None and self.first is None:
                    self.first = (row.seq, sid, _UNPARSED, starts, len(breaks))
                self.prev_hash = computed
                continue
            if not chain.is_canonical(row.body, body):
                breaks.append(
                    Break(
                        row.seq,
                        sid,
                        "its stored body is not in canonical form (it was re-serialised or edited)",
                    )
                )
            if computed != row.hash:
                breaks.append(
                    Break(
                        row.seq,
                        sid,
                        "its contents do not match its stored hash (the entry was altered)",
                    )
                )
            if body.get("alg") not in chain.KNOWN_ALGORITHMS:
                breaks.append(Break(row.seq, sid, "it names an unknown hash algorithm"))
            if body.get("seq") != row.seq:
                breaks.append(
                    Break(
                        row.seq,
                        sid,
                        f"its body says it is entry {body.get('seq')} (moved, copied or reordered)",
                    )
                )
            if self.prev_hash is None:
                if self.first is None:
                    self.first = (row.seq, sid, body.get("prev_hash"), starts, len(breaks))
            elif body.get("prev_hash") != self.prev_hash:
                breaks.append(_unlinked(row))
            for column in _COLUMNS:
                if body.get(column) != getattr(row, column):
                    breaks.append(
                        Break(
                            row.seq,
                            sid,
                            f"its {column} column does not match the chained body (edited)",
                        )
                    )
            body_id = body.get("id")
            if body_id != row.id and isinstance(body_id, str):
                # A copied body under a new id column: the duplicate queries, which read the
                # columns, cannot see it, so ask whether the body's own id came earlier.
                earlier = backend.get(body_id)
                if earlier is not None and earlier[0].seq < row.seq:
                    breaks.append(
                        Break(
                            row.seq, sid, f"repeats the id of entry {earlier[0].seq} (duplicated)"
                        )
                    )
            if body.get("kind") == "purge":
                before = ((body.get("data") or {}).get("purge") or {}).get("before")
                self.purges[row.seq] = str(before)
            _check_personal(row, body, personal, breaks, self.erased_rows)
            self.prev_hash = computed
            if row.seq == self.want_seq:
                self.hashes_at[row.seq] = computed
            self.head = (row.seq, computed)


#: The first entry of a stretch had no body to take a link from. A text, not an object():
#: the stretch comes back from the other process pickled, and identity would not survive.
_UNPARSED = "\x00unparsed"


def _out_of_place(row: Row, expected: int) -> Break:
    if row.seq > expected:
        missing = (
            f"entry {expected} is"
            if row.seq == expected + 1
            else f"entries {expected} to {row.seq - 1} are"
        )
        return Break(row.seq, row.id, f"{missing} missing before it (deleted)")
    return Break(
        row.seq,
        row.id,
        f"is out of order (found after entry {expected - 1}): inserted or reordered",
    )


def _unlinked(row: Row) -> Break:
    return Break(
        row.seq,
        row.id,
        "it does not link to the entry before it (an "
        "earlier entry was changed, removed or inserted)",
    )


def _stitch(done: _Scan, after: _Scan) -> _Scan:
    """`after` continued from where `done` ended, as if one pass had read both."""
    if after.first is not None:
        seq, sid, link, starts, link_at = after.first
        expected = done.expected if done.expected is not None else 1
        prev_hash = done.prev_hash if done.prev_hash is not None else chain.GENESIS
        stub = Row(seq, sid, "", "", None, None, b"", "")
        if link != _UNPARSED and link != prev_hash:
            after.breaks.insert(link_at, _unlinked(stub))
        if seq != expected:
            after.breaks.insert(starts, _out_of_place(stub, expected))
    done.breaks += after.breaks
    done.count += after.count
    if after.count:
        done.expected, done.prev_hash = after.expected, after.prev_hash
    done.purges.update(after.purges)
    done.erased_rows += after.erased_rows
    done.hashes_at.update(after.hashes_at)
    done.head = after.head or done.head
    return done


@dataclass
class _Whole:
    """The checks of the database as a whole, asked of SQL rather than entry by entry (so
    that memory stays flat with the ledger's length): repeated ids, links to entries that
    do not come before, personal details without an entry, altered tree copies, and
    SQLite's own integrity check. On a big ledger they run in a worker beside the scan."""

    duplicates: list[tuple[int, str, int]]
    dangling: list[tuple[int, str]]
    orphans: list[int]
    trees: list[Break]
    problems: list[str]


def _whole(backend: Backend) -> _Whole:
    trees: list[Break] = []
    _check_trees(backend, trees)
    return _Whole(
        backend.duplicate_ids(),
        backend.dangling_targets(),
        backend.orphan_personal(),
        trees,
        backend.database_problems(),
    )


def _workers() -> int:
    """How many processes verify may run at once: the cores this process may use that other
    work is not already keeping busy (at most four: reading the file, not the cores, bounds
    it beyond that).

    A core that is busy is not a second core: Linux shares the CPU between sessions, so on a
    machine whose cores other programs keep busy a second worker gets no more CPU than one
    process has, and costs more (at 100,000 entries, load 7 on 2 cores: one pass 20 to 26 s
    and 9 to 10 s of CPU, two workers 27 to 38 s and 11 to 14 s). The 1-minute load average
    counts this process too."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        busy = max(os.getloadavg()[0] - 1.0, 0.0)
    except (AttributeError, OSError):
        busy = 0.0
    return max(min(int(cores - busy + 0.5), cores, 4), 1)


def _checked(
    backend: Backend, want_seq: int, parallel_from: int, chunk: int | None
) -> tuple[_Scan, _Whole]:
    """Every entry checked, and the database as a whole: in one pass, or on a big SQLite
    ledger by a worker per core taking stretches of the chain (and the whole-database
    checks) in turn, the stretches stitched at their seams in chain order.

    One process where a second would cost more than it saves: a ledger under
    `parallel_from` entries (starting a worker costs tens of milliseconds), one core, a
    platform without `fork`, or a database other than SQLite (PostgreSQL reads in one
    query)."""
    from sharewise.store.sqlite import SQLiteBackend

    workers = _workers()
    if not isinstance(backend, SQLiteBackend) or parallel_from < 0 or workers < 2:
        return _one_pass(backend, want_seq), _whole(backend)
    last = backend.head().seq
    if last < max(parallel_from, 2):
        return _one_pass(backend, want_seq), _whole(backend)
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return _one_pass(backend, want_seq), _whole(backend)
    # A few stretches per worker, so that a worker slowed by other work on the machine
    # takes fewer of them instead of holding up the end.
    size = max(chunk or -(-last // (workers * 4)), 1)
    stretches = [(first, min(first + size - 1, last)) for first in range(1, last + 1, size)]
    where = (str(backend.path), backend.readonly)
    db = backend  # narrowed to SQLite above, for `local`

    def local(first: int | None, upto: int) -> _Scan:
        scan = (
            _Scan(None, None, want_seq) if first is not None else _Scan(chain.GENESIS, 1, want_seq)
        )
        scan.scan(db, db.rows_between(first, upto))
        return scan

    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        # The whole-database checks first: the longest single task (SQLite's integrity
        # check reads every page), so it is not the one left running at the end.
        whole_job: Future[_Whole] = pool.submit(_whole_in, where)
        jobs = [
            pool.submit(_scan_in, where, first if i else None, upto, want_seq)
            for i, (first, upto) in enumerate(stretches)
        ]
        scans = []
        for i, ((first, upto), job) in enumerate(zip(stretches, jobs, strict=True)):
            try:
                scans.append(job.result())
            except Exception:  # a worker died or could not open the file: checked here
                scans.append(local(first if i else None, upto))
        try:
            whole = whole_job.result()
        except Exception:
            whole = _whole(backend)
    scan = scans[0]
    for after in scans[1:]:
        scan = _stitch(scan, after)
    return scan, whole


def _one_pass(backend: Backend, want_seq: int) -> _Scan:
    scan = _Scan(chain.GENESIS, 1, want_seq)
    scan.scan(backend, backend.rows())
    return scan


def _open(where: tuple[str, bool]) -> SQLiteBackend:
    from sharewise.store.sqlite import SQLiteBackend

    path, readonly = where
    return SQLiteBackend(path, create=False, readonly=readonly)


def _scan_in(where: tuple[str, bool], first: int | None, upto: int, want_seq: int) -> _Scan:
    """In a worker: its own connection (never the parent's), the entries `first` to `upto`
    by stored seq (from the very start when `first` is None, which is where the chain's
    genesis link and place are known)."""
    scan = _Scan(None, None, want_seq) if first is not None else _Scan(chain.GENESIS, 1, want_seq)
    backend = _open(where)
    try:
        scan.scan(backend, backend.rows_between(first, upto))
    finally:
        backend.close()
    return scan


def _whole_in(where: tuple[str, bool]) -> _Whole:
    """In a worker: the whole-database checks on its own connection."""
    backend = _open(where)
    try:
        return _whole(backend)
    finally:
        backend.close()


def verify(
    backend: Backend,
    checkpoint: Checkpoint | None = None,
    *,
    trusted_key: bytes | None = None,
    parallel_from: int = PARALLEL_FROM,
    chunk: int | None = None,
) -> Report:
    """Check the whole chain (and, if given, that it still contains `checkpoint`).

    From `parallel_from` entries on a SQLite ledger, stretches of `chunk` entries (by
    default a few per core) are checked at once, one worker per core (-1: never); the
    report is the same either way, break for break.
    """
    report = Report()
    want_seq = checkpoint.size if checkpoint else 0
    scan, whole = _checked(backend, want_seq, parallel_from, chunk)
    breaks = report.breaks
    breaks += scan.breaks
    report.count = scan.count
    if scan.head is not None:
        report.head_seq, report.head_hash = scan.head
    purges, erased_rows, hashes_at = scan.purges, scan.erased_rows, scan.hashes_at

    for seq, eid, created, erased_by in erased_rows:
        report.erased += 1
        cutoff = purges.get(erased_by)
        if cutoff is None or erased_by <= seq:
            breaks.append(
                Break(
                    seq,
                    eid,
                    "its personal details are missing, and no purge "
                    "entry accounts for it (deleted)",
                )
            )
        elif not created < cutoff:
            breaks.append(
                Break(
                    seq,
                    eid,
                    f"its personal details were erased by purge entry "
                    f"{erased_by}, but it is newer than that purge's "
                    f"cut-off {cutoff}",
                )
            )
    # Ids repeated and links to entries that do not come before: asked of the database, so
    # that memory stays flat with the ledger's length. The columns are checked against each
    # chained body above, so these answers speak for the bodies too.
    for seq, eid, first in whole.duplicates:
        breaks.append(Break(seq, eid, f"repeats the id of entry {first} (duplicated)"))
    for seq, eid in whole.dangling:
        breaks.append(Break(seq, eid, "it refers to an entry that does not come before it"))
    for orphan in whole.orphans:
        breaks.append(
            Break(
                orphan,
                None,
                "personal details are stored for an entry that is "
                "not in the chain (its entry was deleted)",
            )
        )
    breaks += whole.trees

    for problem in whole.problems:
        breaks.append(Break(0, None, safe_line(problem)))

    if checkpoint is not None:
        report.checkpoint_checked = True
        report.warnings += checkpoint.warnings(trusted_key)
        breaks.extend(
            checkpoint.check(backend.ledger_id, report.count, hashes_at, trusted_key=trusted_key)
        )
    breaks.sort(key=lambda b: b.seq)
    return report


def _check_trees(backend: Backend, breaks: list[Break]) -> None:
    """Each tree kept beside the chain must still hash to the digest records name it by:
    an altered copy would replay records on rules they were never decided on."""
    for sha, seq in sorted(backend.tree_digests().items(), key=lambda item: item[1]):
        raw = backend.tree(sha)
        if raw is None or hashlib.sha256(raw).hexdigest() != sha:
            breaks.append(
                Break(
                    seq,
                    None,
                    f"the stored copy of tree {sha[:12]} (kept since this entry) does not "
                    "match its digest (the tree was altered)",
                )
            )


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        value = chain.decode(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _check_personal(
    row: Row,
    body: dict[str, Any],
    personal: PersonalRow | None,
    breaks: list[Break],
    erased_rows: list[tuple[int, str | None, str, int]],
) -> None:
    commitment = body.get("personal")
    sid = row.id
    if commitment is None:
        if personal is not None:
            breaks.append(
                Break(
                    row.seq,
                    sid,
                    "personal details are stored beside an entry that committed to none (inserted)",
                )
            )
        return
    if personal is None:
        breaks.append(Break(row.seq, sid, "its personal details are missing (deleted)"))
        return
    if personal.erased_by is not None or personal.data is None or personal.salt is None:
        erased_rows.append((row.seq, sid, str(body.get("created")), personal.erased_by or 0))
        return
    if chain.personal_commitment(personal.salt, personal.data) != commitment:
        breaks.append(
            Break(
                row.seq, sid, "its personal details do not match the chain (the text was altered)"
            )
        )
        return
    # The personal details are a flat, canonical JSON object: keys are written once each and
    # quotes inside values are escaped, so this exact key-value text can only be the key's.
    data = personal.data
    if personal.case_ref is None:
        matches = b'"case_ref":' not in data
    else:
        pair = b'"case_ref":' + chain.json_text(personal.case_ref)
        matches = pair + b"," in data or pair + b"}" in data
    if not matches:
        breaks.append(
            Break(
                row.seq,
                sid,
                "its case reference column does not match its chained personal details (edited)",
            )
        )


def hashlib_baseline(backend: Backend) -> int:
    """Hash every stored body with hashlib alone: the floor `verify` is measured against."""
    count = 0
    for row, _personal in backend.rows():
        hashlib.sha256(row.body).digest()
        count += 1
    return count
