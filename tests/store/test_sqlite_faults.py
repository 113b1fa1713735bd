"""SQLite-only faults: a full disk, a damaged or foreign file, file modes, REPLACE, versions."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from ledger_harness import SQLiteHarness, fill, make_details, make_result

from sharewise.cli import main
from sharewise.domain.errors import StoreError
from sharewise.store.base import LedgerCorrupt, LedgerFull, LedgerMissing
from sharewise.store.sqlite import SQLiteBackend
from sharewise.store.verify import verify


@pytest.fixture()
def sq(tmp_path: Path) -> SQLiteHarness:
    return SQLiteHarness(tmp_path)


def test_full_disk_is_a_clean_error_and_leaves_no_partial_row(sq: SQLiteHarness) -> None:
    with sq.open() as ledger:
        fill(ledger, 3)
        conn = ledger.backend.connection  # type: ignore[attr-defined]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
        big = make_details(information="x" * 200_000)
        with pytest.raises(LedgerFull, match="full, so nothing was recorded"):
            ledger.record_decision(make_result(), big)
        assert ledger.count() == 3
        assert sq.sql("SELECT COUNT(*) FROM personal") == [(3,)]
        conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
        ref = ledger.record_decision(make_result(), big)
        assert ref.seq == 4
        assert verify(ledger.backend).intact


def test_full_disk_from_the_command_line_exits_3(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(*args: object, **kwargs: object) -> object:
        raise LedgerFull("the disk holding the ledger is full, so nothing was recorded")

    with sq.open() as ledger:
        fill(ledger, 1)
    monkeypatch.setattr(SQLiteBackend, "append", full)
    code = main(
        [
            "--data-dir",
            str(sq.path.parent.parent),
            "records",
            "review",
            "1",
            "--verdict",
            "agree",
            "--reviewer",
            "X",
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "full, so nothing was recorded" in err and "Traceback" not in err


def test_foreign_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ledger" / "ledger.sqlite3"
    path.parent.mkdir()
    garbage = b"this is not a database at all\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(LedgerCorrupt, match="damaged or is not a sharewise ledger"):
        SQLiteBackend(path)
    assert path.read_bytes() == garbage


def test_empty_file_is_never_silently_recreated(tmp_path: Path) -> None:
    path = tmp_path / "ledger" / "ledger.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"")
    with pytest.raises(LedgerCorrupt, match="holds no sharewise ledger"):
        SQLiteBackend(path)
    assert path.read_bytes() == b""


def test_damaged_pages_give_a_clear_error(sq: SQLiteHarness) -> None:
    with sq.open() as ledger:
        fill(ledger, 40)
    raw = bytearray(sq.path.read_bytes())
    page = 4096
    raw[page * 2 : page * 2 + 64] = b"\xff" * 64  # the header of a b-tree page
    sq.path.write_bytes(bytes(raw))
    try:
        with sq.open() as ledger:
            report = verify(ledger.backend)
        assert not report.intact
    except StoreError as exc:
        assert "damaged" in str(exc)


def test_damaged_file_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger" / "ledger.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 100)
    code = main(["--data-dir", str(tmp_path), "records", "list"])
    err = capsys.readouterr().err
    assert code == 3
    assert "Traceback" not in err and "ledger.sqlite3" in err


def test_missing_ledger_is_not_created_when_only_reading(tmp_path: Path) -> None:
    with pytest.raises(LedgerMissing):
        SQLiteBackend(tmp_path / "ledger" / "ledger.sqlite3", create=False)
    assert not (tmp_path / "ledger").exists()


def test_modes_are_0700_and_0600_even_with_a_lax_umask(sq: SQLiteHarness) -> None:
    old = os.umask(0)
    try:
        with sq.open() as ledger:
            fill(ledger, 2)
            files = [sq.path, Path(f"{sq.path}-wal"), Path(f"{sq.path}-shm")]
            assert all(f.exists() for f in files)
            for f in files:
                assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
            assert stat.S_IMODE(sq.path.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)
    assert sorted(p.name for p in sq.path.parent.iterdir() if ".new" in p.name) == []


def test_replace_is_refused(sq: SQLiteHarness) -> None:
    with sq.open() as ledger:
        fill(ledger, 2)
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        sq.sql("INSERT OR REPLACE INTO entries SELECT * FROM entries WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        sq.sql("REPLACE INTO personal SELECT * FROM personal WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        sq.sql(
            "INSERT INTO entries SELECT seq + 2, id, kind, created, decision, target, body, hash"
            " FROM entries WHERE seq = 1"
        )
    with sq.open() as ledger:
        assert verify(ledger.backend).intact


def test_entries_are_refused_out_of_sequence(sq: SQLiteHarness) -> None:
    with sq.open() as ledger:
        fill(ledger, 1)
    with pytest.raises(sqlite3.IntegrityError, match="in sequence"):
        sq.sql("INSERT INTO entries VALUES (5, 'x', 'decision', 'c', NULL, NULL, x'00', 'h')")


def test_a_ledger_from_a_newer_version_is_refused(sq: SQLiteHarness) -> None:
    with sq.open() as ledger:
        fill(ledger, 1)
    sq.sql("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer sharewise"):
        sq.open()


def test_strict_tables(sq: SQLiteHarness) -> None:
    with sq.open():
        pass
    sql = sq.sql("SELECT sql FROM sqlite_master WHERE type = 'table'")
    assert all(s.rstrip().endswith("STRICT") for (s,) in sql)
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: text in an integer column
        sq.sql("INSERT INTO personal(seq, salt, data) VALUES ('one', x'00', x'00')")


def test_wal_and_every_append_synced_before_it_returns(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit does not sync (NORMAL: the write lock is let go first); the append then
    syncs the WAL holding it, once, before returning: what is reported saved is on disk."""
    import sharewise.store.sqlite as sqlite_module

    with sq.open() as ledger:
        conn = ledger.backend.connection  # type: ignore[attr-defined]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL, synced below
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        fill(ledger, 1)
        synced: list[tuple[str, int]] = []
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            # At the sync the entry is committed (another connection sees it) and the lock
            # is free (another writer could take it).
            other = sqlite3.connect(sq.path, timeout=0)
            try:
                seen = other.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            finally:
                other.close()
            synced.append((os.readlink(f"/proc/self/fd/{fd}"), seen))
            real_fsync(fd)

        monkeypatch.setattr(sqlite_module, "_datasync", fsync)
        ledger.record_decision(make_result(), make_details())
        assert synced == [(f"{Path(sq.path).resolve()}-wal", 2)]


def test_a_sync_the_disk_refuses_is_reported(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sharewise.store.sqlite as sqlite_module

    with sq.open() as ledger:
        fill(ledger, 1)

        def failing(fd: int) -> None:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(sqlite_module, "_datasync", failing)
        with pytest.raises(StoreError, match="did not confirm the last write") as caught:
            ledger.record_decision(make_result(), make_details())
        assert caught.value.exit_code == 3
        assert "Input/output error" in str(caught.value)


def test_writers_share_a_sync_only_when_it_covered_their_entry(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Group commit: a sync noted as covering an entry (the same chain: ledger id, seq and
    hash) spares a later writer of an earlier entry its own; a note that does not match the
    ledger as it is now never does."""
    import sharewise.store.sqlite as sqlite_module

    syncs: list[int] = []
    real = sqlite_module._datasync
    monkeypatch.setattr(sqlite_module, "_datasync", lambda fd: (syncs.append(fd), real(fd)))
    with sq.open() as ledger:
        backend = ledger.backend
        assert isinstance(backend, SQLiteBackend)
        fill(ledger, 3)
        assert len(syncs) == 3  # one writer: every append syncs for itself
        note = Path(f"{Path(sq.path).resolve()}-sync")
        assert stat.S_IMODE(note.stat().st_mode) == 0o600
        head = backend.head()
        fd = backend._sync_lock()
        assert fd is not None
        assert backend._synced_past(fd, head.seq)  # the last sync covered the head...
        assert backend._synced_past(fd, head.seq - 1)  # ...and what came before it
        assert not backend._synced_past(fd, head.seq + 1)  # not what comes after
        backend._sync(head.seq)  # what a writer whose entry the note covers does
        assert len(syncs) == 3  # no sync of its own

        forged = [
            f"{backend.ledger_id} {head.seq} {'0' * 64}",  # another chain's entry
            f"{backend.ledger_id} {head.seq + 5} {head.hash}",  # an entry not there
            f"00000000-0000-0000-0000-000000000000 {head.seq} {head.hash}",  # another ledger
            "not a note",
            "",
        ]
        for text in forged:
            os.pwrite(fd, text.encode().ljust(200), 0)
            assert not backend._synced_past(fd, head.seq), text
            backend._sync(head.seq)
        assert len(syncs) == 3 + len(forged)  # each one synced for itself


def test_a_writer_covered_by_a_sync_under_way_leaves_when_it_ends(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that finds another writer syncing waits for that sync to end and, if it
    covered its entry, returns without syncing and without queueing for the lock behind
    the next writer to sync (here the lock is held, shared, by that next writer: with one
    exclusive lock the covered writer waited for its whole sync). Not covered, it syncs."""
    import fcntl
    import threading
    import time

    import sharewise.store.sqlite as sqlite_module

    syncs: list[int] = []
    real = sqlite_module._datasync
    monkeypatch.setattr(sqlite_module, "_datasync", lambda fd: (syncs.append(fd), real(fd)))
    with sq.open() as ledger:
        fill(ledger, 1)
        backend = ledger.backend
        assert isinstance(backend, SQLiteBackend)
        before = len(syncs)
        other = os.open(f"{Path(sq.path).resolve()}-sync", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX)  # another writer is syncing
            done = threading.Event()
            appender = threading.Thread(
                target=lambda: (ledger.record_decision(make_result(), make_details()), done.set())
            )
            appender.start()
            watcher = sqlite3.connect(sq.path)
            deadline = time.monotonic() + 10
            while (head := watcher.execute("SELECT max(seq), hash FROM entries").fetchone())[
                0
            ] < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            watcher.close()
            assert head[0] == 2 and not done.is_set()  # committed, waiting to be synced
            # That sync ends, having covered entry 2; the next writer to sync takes the
            # lock (shared here, so that the covered writer could get in beside it).
            wal = os.open(f"{Path(sq.path).resolve()}-wal", os.O_RDONLY)
            real(wal)
            os.close(wal)
            os.pwrite(other, f"{backend.ledger_id} 2 {head[1]}\n".encode().ljust(200), 0)
            fcntl.flock(other, fcntl.LOCK_SH)
            assert done.wait(5), "the covered writer waited for the next sync"
            appender.join()
            assert len(syncs) == before  # no sync of its own
        finally:
            os.close(other)
        fill(ledger, 1)  # nobody syncing and the note behind: it syncs for itself
        assert len(syncs) == before + 1
        assert verify(ledger.backend).intact


def test_without_a_lock_file_every_append_syncs(
    sq: SQLiteHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sharewise.store.sqlite as sqlite_module

    syncs: list[int] = []
    real = sqlite_module._datasync
    monkeypatch.setattr(sqlite_module, "_datasync", lambda fd: (syncs.append(fd), real(fd)))
    monkeypatch.setattr(sqlite_module, "fcntl", None)
    with sq.open() as ledger:
        fill(ledger, 2)
        assert len(syncs) == 2
        assert verify(ledger.backend).intact
