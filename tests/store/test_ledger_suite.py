"""The storage suite: every test runs unchanged against each backend (see `harness`).

Tampering is done as an attacker would: drop the guards, then edit rows directly. Each
attack must be reported by `verify`, with a message naming the entry.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import time

import pytest
from ledger_harness import Harness, fill, make_details, make_result

from sharewise.domain import chain
from sharewise.domain.errors import InputError
from sharewise.domain.record import EntryKind, Verdict
from sharewise.domain.tree import Decision
from sharewise.store.base import Filters, Head, LedgerLocked
from sharewise.store.checkpoint import make_checkpoint
from sharewise.store.ledger import build_entry
from sharewise.store.verify import Report, verify


def _verify(h: Harness, **kw: object) -> Report:
    with h.open() as ledger:
        return verify(ledger.backend, **kw)  # type: ignore[arg-type]


def _messages(report: Report) -> list[str]:
    return [b.render() for b in report.breaks]


def _checkpoint(h: Harness) -> object:
    with h.open() as ledger:
        head = ledger.head()
        return make_checkpoint(ledger.backend.ledger_id, head.seq, head.hash)


# -- appending and reading -------------------------------------------------------------------


def test_round_trip_keeps_every_field(harness: Harness) -> None:
    result, details = make_result(), make_details()
    with harness.open() as ledger:
        ref = ledger.record_decision(result, details)
        entry = ledger.get(ref.id)
    assert (ref.seq, entry.seq, entry.kind) == (1, 1, EntryKind.DECISION)
    assert entry.result == result
    assert entry.details == details
    assert entry.decision is Decision.SHARE
    assert entry.result.outcome.law.basis == ["ukgdpr.art6.1e"]
    assert entry.result.outcome.law.special_category == ["ukgdpr.art9.2g"]
    assert entry.prev_hash == chain.GENESIS and entry.hash == ref.hash
    assert entry.created.tzinfo is not None


def test_seq_runs_without_gaps_and_links(harness: Harness) -> None:
    with harness.open() as ledger:
        ids = fill(ledger, 7)
        entries = list(ledger.entries())
        assert ledger.count() == 7
        assert ledger.head() == Head(7, entries[-1].hash)
    assert [e.seq for e in entries] == list(range(1, 8))
    assert [e.id for e in entries] == ids
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert _verify(harness).intact


def test_a_decision_not_to_share_is_a_first_class_record(harness: Harness) -> None:
    with harness.open() as ledger:
        ref = ledger.record_decision(make_result(Decision.DO_NOT_SHARE), make_details())
        entry = ledger.get(str(ref.seq))
        listed = list(ledger.entries(Filters(decision="do_not_share")))
    assert entry.decision is Decision.DO_NOT_SHARE and entry.kind is EntryKind.DECISION
    assert entry.result is not None and entry.result.outcome.law.confidentiality
    assert [e.id for e in listed] == [ref.id]


def test_filters_by_decision_case_and_dates(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 10)
        today = dt.datetime.now(dt.UTC).date()
        by_case = [e.seq for e in ledger.entries(Filters(case="CS-1"))]
        by_decision = [e.seq for e in ledger.entries(Filters(decision="share"))]
        in_range = list(ledger.entries(Filters(date_from=today, date_to=today)))
        future = list(ledger.entries(Filters(date_from=today + dt.timedelta(days=1))))
        past = list(ledger.entries(Filters(date_to=today - dt.timedelta(days=1))))
    assert by_case == [2, 5, 8]
    assert by_decision == [2, 7]
    assert len(in_range) == 10 and future == [] and past == []


def test_unknown_id_is_input_error(harness: Harness) -> None:
    with harness.open() as ledger, pytest.raises(InputError, match="no entry"):
        ledger.get("01NOTANID")


def test_emergency_is_recorded_then_completed(harness: Harness) -> None:
    from sharewise.domain.record import Practitioner, RecordDetails

    quick = RecordDetails.model_validate(
        {"case_ref": "CS-9", "practitioner": {"name": "A", "role": "DSL", "organisation": "X"}},
        context={"emergency": True},
    )
    with harness.open() as ledger:
        emergency = ledger.record_decision(
            make_result(Decision.SHARE_URGENTLY), quick, emergency=True
        )
        entry = ledger.get(emergency.id)
        assert entry.kind is EntryKind.EMERGENCY and entry.to_be_completed
        today = dt.date.today()
        assert [(e.id, why) for e, why in ledger.due(today)] == [
            (emergency.id, "emergency record to be completed")
        ]
        done = ledger.complete(emergency.id, make_details("CS-9", review_by=None))
        assert ledger.get(done.id).target == emergency.id
        assert list(ledger.due(today)) == []
        with pytest.raises(InputError, match="already completed"):
            ledger.complete(emergency.id, make_details("CS-9"))
        decision = ledger.record_decision(make_result(), make_details())
        with pytest.raises(InputError, match="not an emergency"):
            ledger.complete(decision.id, make_details())
    assert isinstance(quick.practitioner, Practitioner)
    assert _verify(harness).intact


def test_review_and_amendment_append_and_keep_the_original(harness: Harness) -> None:
    with harness.open() as ledger:
        first = ledger.record_decision(make_result(), make_details("CS-1"))
        review = ledger.review(first.id, Verdict.FOLLOW_UP, "I. G. Lead", "Check the date.")
        fixed = ledger.amend(first.id, make_details("CS-1", rationale="Corrected rationale."))
        original = ledger.get(first.id)
        assert original.details is not None and original.details.rationale != "Corrected rationale."
        amended = ledger.get(fixed.id)
        assert amended.kind is EntryKind.AMENDMENT and amended.target == first.id
        assert amended.details is not None and amended.details.rationale == "Corrected rationale."
        got = ledger.get(review.id)
        assert got.review is not None and got.review.reviewer == "I. G. Lead"
        assert got.review.verdict is Verdict.FOLLOW_UP and got.target == first.id
        with pytest.raises(InputError, match="no details to amend"):
            ledger.amend(review.id, make_details())
    assert _verify(harness).intact


def test_due_uses_the_latest_record_for_a_case(harness: Harness) -> None:
    with harness.open() as ledger:
        old = ledger.record_decision(
            make_result(), make_details("CS-A", review_by=dt.date(2026, 1, 1))
        )
        ledger.record_decision(make_result(), make_details("CS-B", review_by=dt.date(2026, 1, 1)))
        ledger.amend(old.id, make_details("CS-A", review_by=dt.date(2027, 1, 1)))
        due = [(e.details.case_ref, why) for e, why in ledger.due(dt.date(2026, 6, 1))]  # type: ignore[union-attr]
    assert due == [("CS-B", "review was due 2026-01-01")]


def test_purge_erases_text_and_the_chain_still_verifies(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 4)
        ref, count = ledger.purge(dt.date.today() + dt.timedelta(days=1))
        entries = list(ledger.entries())
        later = ledger.record_decision(make_result(), make_details("CS-NEW"))
        kept = ledger.get(later.id)
    assert count == 4 and ref.seq == 5
    assert all(
        e.erased and e.details is not None and e.details.case_ref is None for e in entries[:4]
    )
    assert entries[0].details.practitioner.role == "Designated safeguarding lead"  # type: ignore[union-attr]
    assert entries[4].kind is EntryKind.PURGE and entries[4].purge is not None
    assert kept.details is not None and kept.details.case_ref == "CS-NEW" and not kept.erased
    report = _verify(harness)
    assert report.intact and report.erased == 4
    leftovers = harness.sql("SELECT COUNT(*) FROM personal WHERE data IS NOT NULL")
    assert leftovers == [(1,)]


# -- the guards --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET decision = 'share' WHERE seq = 1",
        "DELETE FROM entries WHERE seq = 1",
        "UPDATE personal SET data = ? WHERE seq = 1",
        "DELETE FROM personal WHERE seq = 1",
    ],
)
def test_guards_refuse_changes(harness: Harness, statement: str) -> None:
    with harness.open() as ledger:
        fill(ledger, 2)
    params = (b"{}",) if "?" in statement else ()
    with pytest.raises(Exception, match=r"append-only|only ever erased"):
        harness.sql(statement, params)
    assert _verify(harness).intact


# -- tampering: each attack is found and named -----------------------------------------------


def _tampered(harness: Harness, n: int = 6) -> None:
    with harness.open() as ledger:
        fill(ledger, n)
    harness.drop_guards()


def _row(harness: Harness, seq: int) -> tuple[bytes, str]:
    body, digest = harness.sql("SELECT body, hash FROM entries WHERE seq = ?", (seq,))[0]
    return bytes(body), digest


def test_edited_body_is_found(harness: Harness) -> None:
    _tampered(harness)
    body, _ = _row(harness, 3)
    forged = body.replace(b'"decision":"do_not_share"', b'"decision":"share"')
    assert forged != body
    harness.sql("UPDATE entries SET body = ? WHERE seq = ?", (forged, 3))
    report = _verify(harness)
    assert not report.intact
    assert any(m.startswith("entry 3 ") and "stored hash" in m for m in _messages(report))


def test_edited_body_with_recomputed_hash_breaks_the_next_link(harness: Harness) -> None:
    _tampered(harness)
    body, _ = _row(harness, 3)
    value = json.loads(body)
    value["data"]["result"]["outcome"]["title"] = "Something else"
    forged = chain.canonical(value)
    harness.sql(
        "UPDATE entries SET body = ?, hash = ? WHERE seq = 3", (forged, chain.entry_hash(forged))
    )
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 4 ") and "does not link" in m for m in messages)


def test_edited_search_column_is_found(harness: Harness) -> None:
    _tampered(harness)
    harness.sql("UPDATE entries SET decision = 'share' WHERE seq = 3")
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 3 ") and "decision column" in m for m in messages)


def test_deleted_row_is_found(harness: Harness) -> None:
    _tampered(harness)
    harness.sql("DELETE FROM personal WHERE seq = 3")
    harness.sql("DELETE FROM entries WHERE seq = 3")
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 4 ") and "entry 3 is missing" in m for m in messages)


def test_reordered_rows_are_found(harness: Harness) -> None:
    _tampered(harness)
    b3, h3 = _row(harness, 3)
    b4, h4 = _row(harness, 4)
    harness.sql("UPDATE entries SET body = ?, hash = ? WHERE seq = 3", (b4, h4))
    harness.sql("UPDATE entries SET body = ?, hash = ? WHERE seq = 4", (b3, h3))
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 3 ") and "says it is entry 4" in m for m in messages)
    assert any(m.startswith("entry 4 ") and "says it is entry 3" in m for m in messages)


def test_inserted_row_is_found(harness: Harness) -> None:
    _tampered(harness)
    for seq in range(6, 2, -1):
        harness.sql("UPDATE personal SET seq = ? WHERE seq = ?", (seq + 1, seq))
        harness.sql("UPDATE entries SET seq = ? WHERE seq = ?", (seq + 1, seq))
    _, prev = _row(harness, 2)
    forged = build_entry(Head(2, prev), EntryKind.DECISION, {"forged": True}, None)
    r = forged.row
    harness.sql(
        "INSERT INTO entries(seq, id, kind, created, decision, target, body, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (3, r.id, r.kind, r.created, r.decision, r.target, r.body, r.hash),
    )
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 4 ") and "says it is entry 3" in m for m in messages)


def test_duplicated_row_is_found(harness: Harness) -> None:
    _tampered(harness)
    body, digest = _row(harness, 2)
    harness.sql(
        "INSERT INTO entries(seq, id, kind, created, decision, target, body, hash)"
        " SELECT 7, id || 'x', kind, created, decision, target, body, hash FROM entries"
        " WHERE seq = 2"
    )
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 7 ") and "repeats the id of entry 2" in m for m in messages)
    assert (body, digest) == _row(harness, 7)


def test_flipped_byte_is_found(harness: Harness) -> None:
    _tampered(harness)
    body, _ = _row(harness, 5)
    flipped = bytearray(body)
    flipped[len(body) // 2] ^= 0x01
    harness.sql("UPDATE entries SET body = ? WHERE seq = 5", (bytes(flipped),))
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 5 ") for m in messages)


def test_reserialised_body_is_found(harness: Harness) -> None:
    _tampered(harness)
    body, _ = _row(harness, 2)
    loose = json.dumps(json.loads(body), indent=1).encode()
    harness.sql(
        "UPDATE entries SET body = ?, hash = ? WHERE seq = 2", (loose, chain.entry_hash(loose))
    )
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 2 ") and "canonical" in m for m in messages)


def test_truncated_tail_is_found_against_a_checkpoint(harness: Harness) -> None:
    _tampered(harness)
    point = _checkpoint(harness)
    for seq in (6, 5):
        harness.sql("DELETE FROM personal WHERE seq = ?", (seq,))
        harness.sql("DELETE FROM entries WHERE seq = ?", (seq,))
    harness.cover_tracks()
    assert _verify(harness).intact  # on its own, a shorter chain looks fine...
    report = _verify(harness, checkpoint=point)
    messages = _messages(report)  # ...but not against the checkpoint
    assert any(m.startswith("entry 6") and "entries 5 to 6 were removed" in m for m in messages)


def test_rewritten_chain_is_found_against_a_checkpoint(harness: Harness) -> None:
    _tampered(harness, 4)
    point = _checkpoint(harness)
    rows = harness.sql("SELECT seq, body FROM entries ORDER BY seq")
    head = Head()
    for seq, body in rows:  # rebuild every entry, consistently, with one answer changed
        value = json.loads(bytes(body))
        value["prev_hash"] = head.hash
        if seq == 2:
            value["data"]["details"]["consent"]["sought"] = True
        raw = chain.canonical(value)
        head = Head(seq, chain.entry_hash(raw))
        harness.sql("UPDATE entries SET body = ?, hash = ? WHERE seq = ?", (raw, head.hash, seq))
    harness.cover_tracks()
    assert _verify(harness).intact
    messages = _messages(_verify(harness, checkpoint=point))
    assert any(m.startswith("entry 4") and "rewritten" in m for m in messages)


def test_edited_personal_text_is_found(harness: Harness) -> None:
    _tampered(harness)
    (data,) = harness.sql("SELECT data FROM personal WHERE seq = 2")[0]
    forged = bytes(data).replace(b"J. Okafor", b"Someone E.")
    harness.sql("UPDATE personal SET data = ? WHERE seq = 2", (forged,))
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 2 ") and "personal details do not match" in m for m in messages)


def test_deleted_personal_details_are_found(harness: Harness) -> None:
    _tampered(harness)
    harness.sql("DELETE FROM personal WHERE seq = 2")
    harness.sql(
        "UPDATE personal SET salt = NULL, data = NULL, case_ref = NULL, erased_by = 9 WHERE seq = 3"
    )
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 2 ") and "missing" in m for m in messages)
    assert any(m.startswith("entry 3 ") and "no purge" in m for m in messages)


def test_edited_case_column_is_found(harness: Harness) -> None:
    _tampered(harness)
    harness.sql("UPDATE personal SET case_ref = 'CS-OTHER' WHERE seq = 2")
    messages = _messages(_verify(harness))
    assert any(m.startswith("entry 2 ") and "case reference" in m for m in messages)


def test_signed_checkpoint_holds_and_detects_forgery(harness: Harness) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with harness.open() as ledger:
        fill(ledger, 3)
        head = ledger.head()
        good = make_checkpoint(ledger.backend.ledger_id, head.seq, head.hash, key)
        forged = make_checkpoint(ledger.backend.ledger_id, head.seq, head.hash, other)
        assert verify(ledger.backend, good, trusted_key=public).intact
        report = verify(ledger.backend, forged, trusted_key=public)
        assert any("different key" in m for m in _messages(report))
        edited = type(good)(
            good.ledger, 2, good.head, good.created, good.alg, good.signature, good.public_key
        )
        assert any(
            "signature does not match" in m for m in _messages(verify(ledger.backend, edited))
        )


# -- locks ---------------------------------------------------------------------------------------


def test_locked_ledger_waits_then_says_so(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 1)
    waits: list[int] = []
    with (
        harness.hold_write_lock(),
        harness.open(lock_timeout=1.0, first_wait=0.1, on_wait=lambda: waits.append(1)) as ledger,
    ):
        started = time.monotonic()
        with pytest.raises(LedgerLocked, match="locked by another program"):
            ledger.record_decision(make_result(), make_details())
        elapsed = time.monotonic() - started
    assert waits == [1] and 0.8 < elapsed < 5
    with harness.open() as ledger:
        assert ledger.count() == 1


def test_locked_ledger_waits_and_then_writes(harness: Harness) -> None:
    waits: list[int] = []
    released = threading.Event()
    with harness.open(lock_timeout=10, first_wait=0.1, on_wait=lambda: waits.append(1)) as ledger:
        lock = harness.hold_write_lock()
        lock.__enter__()

        def release() -> None:
            time.sleep(0.5)
            lock.__exit__(None, None, None)
            released.set()

        thread = threading.Thread(target=release)
        thread.start()
        ref = ledger.record_decision(make_result(), make_details())
        thread.join()
    assert released.is_set() and waits == [1] and ref.seq == 1
