"""SQLite appends by several writers: the group sync and the checkpoint.

An append returns only once a sync of the WAL that covers its entry has ended; the WAL is
checkpointed after the sync, outside the commit, and a reader holding an old snapshot is
not waited for.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from ledger_harness import SQLiteHarness, fill, make_details, make_result

import sharewise.store.sqlite as sqlite_module
from sharewise.store.ledger import Ledger
from sharewise.store.sqlite import SQLiteBackend
from sharewise.store.verify import verify


@pytest.fixture()
def sq(tmp_path: Path) -> SQLiteHarness:
    return SQLiteHarness(tmp_path)


class SyncCounter:
    """A counting fake around `_sync_files`: the head each sync covered (read just before
    the disk was asked to sync, so every entry up to it is in the synced WAL) and when it
    ended, in the order syncs ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
        self.path = path
        self.covered: list[int] = []
        self.lock = threading.Lock()
        real = SQLiteBackend._sync_files

        def counting(backend: SQLiteBackend) -> None:
            head = backend._head_of(backend._conn).seq
            real(backend)
            with self.lock:
                self.covered.append(head)

        monkeypatch.setattr(SQLiteBackend, "_sync_files", counting)

    def synced_up_to(self) -> int:
        with self.lock:
            return max(self.covered, default=0)


def _backend(sq: SQLiteHarness, **options: Any) -> SQLiteBackend:
    backend = sq.open(**options).backend
    assert isinstance(backend, SQLiteBackend)
    return backend


def test_every_append_returns_only_after_a_sync_that_covers_it(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four writers at once (threads, each its own connection and lock file handle): when
    an append returns, a sync that covered its entry has ended; syncs are shared."""
    counter = SyncCounter(monkeypatch, sq.path)
    ledgers = [Ledger(_backend(sq)) for _ in range(4)]
    uncovered: list[tuple[int, int]] = []
    failures: list[BaseException] = []

    def write(ledger: Ledger, n: int) -> None:
        try:
            for i in range(15):
                ref = ledger.record_decision(make_result(), make_details(f"CS-{n}-{i}"))
                if counter.synced_up_to() < ref.seq:
                    uncovered.append((ref.seq, counter.synced_up_to()))
        except BaseException as exc:
            failures.append(exc)

    try:
        threads = [threading.Thread(target=write, args=(led, n)) for n, led in enumerate(ledgers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert failures == [] and uncovered == []
        assert ledgers[0].backend.count() == 60
        assert max(counter.covered) == 60
        assert len(counter.covered) <= 60
        assert verify(ledgers[0].backend).intact
    finally:
        for led in ledgers:
            led.close()


def test_commits_do_not_checkpoint_and_the_wal_is_started_again_after_the_sync(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's automatic checkpoint is off for writers (it ran inside a COMMIT); the writer
    of every CHECKPOINT_EVERY-th entry checkpoints after its sync and the WAL starts again
    from its beginning, so it is overwritten rather than grown."""
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 4)
    wal = Path(f"{sq.path}-wal")
    with sq.open() as ledger:
        conn = ledger.backend.connection  # type: ignore[attr-defined]
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        fill(ledger, 4)
        size = wal.stat().st_size
        fill(ledger, 36)
        assert wal.stat().st_size <= 2 * size  # forty entries in about the room of four
        assert verify(ledger.backend).intact
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 10**9)
    with sq.open() as ledger:
        fill(ledger, 1)
        size = wal.stat().st_size
        fill(ledger, 8)
        assert wal.stat().st_size > size  # without the checkpoint, it grows


def test_a_reader_holding_an_old_snapshot_is_not_waited_for(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report reading (an open read transaction) keeps the WAL from starting again; the
    checkpoint waits for it only briefly, then the append returns, durable, and a later
    checkpoint starts the WAL again once the reader is gone."""
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 4)
    wal = Path(f"{sq.path}-wal")
    with sq.open(first_wait=5.0) as ledger:
        fill(ledger, 3)
        reader = sqlite3.connect(sq.path, isolation_level=None)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 3
            start = time.monotonic()
            fill(ledger, 1)  # the 4th: checkpoints
            assert time.monotonic() - start < 2  # not the 5 s busy timeout
            grown = wal.stat().st_size
            fill(ledger, 4)
            assert wal.stat().st_size > grown  # could not start again: the reader
            assert reader.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 3
            reader.execute("COMMIT")
        finally:
            reader.close()
        fill(ledger, 4)
        size = wal.stat().st_size
        fill(ledger, 8)
        assert wal.stat().st_size <= 2 * size
        assert ledger.backend.count() == 20


def test_a_checkpoint_that_fails_loses_nothing(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry is durable before the checkpoint runs: a checkpoint the disk refuses is
    not the append's failure."""
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 2)
    with sq.open() as ledger:
        backend = ledger.backend
        assert isinstance(backend, SQLiteBackend)
        real = backend._conn
        calls: list[str] = []

        class Refusing:
            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

            def execute(self, sql: str, *args: Any) -> Any:
                if "wal_checkpoint" in sql:
                    calls.append(sql)
                    raise sqlite3.OperationalError("disk I/O error")
                return real.execute(sql, *args)

        backend._conn = Refusing()  # type: ignore[assignment]
        try:
            fill(ledger, 4)
        finally:
            backend._conn = real
        assert len(calls) == 2 and backend.count() == 4
        assert verify(backend).intact


def test_a_sync_notes_the_head_it_is_syncing_until_it_ends(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a writer syncs, `<ledger>-sync` says which head it is syncing (after the note
    of the last sync); once the sync ends that is cleared and the note covers the head."""
    seen: list[str] = []
    real = SQLiteBackend._sync_files

    def watching(backend: SQLiteBackend) -> None:
        fd = backend._sync_lock()
        assert fd is not None
        seen.append(os.pread(fd, 200, 200).decode().strip())
        real(backend)

    monkeypatch.setattr(SQLiteBackend, "_sync_files", watching)
    with sq.open() as ledger:
        fill(ledger, 2)
        backend = ledger.backend
        assert isinstance(backend, SQLiteBackend)
        assert seen == [f"{backend.ledger_id} 1", f"{backend.ledger_id} 2"]
        fd = backend._sync_lock()
        assert fd is not None
        assert os.pread(fd, 200, 200).strip() == b""
        assert backend._synced_past(fd, 2)


def test_a_writer_a_sync_under_way_cannot_cover_syncs_beside_it(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer is syncing the head as it was at entry 1; entry 2 was committed after
    that head was read, so that sync cannot cover it: its writer syncs at once, beside the
    one under way, instead of waiting for it to end and then syncing after it; and notes
    what it covered. (With no word of what the sync under way covers, a writer waits for
    it: `test_a_writer_covered_by_a_sync_under_way_leaves_when_it_ends`.)"""
    import fcntl

    counter = SyncCounter(monkeypatch, sq.path)
    with sq.open() as ledger:
        fill(ledger, 1)
        backend = ledger.backend
        assert isinstance(backend, SQLiteBackend)
        other = os.open(f"{Path(sq.path).resolve()}-sync", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX)  # another writer is syncing...
            os.pwrite(other, f"{backend.ledger_id} 1".encode().ljust(200), 200)  # ...head 1
            done = threading.Event()
            appender = threading.Thread(
                target=lambda: (ledger.record_decision(make_result(), make_details()), done.set())
            )
            appender.start()
            assert done.wait(10), "it waited for a sync that could not cover its entry"
            appender.join()
            assert counter.covered == [1, 2]
            fd = backend._sync_lock()
            assert fd is not None and backend._synced_past(fd, 2)
            # A sync beside that covered less than the note says leaves the note alone.
            ahead = f"{backend.ledger_id} 9 {'0' * 64}".encode().ljust(200)
            os.pwrite(other, ahead, 0)
            backend._sync_beside(fd, 2)
            assert os.pread(fd, 200, 0) == ahead and counter.covered == [1, 2, 2]
        finally:
            os.close(other)
        assert verify(ledger.backend).intact
