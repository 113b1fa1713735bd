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
from dataclasses import dataclass, field
from typing import Any

from sharewise.domain import chain
from sharewise.domain.safe_text import safe_line
from sharewise.store.base import Backend, PersonalRow, Row
from sharewise.store.checkpoint import Checkpoint


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
        }


_COLUMNS = ("id", "kind", "created", "decision", "target")


def verify(
    backend: Backend, checkpoint: Checkpoint | None = None, *, trusted_key: bytes | None = None
) -> Report:
    """Check the whole chain (and, if given, that it still contains `checkpoint`)."""
    report = Report()
    breaks = report.breaks
    expected = 1
    prev_hash = chain.GENESIS
    purges: dict[int, str] = {}
    erased_rows: list[tuple[int, str | None, str, int]] = []
    hashes_at: dict[int, str] = {}
    want_seq = checkpoint.size if checkpoint else 0
    entry_label = chain.entry_hash  # bound once: this loop runs 100,000 times

    for row, personal in backend.rows():
        report.count += 1
        sid = row.id
        if row.seq != expected:
            if row.seq > expected:
                missing = (
                    f"entry {expected} is"
                    if row.seq == expected + 1
                    else f"entries {expected} to {row.seq - 1} are"
                )
                breaks.append(Break(row.seq, sid, f"{missing} missing before it (deleted)"))
            else:
                breaks.append(
                    Break(
                        row.seq,
                        sid,
                        f"is out of order (found after entry "
                        f"{expected - 1}): inserted or reordered",
                    )
                )
        expected = row.seq + 1

        computed = entry_label(row.body)
        body = _parse(row.body)
        if body is None:
            breaks.append(Break(row.seq, sid, "its stored body is not valid JSON (damaged)"))
            prev_hash = computed
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
        if body.get("prev_hash") != prev_hash:
            breaks.append(
                Break(
                    row.seq,
                    sid,
                    "it does not link to the entry before it (an "
                    "earlier entry was changed, removed or inserted)",
                )
            )
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
            # A copied body under a new id column: the duplicate queries below, which read
            # the columns, cannot see it, so ask whether the body's own id came earlier.
            earlier = backend.get(body_id)
            if earlier is not None and earlier[0].seq < row.seq:
                breaks.append(
                    Break(row.seq, sid, f"repeats the id of entry {earlier[0].seq} (duplicated)")
                )
        if body.get("kind") == "purge":
            before = ((body.get("data") or {}).get("purge") or {}).get("before")
            purges[row.seq] = str(before)
        _check_personal(row, body, personal, breaks, erased_rows)
        prev_hash = computed
        if row.seq == want_seq:
            hashes_at[row.seq] = computed
        report.head_seq = row.seq
        report.head_hash = computed

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
    for seq, eid, first in backend.duplicate_ids():
        breaks.append(Break(seq, eid, f"repeats the id of entry {first} (duplicated)"))
    for seq, eid in backend.dangling_targets():
        breaks.append(Break(seq, eid, "it refers to an entry that does not come before it"))
    for orphan in backend.orphan_personal():
        breaks.append(
            Break(
                orphan,
                None,
                "personal details are stored for an entry that is "
                "not in the chain (its entry was deleted)",
            )
        )
    _check_trees(backend, breaks)

    for problem in backend.database_problems():
        breaks.append(Break(0, None, safe_line(problem)))

    if checkpoint is not None:
        report.checkpoint_checked = True
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
