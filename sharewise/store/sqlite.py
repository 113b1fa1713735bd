"""The embedded ledger: one SQLite file, append-only by trigger, durable on every commit.

Choices and why:
- WAL, and a record reported as saved survives a power cut: every append syncs the WAL to
  the disk (fsync) before it returns. Readers (an IG lead's report) never block a
  practitioner saving a record.
- The sync happens after the write lock is let go (`synchronous=NORMAL`, then `fsync` of
  the WAL by the writer itself), not inside the commit: a durable commit is mostly the disk
  confirming the write, and four writers waiting in turn for each other's confirmation
  appended no faster than one. Now the next writer appends while the previous one waits for
  the disk, and one sync confirms every frame written before it (the kernel groups them).
  WAL with `synchronous=NORMAL` is never corrupted by a crash (SQLite checks each frame's
  checksum and stops at the first incomplete one), and an append returns only once its
  frames are synced, so what was reported saved is never lost; only an append that had not
  returned yet can be lost to a power cut, and then with every entry after it.
- No checkpoint inside a commit: SQLite's automatic one is off for writers, and the
  writer of every `CHECKPOINT_EVERY`th entry checkpoints after its sync (`_checkpoint`),
  so the WAL starts again from its beginning even with several writers at once.
- `BEGIN IMMEDIATE`: the write lock is taken before the head is read, so two writers can
  never both build entry n+1. If the lock is busy we wait (saying so) up to a limit.
- STRICT tables and triggers refusing UPDATE, DELETE and REPLACE: the program cannot change
  history by mistake. (Anyone with the file can drop a trigger; the hash chain and
  checkpoints are what catch that.)
- A new ledger is built in a temporary file and linked into place, so a file that exists
  but holds no ledger is never mistaken for a new one and silently recreated.
- The folder is 0700 and every file 0600 (SQLite gives -wal and -shm the main file's mode).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from sharewise.domain.errors import StoreError
from sharewise.private_files import make_dirs_private
from sharewise.store.base import (
    DANGLING_TARGETS_SQL,
    DUE_EMERGENCIES,
    DUPLICATE_IDS_SQL,
    LISTING_COLUMNS,
    NOT_REASSESSED,
    TALLY_COLUMNS,
    Backend,
    Builder,
    Filters,
    Head,
    LedgerCorrupt,
    LedgerFull,
    LedgerLocked,
    LedgerMissing,
    LedgerUnrecognised,
    Links,
    NewEntry,
    PersonalRow,
    PurgeBuilder,
    Row,
    case_clause,
    decision_clause,
    seq_of,
    split_links,
)

SCHEMA_VERSION = 2
FILE_NAME = "ledger.sqlite3"

_SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;
CREATE TABLE entries (
  seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created TEXT NOT NULL,
  decision TEXT,
  target TEXT,
  body BLOB NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX entries_created ON entries(created);
CREATE INDEX entries_target ON entries(target);
CREATE TABLE personal (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entries(seq),
  salt BLOB,
  data BLOB,
  case_ref TEXT,
  erased_by INTEGER,
  CHECK ((erased_by IS NULL AND salt IS NOT NULL AND data IS NOT NULL)
      OR (erased_by IS NOT NULL AND salt IS NULL AND data IS NULL AND case_ref IS NULL))
) STRICT;
CREATE INDEX personal_case ON personal(case_ref);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'sharewise: ledger entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'sharewise: ledger entries are append-only'); END;
CREATE TRIGGER entries_in_sequence BEFORE INSERT ON entries
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
  OR EXISTS (SELECT 1 FROM entries WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sharewise: entries are appended in sequence, never replaced'); END;
CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal
BEGIN SELECT RAISE(ABORT, 'sharewise: personal details are only ever erased by a purge'); END;
CREATE TRIGGER personal_erase_only BEFORE UPDATE ON personal
WHEN NOT (OLD.erased_by IS NULL AND NEW.erased_by IS NOT NULL AND NEW.seq = OLD.seq
          AND NEW.salt IS NULL AND NEW.data IS NULL AND NEW.case_ref IS NULL)
BEGIN SELECT RAISE(ABORT, 'sharewise: personal details are only ever erased by a purge'); END;
CREATE TRIGGER personal_insert_fresh BEFORE INSERT ON personal
WHEN NEW.erased_by IS NOT NULL OR EXISTS (SELECT 1 FROM personal WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'sharewise: personal details are never replaced'); END;
CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
BEGIN SELECT RAISE(ABORT, 'sharewise: ledger metadata is fixed'); END;
CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
BEGIN SELECT RAISE(ABORT, 'sharewise: ledger metadata is fixed'); END;
"""


# Version 2: a copy of each tree the ledger has seen, once per tree (see StoredTree).
_SCHEMA_V2 = """
CREATE TABLE trees (
  sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
  seq INTEGER NOT NULL,
  body BLOB NOT NULL
) STRICT;
CREATE TRIGGER trees_no_update BEFORE UPDATE ON trees
BEGIN SELECT RAISE(ABORT, 'sharewise: stored trees are never changed'); END;
CREATE TRIGGER trees_no_delete BEFORE DELETE ON trees
BEGIN SELECT RAISE(ABORT, 'sharewise: stored trees are never changed'); END;
"""


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements (executescript would commit our open transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _statements(_SCHEMA_V1):
        conn.execute(statement)


def _create_v2(conn: sqlite3.Connection) -> None:
    for statement in _statements(_SCHEMA_V2):
        conn.execute(statement)


#: version -> the step that brings a ledger at version-1 up to version. Future schema
#: changes add a step here; they may add tables or columns, never rewrite `entries`.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1, 2: _create_v2}

_COLUMNS = (
    "e.seq, e.id, e.kind, e.created, e.decision, e.target, e.body, e.hash,"
    " p.seq, p.salt, p.data, p.case_ref, p.erased_by"
)
_FROM = " FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
_SELECT = f"SELECT {_COLUMNS}{_FROM}"
_LISTING = f"SELECT {_COLUMNS}, {LISTING_COLUMNS}{_FROM}"
_BODIES = "SELECT e.seq, e.id, e.kind, e.created, e.target, e.body FROM entries e"


def _errcode(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: every append syncs for itself
    fcntl = None

_datasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)
#: The note of the last sync (`_sync`): ledger id, seq and hash, padded.
_NOTE_BYTES = 200
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: The writer of every this many entries checkpoints the WAL after its sync (`_checkpoint`).
CHECKPOINT_EVERY = 128
#: How long a checkpoint waits for the write lock and for readers to let go of the WAL.
_CHECKPOINT_WAIT_MS = 20


def _is_busy(exc: sqlite3.Error) -> bool:
    return _errcode(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or ("locked" in str(exc))


class SQLiteBackend(Backend):
    """A ledger in one SQLite file (see the module docstring for the guarantees)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        lock_timeout: float = 10.0,
        first_wait: float = 0.5,
        on_wait: Callable[[], None] | None = None,
        readonly: bool = False,
    ) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.lock_timeout = lock_timeout
        self.first_wait = min(first_wait, lock_timeout)
        self.on_wait = on_wait
        self.readonly = readonly
        if not self.path.exists():
            if not create or readonly:
                raise LedgerMissing(f"there is no ledger at {self.location} yet")
            self._create_file()
        self._resolved = self.path.resolve()
        self._sync_fd: int | None = None
        self._tightened = False
        self._sync_failed = False
        self._conn = self._connect_readonly() if readonly else self._connect()
        if not readonly:
            self._tighten_modes()
        #: Trees known to be stored (filled as appends and reads find them): an append on a
        #: tree already held costs no look-up.
        self._held: set[str] = set()

    # -- opening ---------------------------------------------------------------------------

    def _create_file(self) -> None:
        folder = self.path.parent
        try:
            make_dirs_private(folder)
            os.chmod(folder, 0o700)
            tmp = folder / f".{self.path.name}.{uuid.uuid4().hex}.new"
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
            try:
                conn = sqlite3.connect(tmp, isolation_level=None)
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute("BEGIN IMMEDIATE")
                    for version in range(1, SCHEMA_VERSION + 1):
                        MIGRATIONS[version](conn)
                    conn.execute(
                        "INSERT INTO meta(key, value) VALUES ('ledger_id', ?), ('created', ?)",
                        (str(uuid.uuid4()), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
                    )
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                    conn.execute("COMMIT")
                finally:
                    conn.close()
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
                # link, not rename: if another process created the ledger meanwhile,
                # theirs wins and ours is discarded, never the other way round.
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, self.path)
            finally:
                for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "create") from None
        except OSError as exc:
            raise StoreError(
                f"cannot create the ledger at {self.location} ({exc.strerror}); "
                "check the folder exists and you may write to it"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        uri = f"file:{self.path.resolve()}?mode=rw"
        try:
            conn = sqlite3.connect(
                uri,
                uri=True,
                isolation_level=None,
                timeout=self.first_wait,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "open") from None
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            self._check_version(version)
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL: the commit itself does not sync; `_write` syncs the WAL after the lock.
            conn.execute("PRAGMA synchronous=NORMAL")
            # No checkpoint inside a commit: `_checkpoint` runs one after the sync instead.
            conn.execute("PRAGMA wal_autocheckpoint=0")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA recursive_triggers=ON")
            conn.execute("PRAGMA secure_delete=ON")
            if version < SCHEMA_VERSION:
                self._migrate(conn, version)
            self.ledger_id = self._ledger_id(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise _translate(exc, self.location, "open") from None
        except StoreError:
            conn.close()
            raise
        return conn

    def _connect_readonly(self) -> sqlite3.Connection:
        """For commands that only read (list, show, export, verify, checkpoint): nothing is
        written, created or chmodded, so an auditor's read-only copy (a 0444 file, a
        read-only folder or medium) can be listed and verified. A WAL ledger read-only needs
        its -shm file; where it cannot be made, the file is read as immutable (it is a copy
        no one is writing)."""
        resolved = self.path.resolve()
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(
                    f"file:{resolved}?{options}",
                    uri=True,
                    isolation_level=None,
                    timeout=self.first_wait,
                    check_same_thread=False,
                )
                conn.execute("PRAGMA trusted_schema=OFF")
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            except sqlite3.Error as exc:
                with contextlib.suppress(UnboundLocalError, sqlite3.Error):
                    conn.close()
                if options.endswith("immutable=1") or _errcode(exc) not in (
                    sqlite3.SQLITE_CANTOPEN,
                    sqlite3.SQLITE_READONLY,
                    sqlite3.SQLITE_PERM,
                ):
                    raise _translate(exc, self.location, "open") from None
                continue
            try:
                self._check_version(version)
                if version < SCHEMA_VERSION:
                    raise StoreError(
                        f"the ledger at {self.location} was written by an earlier sharewise "
                        f"(schema {version}); open it once with write access to bring it up "
                        "to date"
                    )
                self.ledger_id = self._ledger_id(conn)
            except sqlite3.Error as exc:
                conn.close()
                raise _translate(exc, self.location, "open") from None
            except StoreError:
                conn.close()
                raise
            return conn
        raise AssertionError("unreachable")

    def _check_version(self, version: int) -> None:
        if version == 0:
            raise LedgerCorrupt(
                f"{self.location} exists but holds no sharewise ledger; it was left "
                "untouched. Move it aside (or restore the ledger from a backup)"
            )
        if version > SCHEMA_VERSION:
            raise LedgerUnrecognised(
                f"the ledger at {self.location} says it was written by a newer sharewise "
                f"(schema {version}); upgrade sharewise to read and verify it"
            )

    def _ledger_id(self, conn: sqlite3.Connection) -> str:
        row = conn.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()
        if row is None:
            raise LedgerUnrecognised(
                f"{self.location} has lost its ledger id (its metadata was removed)"
            )
        return str(row[0])

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _tighten_modes(self) -> None:
        """Take away any access by group or others; never add a bit (a ledger someone made
        0444 on purpose stays 0444: only ever tightened)."""
        for suffix in ("", "-wal", "-shm"):
            file = Path(f"{self.path}{suffix}")
            with contextlib.suppress(FileNotFoundError, PermissionError):
                mode = stat.S_IMODE(file.stat().st_mode)
                if mode & ~0o600:
                    os.chmod(file, mode & 0o600)

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            self._begin_immediate()
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "write") from None
        finally:
            if not self._tightened:
                # The WAL and its index, if this first write made them, take the ledger's
                # mode (SQLite gives them the main file's, which `__init__` tightened), so
                # once is enough: it was three `stat`s an append, a tenth of its CPU.
                self._tightened = True
                self._tighten_modes()

    def _sync(self, seq: int) -> None:
        """Make entry `seq`, and every entry before it, durable before the append returns.

        One sync of the WAL confirms every frame written before it, so writers share them
        (group commit). Beside the ledger, `<ledger>-sync` holds a note of the last sync
        (the head it covered) and is locked by the writer syncing. A writer whose entry the
        note already covers returns at once. Otherwise, if no one is syncing, it notes the
        head (every entry committed so far), syncs, and writes that head down as synced. If
        someone is syncing, it waits for that sync to end (a shared lock, which every
        waiter gets together when the syncing writer lets go) and reads the note again: a
        waiter that sync covered leaves at once, instead of queueing behind the next writer's
        sync as it did with one exclusive lock (half the appends of 4 writers waited for a
        sync that was not theirs). Only a writer still not covered then queues to sync.

        The writer syncing also notes, beside the note, the head it is syncing (`pending`,
        cleared when its sync ends). A writer that finds a sync under way whose head is
        below its own entry knows that sync cannot cover it (its entry was committed after
        that head was read): it syncs at once, beside it, instead of waiting for that sync
        to end and then syncing after it (four writers' syncs ran one after another, each
        slower than alone), and notes what it covered if that is further than the note.
        Where nothing says what a sync under way covers (it has not noted it yet, or an
        older sharewise is syncing), a writer waits for it as above.

        The note names the entry by seq and hash and the ledger by its id, and is trusted
        only while that entry is still there with that hash: a note about another chain (a
        ledger restored from a backup, another ledger) never skips a sync, and a note is
        written only after its sync returned. Where no lock can be had (no `fcntl`, a
        folder that cannot take the file), every append syncs for itself."""
        fd = self._sync_lock()
        if fd is None or fcntl is None:
            self._sync_files()
            return
        if self._synced_past(fd, seq):
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if self._under_way_below(fd, seq):
                    self._sync_beside(fd, seq)
                    return
                # Someone is syncing: wait for that sync to end, then see if it covered us.
                fcntl.flock(fd, fcntl.LOCK_SH)
                fcntl.flock(fd, fcntl.LOCK_UN)
                if self._synced_past(fd, seq):
                    return
                fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            self._sync_files()
            return
        try:
            if self._synced_past(fd, seq):
                return
            try:
                head: Head | None = self._head_of(self._conn)
            except sqlite3.Error:
                head = None
            if head is not None:
                pending = f"{self.ledger_id} {head.seq}\n".encode("ascii")
                with contextlib.suppress(OSError):
                    os.pwrite(fd, pending.ljust(_NOTE_BYTES), _NOTE_BYTES)
            try:
                self._sync_files()
            finally:
                with contextlib.suppress(OSError):
                    os.pwrite(fd, b" " * _NOTE_BYTES, _NOTE_BYTES)
            if head is not None and head.seq >= seq:
                self._note(fd, head)
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _note(self, fd: int, head: Head) -> None:
        note = f"{self.ledger_id} {head.seq} {head.hash}\n".encode("ascii")
        with contextlib.suppress(OSError):
            os.pwrite(fd, note.ljust(_NOTE_BYTES), 0)

    def _under_way_below(self, fd: int, seq: int) -> bool:
        """Whether the sync under way noted a head of this ledger below entry `seq` (so it
        cannot cover it). False when nothing says (see `_sync`)."""
        try:
            ledger_id, pending = os.pread(fd, _NOTE_BYTES, _NOTE_BYTES).decode("ascii").split()
            return ledger_id == self.ledger_id and int(pending) < seq
        except (OSError, ValueError, UnicodeDecodeError):
            return False

    def _sync_beside(self, fd: int, seq: int) -> None:
        """Sync the WAL now, beside a sync under way that cannot cover entry `seq`; then note
        the head this sync covered if the note says less (a note written last by a sync
        that covered less is only ever behind: true, and at worst a sync more)."""
        try:
            head: Head | None = self._head_of(self._conn)
        except sqlite3.Error:
            head = None
        self._sync_files()
        if head is None or head.seq < seq:
            return
        try:
            ledger_id, noted, _digest = os.pread(fd, _NOTE_BYTES, 0).decode("ascii").split()
            behind = ledger_id != self.ledger_id or int(noted) < head.seq
        except (OSError, ValueError, UnicodeDecodeError):
            behind = True
        if behind:
            self._note(fd, head)

    def _checkpoint(self) -> None:
        """Copy the WAL's pages into the database file and start the WAL again from its
        beginning, after the sync, outside the write lock: run by the writer of every
        `CHECKPOINT_EVERY`th entry (about 1000 pages, SQLite's own automatic checkpoint).

        SQLite's automatic checkpoint ran inside a writer's COMMIT and, with several writers,
        could never start the WAL again (another writer had always added frames by the time
        it finished), so the WAL grew by every append and every later COMMIT checkpointed
        again (10 ms for a tenth of the commits of 4 writers), each syncing the disk beside
        the appends' own syncs. Here a PASSIVE checkpoint first copies what is there while
        writers go on; then RESTART copies the few frames added meanwhile and starts the WAL
        again (so it is overwritten, not grown: a sync of a file that does not grow is
        cheaper). RESTART holds the write lock while it copies and waits for readers of the
        old frames: it waits for them at most `_CHECKPOINT_WAIT_MS` (a long report reading
        is never waited for; the WAL then starts again at a later checkpoint, as before).
        The entry is already durable here: a checkpoint that fails (a full disk) loses
        nothing, and SQLite checks each frame, so one interrupted by a crash neither."""
        conn = self._conn
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            conn.execute(f"PRAGMA busy_timeout={_CHECKPOINT_WAIT_MS}")
            try:
                conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
            finally:
                conn.execute(f"PRAGMA busy_timeout={int(self.first_wait * 1000)}")

    def _sync_lock(self) -> int | None:
        """The lock file shared by every writer of this ledger, opened once (or None)."""
        if self._sync_fd is None and not self._sync_failed:
            try:
                self._sync_fd = os.open(
                    f"{self._resolved}-sync", os.O_RDWR | os.O_CREAT | _CLOEXEC, 0o600
                )
            except OSError:
                self._sync_failed = True
        return self._sync_fd

    def _synced_past(self, fd: int, seq: int) -> bool:
        """Whether the last sync noted covered entry `seq` of this very chain."""
        try:
            ledger_id, noted, digest = os.pread(fd, _NOTE_BYTES, 0).decode("ascii").split()
            upto = int(noted)
            if ledger_id != self.ledger_id or upto < seq:
                return False
            found = self._conn.execute("SELECT hash FROM entries WHERE seq = ?", (upto,))
            row = found.fetchone()
        except (OSError, ValueError, UnicodeDecodeError, sqlite3.Error):
            return False
        return row is not None and row[0] == digest

    def _sync_files(self) -> None:
        """fsync the WAL (which holds the transaction just committed and every frame
        written before it), outside the write lock. Without a WAL (a commit that was
        checkpointed and the WAL removed), the database file itself."""
        for suffix in ("-wal", ""):
            try:
                fd = os.open(f"{self._resolved}{suffix}", os.O_RDONLY)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise self._unconfirmed(exc) from None
            try:
                # fdatasync, as SQLite's own sync on Linux: the data and the size, not times.
                _datasync(fd)
                return
            except OSError as exc:
                raise self._unconfirmed(exc) from None
            finally:
                os.close(fd)

    def _unconfirmed(self, exc: OSError) -> StoreError:
        return StoreError(
            f"the disk did not confirm the last write to the ledger at {self.location} "
            f"({exc.strerror or exc}); the record may not have been saved: check with "
            "`sharewise records list`, and check the disk"
        )

    def _begin_immediate(self) -> None:
        """Take the write lock, polling every millisecond or so while another writer holds it.

        SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, so a waiting
        writer mostly sleeps through the moments the lock is free: four writers together
        appended four times slower than one. Polling briefly hands the lock on at once.
        """
        conn = self._conn
        start = time.monotonic()
        deadline = start + self.lock_timeout
        pause, told = 0.0002, False
        conn.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                now = time.monotonic()
                if not told and now - start >= self.first_wait:
                    told = True
                    if self.on_wait is not None:
                        self.on_wait()
                if now >= deadline:
                    raise LedgerLocked(
                        f"the ledger at {self.location} stayed locked by another program for "
                        f"{self.lock_timeout:g} s, so nothing was recorded; try again, and if "
                        "it persists close other sharewise windows using it"
                    ) from None
                time.sleep(min(pause, max(deadline - now, 0.0)))
                pause = min(pause * 1.5, 0.001)
        finally:
            conn.execute(f"PRAGMA busy_timeout={int(self.first_wait * 1000)}")

    def _insert(self, conn: sqlite3.Connection, entry: NewEntry) -> None:
        row = entry.row
        conn.execute(
            "INSERT INTO entries(seq, id, kind, created, decision, target, body, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row.seq, row.id, row.kind, row.created, row.decision, row.target, row.body, row.hash),
        )
        if entry.personal is not None:
            p = entry.personal
            conn.execute(
                "INSERT INTO personal(seq, salt, data, case_ref, erased_by) VALUES (?, ?, ?, ?, ?)",
                (p.seq, p.salt, p.data, p.case_ref, p.erased_by),
            )
        tree = entry.tree
        if tree is not None and tree.sha256 not in self._held:
            # Looked up first, so the tree's bytes are sent only the once it is new.
            held = "SELECT 1 FROM trees WHERE sha256 = ?"
            if conn.execute(held, (tree.sha256,)).fetchone() is None:
                conn.execute(
                    "INSERT INTO trees(sha256, seq, body) VALUES (?, ?, ?)",
                    (tree.sha256, tree.seq, tree.body),
                )

    @staticmethod
    def _head_of(conn: sqlite3.Connection) -> Head:
        found = conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
        return Head() if found is None else Head(int(found[0]), str(found[1]))

    def append(self, build: Builder) -> Row:
        with self._write() as conn:
            entry = build(self._head_of(conn))
            self._insert(conn, entry)
        self._sync(entry.row.seq)
        if entry.tree is not None:
            self._held.add(entry.tree.sha256)  # only once committed
        if entry.row.seq % CHECKPOINT_EVERY == 0:
            self._checkpoint()
        return entry.row

    def purge(self, before: str, build: PurgeBuilder) -> tuple[Row, int]:
        victims = (
            "SELECT p.seq FROM personal p JOIN entries e ON e.seq = p.seq"
            " WHERE p.erased_by IS NULL AND e.created < ?"
        )
        with self._write() as conn:
            count = int(conn.execute(f"SELECT COUNT(*) FROM ({victims})", (before,)).fetchone()[0])
            entry = build(self._head_of(conn), count)
            self._insert(conn, entry)
            conn.execute(
                "UPDATE personal SET salt = NULL, data = NULL, case_ref = NULL, erased_by = ?"
                f" WHERE seq IN ({victims})",
                (entry.row.seq, before),
            )
        self._sync(entry.row.seq)
        # Old page images of the erased text can linger in the WAL until a checkpoint.
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return entry.row, count

    # -- reading ---------------------------------------------------------------------------

    def rows(self, filters: Filters | None = None) -> Iterator[tuple[Row, PersonalRow | None]]:
        for raw in self._stream(_SELECT, filters):
            yield _split(raw)

    def rows_between(
        self, first: int | None, last: int | None
    ) -> Iterator[tuple[Row, PersonalRow | None]]:
        """As `rows()`, for the entries numbered `first` to `last` (None: no bound), by the
        stored seq: how `verify` splits a big ledger between two processes. Above `last`
        nothing is read; with `last` None, everything from `first` on."""
        where = " WHERE e.seq >= ?" if first is not None else " WHERE 1"
        params: list[Any] = [first] if first is not None else []
        if last is not None:
            where += " AND e.seq <= ?"
            params.append(last)
        try:
            cursor = self._conn.execute(f"{_SELECT}{where} ORDER BY e.seq", params)
            while batch := cursor.fetchmany(1000):
                for raw in batch:
                    yield _split(raw)
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def bodies(
        self, filters: Filters | None = None
    ) -> Iterator[tuple[int, str, str, str, str | None, bytes]]:
        yield from self._stream(_BODIES, filters)

    def listing(
        self, filters: Filters | None = None, newest: int | None = None
    ) -> Iterator[tuple[Row, PersonalRow | None, Links]]:
        raws = self._stream(_LISTING, filters) if newest is None else self._newest(filters, newest)
        for raw in raws:
            yield (*_split(raw), split_links(raw[13:]))

    def _stream(self, select: str, filters: Filters | None) -> Iterator[Any]:
        sql, params = _where(filters or Filters())
        try:
            cursor = self._conn.execute(f"{select}{sql} ORDER BY e.seq", params)
            while batch := cursor.fetchmany(1000):
                yield from batch
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def _newest(self, filters: Filters | None, newest: int) -> list[Any]:
        """The last `newest` listing rows, read backwards along the primary key (so the
        scan stops once it has them), then put back in chain order."""
        sql, params = _where(filters or Filters())
        try:
            found = self._conn.execute(
                f"{_LISTING}{sql} ORDER BY e.seq DESC LIMIT ?", [*params, max(newest, 0)]
            ).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None
        found.reverse()
        return found

    def tally(self, filters: Filters | None = None) -> tuple[int, int]:
        sql, params = _where(filters or Filters())
        try:
            total, waiting = self._conn.execute(
                f"SELECT {TALLY_COLUMNS} FROM entries e{sql}", params
            ).fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return int(total), int(waiting)

    def due_rows(self) -> Iterator[tuple[bool, Row, PersonalRow | None]]:
        try:
            cursor = self._conn.execute(f"{_SELECT}{DUE_EMERGENCIES} ORDER BY e.seq")
            while batch := cursor.fetchmany(1000):
                for raw in batch:
                    yield (True, *_split(raw))
            # The cases in order of first appearance (two numbers each), then each newest
            # entry read on its own: sorting whole rows would hold every body in the sorter.
            heads = self._conn.execute(
                "SELECT MAX(seq), MIN(seq) AS first FROM personal WHERE case_ref IS NOT NULL"
                " GROUP BY case_ref ORDER BY first"
            )
            while batch := heads.fetchmany(1000):
                for last, _first in batch:
                    raw = self._conn.execute(
                        f"{_SELECT} WHERE e.seq = ?{NOT_REASSESSED}", (last,)
                    ).fetchone()
                    if raw is not None:
                        yield (False, *_split(raw))
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def get(self, entry_id: str) -> tuple[Row, PersonalRow | None] | None:
        seq = seq_of(entry_id)
        column = "e.id" if seq is None else "e.seq"
        key: Any = entry_id if seq is None else seq
        try:
            raw = self._conn.execute(f"{_SELECT} WHERE {column} = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return None if raw is None else _split(raw)

    def tree(self, sha256: str) -> bytes | None:
        found = self._select_one("SELECT body FROM trees WHERE sha256 = ?", (sha256,))
        return None if found is None else bytes(found[0])

    def tree_digests(self) -> dict[str, int]:
        return {str(a): int(b) for a, b in self._select("SELECT sha256, seq FROM trees")}

    def _select_one(self, sql: str, params: tuple[Any, ...]) -> Any:
        try:
            return self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def orphan_personal(self) -> list[int]:
        try:
            return [
                int(r[0])
                for r in self._conn.execute(
                    "SELECT p.seq FROM personal p LEFT JOIN entries e ON e.seq = p.seq"
                    " WHERE e.seq IS NULL ORDER BY p.seq"
                )
            ]
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def duplicate_ids(self) -> list[tuple[int, str, int]]:
        return [(int(a), str(b), int(c)) for a, b, c in self._select(DUPLICATE_IDS_SQL)]

    def dangling_targets(self) -> list[tuple[int, str]]:
        return [(int(a), str(b)) for a, b in self._select(DANGLING_TARGETS_SQL)]

    def _select(self, sql: str) -> list[Any]:
        try:
            return list(self._conn.execute(sql).fetchall())
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def database_problems(self) -> list[str]:
        """SQLite's own integrity check (every page, and every index against its table: a
        corrupted index makes entries unfindable by id while the chain, read in table order,
        still verifies), then the schema against the one this version writes."""
        problems: list[str] = []
        try:
            damage = [str(r[0]) for r in self._conn.execute("PRAGMA integrity_check(20)")]
            actual = schema_of(self._conn)
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None
        if damage != ["ok"]:
            problems += [f"SQLite's integrity check: {line}" for line in damage]
        problems += schema_differences(actual, expected_schema())
        return problems

    def head(self) -> Head:
        try:
            return self._head_of(self._conn)
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def count(self) -> int:
        try:
            return int(self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
        except sqlite3.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def close(self) -> None:
        self._conn.close()
        if self._sync_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._sync_fd)
            self._sync_fd = None

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for tests that play the attacker or fill the disk."""
        return self._conn


SchemaObject = tuple[str, str, str, str | None]


def schema_of(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Every object in a database's schema: (type, name, table, SQL), sorted. SQLite's own
    (autoindexes) included: a UNIQUE constraint's index is part of what was written."""
    found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return sorted((str(t), str(n), str(tb), None if q is None else str(q)) for t, n, tb, q in found)


_EXPECTED: list[SchemaObject] = []


def expected_schema() -> list[SchemaObject]:
    """The schema this version writes, made by running its own migrations on an empty
    database in memory: derived from the DDL above, so it follows every schema change."""
    if not _EXPECTED:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            for version in range(1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](conn)
            _EXPECTED.extend(schema_of(conn))
        finally:
            conn.close()
    return _EXPECTED


def schema_differences(actual: list[SchemaObject], expected: list[SchemaObject]) -> list[str]:
    """What differs, object by object: added, dropped or changed tables, indexes, triggers
    and views (a hidden table with a trigger copying each personal row is two of these)."""
    have = {(t, n): (tb, q) for t, n, tb, q in actual}
    want = {(t, n): (tb, q) for t, n, tb, q in expected}
    problems: list[str] = []
    for kind, name in sorted(want.keys() - have.keys()):
        problems.append(f"the {kind} {name} that sharewise wrote is missing (dropped)")
    for kind, name in sorted(have.keys() - want.keys()):
        table = have[(kind, name)][0]
        on = f" on {table}" if kind in ("index", "trigger") else ""
        problems.append(f"a {kind} {name}{on} was added: not what sharewise wrote")
    for key in sorted(have.keys() & want.keys()):
        if have[key] != want[key]:
            problems.append(f"the {key[0]} {key[1]} was changed from what sharewise wrote")
    return problems


def _where(filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.date_from is not None:
        clauses.append("e.created >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to is not None:
        clauses.append("e.created < ?")
        params.append(filters.date_to.isoformat() + "T99")  # sorts after any time that day
    if filters.decision is not None:
        clauses.append(decision_clause("?"))
        params += [filters.decision, filters.decision]
    if filters.case is not None:
        clauses.append(case_clause("?"))
        params += [filters.case, filters.case]
    if filters.kinds:
        clauses.append(f"e.kind IN ({', '.join('?' for _ in filters.kinds)})")
        params.extend(filters.kinds)
    if filters.seqs is not None:
        # One parameter however many: a JSON array, read by SQLite's json_each.
        clauses.append("e.seq IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.seqs)))
    if filters.after is not None:
        clauses.append("e.seq > ?")
        params.append(filters.after)
    if filters.targets is not None:
        clauses.append("e.target IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.targets)))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _split(raw: tuple[Any, ...]) -> tuple[Row, PersonalRow | None]:
    row = Row(raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], bytes(raw[6]), raw[7])
    if raw[8] is None:
        return row, None
    salt = None if raw[9] is None else bytes(raw[9])
    data = None if raw[10] is None else bytes(raw[10])
    return row, PersonalRow(raw[8], salt, data, raw[11], raw[12])


def _translate(exc: sqlite3.Error, location: str, action: str) -> StoreError:
    """Say what an SQLite error means for the person, without leaking record contents."""
    code = _errcode(exc)
    if code == sqlite3.SQLITE_FULL:
        return LedgerFull(
            f"the disk holding the ledger ({location}) is full, so nothing was recorded; "
            "free some space and try again"
        )
    if _is_busy(exc):
        return LedgerLocked(
            f"the ledger at {location} is locked by another program; try again shortly"
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
        isinstance(exc, sqlite3.DatabaseError)
        and not isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError)
    ):
        return LedgerCorrupt(
            f"the ledger file {location} is damaged or is not a sharewise ledger; it was "
            "left untouched. Restore it from a backup, then run `sharewise records verify`"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return StoreError(
            f"cannot {action} the ledger at {location}: permission denied or read-only; "
            "check the folder's permissions"
        )
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(f"the disk reported an error while trying to {action} {location}")
    return StoreError(f"cannot {action} the ledger at {location} ({exc.__class__.__name__})")
