"""The IG dashboard's figures kept between sessions: a small SQLite file beside the ledger.

Why: reading and parsing every stored body is the floor of any count over the ledger, and at
100,000 records it takes seconds; an IG lead opens the dashboard again and again over a
ledger that has only grown by a few entries since. The ledger is append-only, so what the
figures read of it can be kept and brought up to date from the entries after the last one
read: a new record adds a row, and a completion, amendment or review updates the row of the
record it concerns, exactly as `figures.read_later` credits it.

Each filter is then a few `GROUP BY` queries over one row per record, whatever the ledger's
size, and `figures.keys_for` turns each group into the same figure keys the in-memory
`figures.Held` counts: the two must agree for every scope (a property test holds them
together), and `Held` stays the path for PostgreSQL and whenever this file cannot be used.

What is kept: entry numbers and ids, dates, decisions, the law cited, the team as recorded,
whether consent was sought, review dates and verdicts. No name, no case reference, no free
text. The file is readable by its owner only (0600, in the ledger's 0700 folder). It is a
copy, never evidence: it is tied to the ledger's id and the hash of the last entry it read,
and rebuilt from the ledger whenever either does not match (a restored or replaced ledger),
when its format is not this version's, or when the IG lead asks to read the ledger again.
The board paper (`audit report`) always counts from the ledger itself.

What those two checks cannot see: a body edited in place, its stored hash left alone (the
database's guards dropped first). The last entry's hash still matches, so the cache's
figures would stand while the ledger says otherwise. Only reading every body in full can
tell, which is what the chain's check does (`records verify`, run by the dashboard after its
first paint): so the cache is trusted only as far as a check has vouched for it. `checked`
is the last entry a check found the chain intact through, after the cache had read it
(`confirm`); a cache holding entries read in an earlier session and never vouched for (that
session closed before its check ended) is not `proven`, and the dashboard counts it again
from the ledger once its own check ends. A check that finds the chain broken replaces the
file with a mark (`distrust`): while it is there the figures are counted from the ledger,
and no cache is written from a ledger whose chain is broken.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from sharewise.reports import figures as F
from sharewise.store.base import Backend, Filters

FILE_NAME = "figures-cache.sqlite3"
#: Bump when what a row holds, or how it is derived, changes: a file of another format
#: (SQLite's user_version) is deleted and made again.
FORMAT = "2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keyset (id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS root (id TEXT PRIMARY KEY, target TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unreadable (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS grp (
    id INTEGER PRIMARY KEY, emergency INTEGER NOT NULL, decision TEXT NOT NULL,
    keyset INTEGER, team TEXT NOT NULL, team_norm TEXT NOT NULL, consent INTEGER,
    verdict TEXT, completed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rec (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, emergency INTEGER NOT NULL,
    created TEXT NOT NULL,
    o_decision TEXT, o_keyset INTEGER, o_started TEXT,
    o_team TEXT NOT NULL, o_consent INTEGER, o_review_by TEXT,
    l_details INTEGER NOT NULL DEFAULT 0, l_team TEXT, l_consent INTEGER, l_review_by TEXT,
    l_decision TEXT, l_keyset INTEGER, l_started TEXT,
    completed INTEGER NOT NULL DEFAULT 0, verdict TEXT, reviewed_on TEXT,
    amendments INTEGER NOT NULL DEFAULT 0,
    gid INTEGER, month TEXT NOT NULL, day TEXT NOT NULL, due_from TEXT, minutes INTEGER
);
"""
_INDEX = (
    "CREATE INDEX IF NOT EXISTS rec_counted ON rec (gid, month, day, due_from, amendments, minutes)"
)

#: What every record of one group shares (`figures.View` but for its day and review).
_GROUP_COLUMNS = "emergency, decision, keyset, team, team_norm, consent, verdict, completed"


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _unbool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class Distrusted(Exception):
    """The cache is marked: the chain's check found the ledger broken (see `distrust`)."""


class Cached:
    """The figures of a SQLite ledger, from the cache file brought up to date on opening.

    Offers what the dashboard uses of `figures.Held`: `today`, `unreadable`, `figures` and
    `behind`. Each call opens its own connection, so a worker thread may build it and the
    screen's thread count with it. The groups (what records share but their day and review)
    are few and read once; each count is then one scan of a covering index.

    `seq` is the last entry it has read; `proven`, whether every entry read before this
    opening was vouched for by a chain check (see the module's docstring).
    """

    def __init__(
        self, path: Path, today: dt.date | None = None, *, seq: int = 0, proven: bool = False
    ) -> None:
        self.path = path
        self.today = today or F.today()
        self.seq = seq
        self.proven = proven
        with self._connect() as conn:
            self.unreadable = [int(s) for (s,) in conn.execute("SELECT seq FROM unreadable")]
            keysets = {
                int(i): tuple((f, item) for f, item in orjson.loads(keys))
                for i, keys in conn.execute("SELECT id, keys FROM keyset")
            }
            #: gid -> (emergency, decision, keys, team, team_norm, consent, verdict, completed)
            self._groups: dict[int, tuple[Any, ...]] = {
                int(row[0]): (
                    bool(row[1]),
                    row[2],
                    keysets[row[3]] if row[3] is not None else (),
                    row[4],
                    row[5],
                    _unbool(row[6]),
                    row[7],
                    bool(row[8]),
                )
                for row in conn.execute(f"SELECT id, {_GROUP_COLUMNS} FROM grp")
            }
        self._keys: dict[tuple[int, str, bool], list[F.Key]] = {}

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            yield conn
        finally:
            conn.close()

    def _gids(self, scope: F.Scope) -> list[int] | None:
        """The groups the scope keeps (None: every group)."""
        if (scope.decision, scope.emergency, scope.reviewed, scope.team) == (None,) * 4:
            return None
        team = None if scope.team is None else F.norm_team(scope.team)
        return [
            gid
            for gid, (
                emergency,
                decision,
                _k,
                _t,
                team_norm,
                _c,
                verdict,
                _d,
            ) in self._groups.items()
            if (scope.decision is None or decision == scope.decision)
            and (scope.emergency is None or emergency == scope.emergency)
            and (scope.reviewed is None or (verdict is not None) == scope.reviewed)
            and (team is None or team_norm == team)
        ]

    def _where(self, scope: F.Scope) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        gids = self._gids(scope)
        if gids is not None:
            clauses.append("gid IN (SELECT value FROM json_each(?))")
            params.append(orjson.dumps(gids).decode())
        if scope.date_from is not None:
            clauses.append("day >= ?")
            params.append(scope.date_from.isoformat())
        if scope.date_to is not None:
            clauses.append("day <= ?")
            params.append(scope.date_to.isoformat())
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _keys_of(self, gid: int, month: str, due: bool) -> list[F.Key]:
        found = self._keys.get((gid, month, due))
        if found is None:
            emergency, decision, keys, team, _norm, consent, verdict, completed = self._groups[gid]
            view = F.View(month, emergency, decision, keys, team, consent, due, verdict, completed)
            found = self._keys[(gid, month, due)] = F.keys_for(view)
        return found

    def figures(self, scope: F.Scope) -> F.Figures:
        figures = F.Figures(scope, self.today)
        figures.unreadable = list(self.unreadable)
        counts = figures.counts
        where, params = self._where(scope)
        also = " AND" if where else " WHERE"
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT gid, month, COUNT(*), TOTAL(due_from <= ?), SUM(amendments) "
                f"FROM rec{where} GROUP BY gid, month",
                [self.today.isoformat(), *params],
            ).fetchall()
            for gid, month, n, due, amendments in rows:
                for flag, m in ((True, int(due)), (False, n - int(due))):
                    if m:
                        for key in self._keys_of(gid, month, flag):
                            counts[key] += m
                figures.amendments += amendments
            for minutes, n in conn.execute(
                f"SELECT minutes, COUNT(*) FROM rec{where}{also} minutes IS NOT NULL "
                "GROUP BY minutes",
                params,
            ):
                counts[(F.FILING, str(minutes))] += n
            waiting = [g for g, v in self._groups.items() if v[0] and not v[7]]
            figures.awaiting = [
                eid
                for (eid,) in conn.execute(
                    f"SELECT id FROM rec{where}{also} gid IN (SELECT value FROM json_each(?)) "
                    "ORDER BY seq",
                    [*params, orjson.dumps(waiting).decode()],
                )
            ]
        return figures

    def behind(self, scope: F.Scope, key: F.Key) -> list[int]:
        """The seqs of the records a figure counts, oldest first."""
        where, params = self._where(scope)
        found: list[int] = []
        with self._connect() as conn:
            for seq, gid, month, due in conn.execute(
                f"SELECT seq, gid, month, due_from <= ? FROM rec{where} ORDER BY seq",
                [self.today.isoformat(), *params],
            ):
                if key in self._keys_of(gid, month, bool(due)):
                    found.append(int(seq))
        return found


def cached(
    backend: Backend, folder: Path, *, fresh: bool = False, today: dt.date | None = None
) -> Cached:
    """The figures of the ledger `backend` (a SQLite one, whose folder is `folder`), as at
    `today`, with the cache brought up to date first; `fresh` rebuilds it from the whole
    ledger."""
    path = folder / FILE_NAME
    if fresh:
        _remove(path)
    try:
        seq, proven = _update(backend, path)
    except sqlite3.DatabaseError:
        # A damaged or foreign file (or one a crash cut short): it is only a copy.
        _remove(path)
        seq, proven = _update(backend, path)
    return Cached(path, today, seq=seq, proven=proven)


def distrust(folder: Path) -> None:
    """The chain's check found the ledger broken: the cache beside it is replaced by a mark,
    so that until a check finds it intact again its figures are counted from the ledger
    (`cached` raises `Distrusted`) and no cache is written from it."""
    path = folder / FILE_NAME
    _remove(path)
    conn = _open(path)
    try:
        conn.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('broken', '1')")
    finally:
        conn.close()


def confirm(folder: Path, seq: int) -> None:
    """A chain check, begun after the cache had read up to entry `seq`, found the chain
    intact: the cache is vouched for through `seq` (if no other session changed it since).
    A mark left by `distrust` is removed: the next opening builds the cache again."""
    path = folder / FILE_NAME
    if not path.exists():
        return
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        state = dict(conn.execute("SELECT key, value FROM state").fetchall())
        if state.get("broken"):
            conn.execute("ROLLBACK")
            conn.close()
            _remove(path)
            return
        if state.get("seq") == str(seq):
            conn.execute(
                "INSERT OR REPLACE INTO state (key, value) VALUES ('checked', ?)", (str(seq),)
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


def _open(path: Path) -> sqlite3.Connection:
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another session made it first
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version != int(FORMAT):
        tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if tables:  # another format's file: its tables are not these
            conn.close()
            _remove(path)
            return _open(path)
        conn.executescript(_SCHEMA)
        conn.execute(_INDEX)
        conn.execute(f"PRAGMA user_version = {int(FORMAT)}")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _update(backend: Backend, path: Path) -> tuple[int, bool]:
    """Bring the cache up to date: (the last entry it has read, whether what it held before
    was vouched for by a chain check: see the module's docstring)."""
    conn = _open(path)
    try:
        conn.execute("BEGIN IMMEDIATE")  # one session brings it up to date at a time
        state = dict(conn.execute("SELECT key, value FROM state").fetchall())
        if state.get("broken"):
            conn.execute("ROLLBACK")
            raise Distrusted
        seq = int(state.get("seq", "0"))
        proven = state.get("checked") == str(seq)
        if not state or not _still_valid(backend, state, seq):  # start from the first entry
            for table in ("state", "keyset", "grp", "root", "unreadable", "rec"):
                conn.execute(f"DELETE FROM {table}")  # the names are fixed above
            seq, proven = 0, True  # all read now, before this session's check
        if seq == 0:  # a whole ledger to read: index it once at the end, not row by row
            conn.execute("DROP INDEX IF EXISTS rec_counted")
        last = _apply(conn, backend.bodies(Filters(after=seq)))
        conn.execute(_INDEX)
        if last is not None:
            (hash_,) = [row.hash for row, _ in backend.rows(Filters(seqs=(last,)))]
            conn.executemany(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                [
                    ("ledger_id", str(getattr(backend, "ledger_id", ""))),
                    ("seq", str(last)),
                    ("hash", hash_),
                ],
            )
            if not proven:  # what was held before stays unproven, whatever is added
                conn.execute("DELETE FROM state WHERE key = 'checked'")
        conn.execute("COMMIT")
    finally:
        conn.close()
    return (last if last is not None else seq), proven


def _still_valid(backend: Backend, state: dict[str, str], seq: int) -> bool:
    """Whether the cache was read from this very ledger, up to an entry it still holds."""
    if state.get("ledger_id") != str(getattr(backend, "ledger_id", "")):
        return False
    found = [row.hash for row, _ in backend.rows(Filters(seqs=(seq,)))]
    return found == [state.get("hash")]


def _apply(
    conn: sqlite3.Connection, entries: Iterator[tuple[int, str, str, str, str | None, bytes]]
) -> int | None:
    """Add `entries` (in chain order) to the cache; returns the last one's number."""
    writer = _Writer(conn)
    last_seq: int | None = None
    for seq, eid, kind, created, target_id, body in entries:
        last_seq = seq
        if kind in F.RECORD_KINDS:
            try:
                filed = F.filed_of(seq, eid, kind, created, body)
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError):
                conn.execute("INSERT OR IGNORE INTO unreadable (seq) VALUES (?)", (seq,))
                continue
            writer.add(filed)
        elif kind in F.LINK_KINDS and target_id is not None:
            try:
                data = orjson.loads(body).get("data") or {}
            except orjson.JSONDecodeError:
                continue  # as read_later: verify names it
            found = conn.execute("SELECT target FROM root WHERE id = ?", (target_id,)).fetchone()
            target = found[0] if found else target_id
            conn.execute("INSERT OR REPLACE INTO root (id, target) VALUES (?, ?)", (eid, target))
            writer.credit(target, kind, created, data)
    writer.flush()
    return last_seq


class _Writer:
    """Rows written within one update, with the keysets and groups known so far."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.keysets = {str(k): int(i) for k, i in conn.execute("SELECT keys, id FROM keyset")}
        self.groups: dict[tuple[Any, ...], int] = {
            tuple(row[1:]): int(row[0])
            for row in conn.execute(f"SELECT id, {_GROUP_COLUMNS} FROM grp")
        }
        self.by_keys: dict[tuple[F.Key, ...], int] = {}
        #: New records' rows, written together (a later entry about one flushes them first).
        self.pending: list[tuple[Any, ...]] = []

    def keyset(self, decided: F.Decided | None) -> int | None:
        if decided is None:
            return None
        known = self.by_keys.get(decided.keys)
        if known is not None:
            return known
        text = orjson.dumps([list(k) for k in decided.keys]).decode()
        found = self.keysets.get(text)
        if found is None:
            cursor = self.conn.execute("INSERT INTO keyset (keys) VALUES (?)", (text,))
            found = self.keysets[text] = int(cursor.lastrowid or 0)
        self.by_keys[decided.keys] = found
        return found

    def gid(self, group: tuple[Any, ...]) -> int:
        found = self.groups.get(group)
        if found is None:
            cursor = self.conn.execute(
                f"INSERT INTO grp ({_GROUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", group
            )
            found = self.groups[group] = int(cursor.lastrowid or 0)
        return found

    def add(self, filed: F.Filed) -> None:
        own, d = filed.decided, filed.details
        own_keyset = self.keyset(own)
        gid, due_from, minutes = self.counted(
            int(filed.emergency), filed.created, own.decision if own else None, own_keyset,
            own.started if own else None, d.team, _bool(d.consent_sought), d.review_by,
        )  # fmt: skip
        self.pending.append(
            (
                filed.seq, filed.id, int(filed.emergency), filed.created,
                own.decision if own else None, own_keyset, own.started if own else None,
                d.team, _bool(d.consent_sought), d.review_by,
                filed.created[:7], filed.created[:10], gid, due_from, minutes,
            )
        )  # fmt: skip
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(
            "INSERT INTO rec (seq, id, emergency, created, o_decision, o_keyset, o_started, "
            "o_team, o_consent, o_review_by, month, day, gid, due_from, minutes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.pending,
        )
        self.pending.clear()

    def credit(self, target: str, kind: str, created: str, data: dict[str, Any]) -> None:
        """What one completion, amendment or review says about the record `target`, as
        `figures.read_later` credits it."""
        conn = self.conn
        self.flush()
        row = conn.execute("SELECT completed FROM rec WHERE id = ?", (target,)).fetchone()
        if row is None:
            return  # a record that could not be read: counted nowhere
        if kind == "review":
            verdict = (data.get("review") or {}).get("verdict")
            conn.execute(
                "UPDATE rec SET verdict = ?, reviewed_on = ? WHERE id = ?",
                (verdict, created[:10], target),
            )
            self.derive(target)
            return
        if kind == "amendment":
            conn.execute("UPDATE rec SET amendments = amendments + 1 WHERE id = ?", (target,))
        elif not row[0]:
            decided = F.decided_of(data["result"]) if data.get("result") else None
            conn.execute("UPDATE rec SET completed = 1 WHERE id = ?", (target,))
            if decided is not None:
                conn.execute(
                    "UPDATE rec SET l_decision = ?, l_keyset = ?, l_started = ? WHERE id = ?",
                    (decided.decision, self.keyset(decided), decided.started, target),
                )
        if data.get("details") is not None:
            d = F.details_of(data["details"])
            conn.execute(
                "UPDATE rec SET l_details = 1, l_team = ?, l_consent = ?, l_review_by = ? "
                "WHERE id = ?",
                (d.team, _bool(d.consent_sought), d.review_by, target),
            )
        self.derive(target)

    def derive(self, eid: str) -> None:
        """Count the record `eid` again after a later entry changed what is known of it."""
        row = self.conn.execute(
            "SELECT emergency, created, o_decision, o_keyset, o_started, o_team, o_consent, "
            "o_review_by, l_details, l_team, l_consent, l_review_by, l_decision, l_keyset, "
            "l_started, completed, verdict, reviewed_on FROM rec WHERE id = ?",
            (eid,),
        ).fetchone()
        self.conn.execute(
            "UPDATE rec SET gid = ?, due_from = ?, minutes = ? WHERE id = ?",
            (*self.counted(*row), eid),
        )

    def counted(
        self,
        emergency: int,
        created: str,
        o_decision: str | None,
        o_keyset: int | None,
        o_started: str | None,
        o_team: str,
        o_consent: int | None,
        o_review_by: str | None,
        l_details: int = 0,
        l_team: str | None = None,
        l_consent: int | None = None,
        l_review_by: str | None = None,
        l_decision: str | None = None,
        l_keyset: int | None = None,
        l_started: str | None = None,
        completed: int = 0,
        verdict: str | None = None,
        reviewed_on: str | None = None,
    ) -> tuple[int, str | None, int | None]:
        """(group, the day it falls due, minutes to filing) of a record, from what it says
        (`o_`) and what later entries say of it (`l_` and after; none for a new record), as
        `figures.view_of` reads them: its own decision or its completion's, the latest
        details. The arguments are a `rec` row's columns, in order."""
        if o_decision is not None:
            decision, keyset, started = o_decision, o_keyset, o_started
        elif l_decision is not None:
            decision, keyset, started = l_decision, l_keyset, l_started
        else:
            decision, keyset, started = F.NO_DECISION, None, None
        if l_details:
            team, consent, review_by = l_team or "", l_consent, l_review_by
        else:
            team, consent, review_by = o_team, o_consent, o_review_by
        due = F.due_from(review_by, reviewed_on)
        minutes = F.minutes_between(started, created) if started else None
        group = (
            int(emergency), decision, keyset, team, F.norm_team(team), consent, verdict,
            int(completed),
        )  # fmt: skip
        return self.gid(group), due, minutes
