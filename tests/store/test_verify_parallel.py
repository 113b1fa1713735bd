"""verify checks a big SQLite ledger in stretches, one worker per core, and stitches them at
their seams (the whole-database checks run in a worker beside them). The report must be the
one a single pass gives, break for break and in the same order, whatever was done to the
ledger: rows changed, deleted or moved, on either side of a seam or on it. (Forced here at a
tiny size with `parallel_from=0`, and with stretches of a few entries, so that seams fall
everywhere.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_harness import SQLiteHarness, fill

from sharewise.store import verify as verify_module
from sharewise.store.checkpoint import Checkpoint
from sharewise.store.sqlite import SQLiteBackend
from sharewise.store.verify import verify

N = 12
ENTRY_COLUMNS = ["id", "kind", "created", "decision", "target", "body", "hash"]


def _both(
    harness: SQLiteHarness, chunk: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    with harness.open() as ledger:
        one = verify(ledger.backend, parallel_from=-1).to_json_dict()
        two = verify(ledger.backend, parallel_from=0, chunk=chunk).to_json_dict()
    return one, two


@pytest.fixture(autouse=True)
def _two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers however many cores the test machine has (one core would mean one pass)."""
    monkeypatch.setattr(verify_module, "_workers", lambda: 2)


@pytest.fixture
def ledger_of_n(tmp_path: Path) -> SQLiteHarness:
    harness = SQLiteHarness(tmp_path)
    with harness.open() as ledger:
        fill(ledger, N)
    return harness


def test_an_intact_ledger_reads_the_same(ledger_of_n: SQLiteHarness) -> None:
    one, two = _both(ledger_of_n)
    assert one == two and one["intact"] and one["entries"] == N


@pytest.mark.parametrize(
    "deleted",
    [[6], [7], [5, 6], [6, 7], [1], [N], [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [3, 9]],
)
def test_deleted_entries_around_the_seam(ledger_of_n: SQLiteHarness, deleted: list[int]) -> None:
    ledger_of_n.drop_guards()
    for seq in deleted:
        ledger_of_n.sql("DELETE FROM personal WHERE seq = ?", (seq,))
        ledger_of_n.sql("DELETE FROM entries WHERE seq = ?", (seq,))
    one, two = _both(ledger_of_n)
    assert not one["intact"]  # the dropped guards, if nothing else
    assert two == one


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    column=st.sampled_from(ENTRY_COLUMNS),
    seq=st.integers(1, N),
    position=st.integers(0, 500),
    delta=st.integers(1, 255),
)
def test_any_change_reads_the_same(
    ledger_of_n: SQLiteHarness, column: str, seq: int, position: int, delta: int
) -> None:
    ledger_of_n.drop_guards()
    ((original,),) = ledger_of_n.sql(f"SELECT {column} FROM entries WHERE seq = ?", (seq,))
    if isinstance(original, bytes):
        raw = bytearray(original)
        raw[position % len(raw)] ^= delta
        changed: Any = bytes(raw)
    else:
        text = str(original)
        i = position % len(text)
        changed = text[:i] + chr(0x41 + delta % 26) + text[i + 1 :]
    ledger_of_n.sql(f"UPDATE entries SET {column} = ? WHERE seq = ?", (changed, seq))
    try:
        one, two = _both(ledger_of_n)
        assert two == one
    finally:
        ledger_of_n.sql(f"UPDATE entries SET {column} = ? WHERE seq = ?", (original, seq))


def _tamper_several(harness: SQLiteHarness) -> None:
    """Several breaks of different kinds: an altered body (hash and canonical form), a
    deleted entry, a search column edited, a personal row deleted."""
    harness.drop_guards()
    ((body,),) = harness.sql("SELECT body FROM entries WHERE seq = 4")
    harness.sql(
        "UPDATE entries SET body = ? WHERE seq = 4", (body.replace(b"Outcome", b"Outcomf"),)
    )
    harness.sql("DELETE FROM personal WHERE seq = 9")
    harness.sql("DELETE FROM entries WHERE seq = 9")
    harness.sql("UPDATE entries SET decision = 'do_not_share' WHERE seq = 7")
    harness.sql("DELETE FROM personal WHERE seq = 11")


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 8, 11, 12, 50])
def test_several_breaks_in_stretches_of_any_length(ledger_of_n: SQLiteHarness, chunk: int) -> None:
    """Stretches of 3 put a seam exactly at the altered entry 4 (it starts the second
    stretch: its link is checked at the stitch) and right after the deleted entry 9."""
    _tamper_several(ledger_of_n)
    one, two = _both(ledger_of_n, chunk)
    broken = {b["seq"] for b in one["breaks"]}
    assert {4, 5, 7, 10, 11} <= broken  # 5: links to the altered 4; 10: 9 is missing
    assert two == one


def test_a_checkpoint_reads_the_same_in_stretches(ledger_of_n: SQLiteHarness) -> None:
    """The checkpoint's head (entry 5) is read by whichever worker holds it, and the altered
    entry 4 before it shows as a rewritten chain either way."""
    ((hash5,),) = ledger_of_n.sql("SELECT hash FROM entries WHERE seq = 5")
    with ledger_of_n.open() as ledger:
        point = Checkpoint(ledger.backend.ledger_id, 5, hash5, "2026-12-01T12:00:00Z")
    _tamper_several(ledger_of_n)
    with ledger_of_n.open() as ledger:
        one = verify(ledger.backend, point, parallel_from=-1).to_json_dict()
        for chunk in (2, 5, 6):
            assert verify(ledger.backend, point, parallel_from=0, chunk=chunk).to_json_dict() == one
    assert one["checkpoint_checked"]


def test_the_stretches_are_checked_by_workers(
    ledger_of_n: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not one pass in disguise: with workers, the parent never reads the chain itself."""
    import os

    parent = os.getpid()
    rows_between = SQLiteBackend.rows_between

    def in_workers_only(self: SQLiteBackend, first: int | None, last: int | None) -> Any:
        assert os.getpid() != parent, "the parent read the chain"
        return rows_between(self, first, last)

    def no(*args: object) -> None:
        raise AssertionError("one pass used")

    _tamper_several(ledger_of_n)
    one, _ = _both(ledger_of_n)
    monkeypatch.setattr(verify_module, "_one_pass", no)
    monkeypatch.setattr(SQLiteBackend, "rows_between", in_workers_only)
    with ledger_of_n.open() as ledger:
        two = verify(ledger.backend, parallel_from=0, chunk=3).to_json_dict()
    assert two == one and not two["intact"]


def test_one_core_means_one_pass(
    ledger_of_n: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "_workers", lambda: 1)
    used: list[int] = []
    one_pass = verify_module._one_pass

    def counted(*args: Any) -> Any:
        used.append(1)
        return one_pass(*args)

    monkeypatch.setattr(verify_module, "_one_pass", counted)
    with ledger_of_n.open() as ledger:
        assert verify(ledger.backend, parallel_from=0).intact
    assert used == [1]


def test_a_worker_that_fails_is_made_up_for(
    ledger_of_n: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stretch (or the whole-database checks) that a worker could not finish is checked
    by the parent: the report is still the single pass's."""
    _tamper_several(ledger_of_n)
    one, _ = _both(ledger_of_n)
    scan_in = verify_module._scan_in

    def flaky(where: Any, first: int | None, upto: int, want_seq: int) -> Any:
        if first is not None and first % 2 == 0:
            raise OSError("worker lost")
        return scan_in(where, first, upto, want_seq)

    def lost(where: Any) -> Any:
        raise OSError("worker lost")

    monkeypatch.setattr(verify_module, "_scan_in", flaky)
    monkeypatch.setattr(verify_module, "_whole_in", lost)
    with ledger_of_n.open() as ledger:
        two = verify(ledger.backend, parallel_from=0, chunk=2).to_json_dict()
    assert two == one


REAL_WORKERS = verify_module._workers  # before the fixture above replaces it


@pytest.mark.parametrize(
    ("cores", "load", "workers"),
    [
        (2, 1.0, 2),  # only this process running: both cores
        (2, 0.2, 2),
        (2, 1.4, 2),
        (2, 2.0, 1),  # one core kept busy by other work: one pass
        (2, 7.0, 1),
        (1, 0.0, 1),  # one core: one pass
        (8, 1.0, 4),  # at most four
        (8, 6.0, 3),
    ],
)
def test_workers_are_the_cores_other_work_leaves_free(
    monkeypatch: pytest.MonkeyPatch, cores: int, load: float, workers: int
) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert REAL_WORKERS() == workers


def test_without_a_load_average_every_core_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def unknown() -> tuple[float, float, float]:
        raise OSError("no load average here")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(os, "getloadavg", unknown)
    assert REAL_WORKERS() == 2
