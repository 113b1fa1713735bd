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
#: Bump when what a row holds, or how it is derived, changes: an older file is rebuilt.
FORMAT = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keyset (id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS root (id TEXT PRIMARY KEY, target TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unreadable (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS rec (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, emergency INTEGER NOT NULL,
    created TEXT NOT NULL, day TEXT NOT NULL,
    o_decision TEXT, o_keyset INTEGER, o_started TEXT,
    o_team TEXT NOT NULL, o_consent INTEGER, o_review_by TEXT,
    l_details INTEGER NOT NULL DEFAULT 0, l_team TEXT, l_consent INTEGER, l_review_by TEXT,
    l_decision TEXT, l_keyset INTEGER, l_started TEXT,
    completed INTEGER NOT NULL DEFAULT 0, verdict TEXT, reviewed_on TEXT,
    amendments INTEGER NOT NULL DEFAULT 0,
    decision TEXT NOT NULL, keyset INTEGER, team TEXT NOT NULL, team_norm TEXT NOT NULL,
    consent INTEGER, review_by TEXT, minutes INTEGER
);
"""

#: A record's review has fallen due by :today and no review was filed on or after its date
#: (`figures.view_of`'s rule, with Python's truthiness of '' spelled out).
_DUE = (
    "(review_by IS NOT NULL AND review_by != '' AND review_by <= :today AND NOT "
    "(reviewed_on IS NOT NULL AND reviewed_on != '' AND reviewed_on >= review_by))"
)
_GROUP = (
    f"substr(day, 1, 7), emergency, decision, keyset, team, consent, {_DUE}, verdict, completed"
)


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _unbool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class Cached:
    """The figures of a SQLite ledger, from the cache file brought up to date on opening.

    Offers what the dashboard uses of `figures.Held`: `today`, `unreadable`, `figures` and
    `behind`. Each call opens its own connection, so a worker thread may build it and the
    screen's thread count with it.
    """

    def __init__(self, path: Path, today: dt.date | None = None) -> None:
        self.path = path
        self.today = today or F.today()
        with self._connect() as conn:
            self.unreadable = [int(s) for (s,) in conn.execute("SELECT seq FROM unreadable")]
            self._keysets = {
                int(i): tuple((f, item) for f, item in orjson.loads(keys))
                for i, keys in conn.execute("SELECT id, keys FROM keyset")
            }

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            yield conn
        finally:
            conn.close()

    def _where(self, scope: F.Scope) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {"today": self.today.isoformat()}
        if scope.date_from is not None:
            clauses.append("day >= :date_from")
            params["date_from"] = scope.date_from.isoformat()
        if scope.date_to is not None:
            clauses.append("day <= :date_to")
            params["date_to"] = scope.date_to.isoformat()
        if scope.decision is not None:
            clauses.append("decision = :decision")
            params["decision"] = scope.decision
        if scope.emergency is not None:
            clauses.append("emergency = :emergency")
            params["emergency"] = int(scope.emergency)
        if scope.reviewed is not None:
            clauses.append("(verdict IS NOT NULL) = :reviewed")
            params["reviewed"] = int(scope.reviewed)
        if scope.team is not None:
            clauses.append("team_norm = :team")
            params["team"] = F.norm_team(scope.team)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _view(self, row: tuple[Any, ...]) -> F.View:
        month, emergency, decision, keyset, team, consent, due, verdict, completed = row[:9]
        keys = self._keysets[keyset] if keyset is not None else ()
        return F.View(
            month, bool(emergency), decision, keys, team, _unbool(consent), bool(due),
            verdict, bool(completed),
        )  # fmt: skip

    def figures(self, scope: F.Scope) -> F.Figures:
        figures = F.Figures(scope, self.today)
        figures.unreadable = list(self.unreadable)
        counts = figures.counts
        where, params = self._where(scope)
        with self._connect() as conn:
            groups = conn.execute(
                f"SELECT {_GROUP}, COUNT(*), SUM(amendments) FROM rec{where} GROUP BY {_GROUP}",
                params,
            ).fetchall()
            for row in groups:
                n = row[9]
                for key in F.keys_for(self._view(row)):
                    counts[key] += n
                figures.amendments += row[10]
            for minutes, n in conn.execute(
                f"SELECT minutes, COUNT(*) FROM rec{where}"
                f"{' AND' if where else ' WHERE'} minutes IS NOT NULL GROUP BY minutes",
                params,
            ):
                counts[(F.FILING, str(minutes))] += n
            figures.awaiting = [
                eid
                for (eid,) in conn.execute(
                    f"SELECT id FROM rec{where}{' AND' if where else ' WHERE'} "
                    "emergency = 1 AND completed = 0 ORDER BY seq",
                    params,
                )
            ]
        return figures

    def behind(self, scope: F.Scope, key: F.Key) -> list[int]:
        """The seqs of the records a figure counts, oldest first."""
        where, params = self._where(scope)
        found: list[int] = []
        memo: dict[tuple[Any, ...], bool] = {}
        with self._connect() as conn:
            for row in conn.execute(f"SELECT {_GROUP}, seq FROM rec{where} ORDER BY seq", params):
                group = row[:9]
                hit = memo.get(group)
                if hit is None:
                    hit = memo[group] = key in F.keys_for(self._view(group))
                if hit:
                    found.append(int(row[9]))
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
        _update(backend, path)
    except sqlite3.DatabaseError:
        # A damaged or foreign file (or one a crash cut short): it is only a copy.
        _remove(path)
        _update(backend, path)
    return Cached(path, today)


def _remove(path: Path) -> None:
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


def _open(path: Path) -> sqlite3.Connection:
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another session made it first
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(_SCHEMA)
    return conn


def _update(backend: Backend, path: Path) -> None:
    conn = _open(path)
    try:
        conn.execute("BEGIN IMMEDIATE")  # one session brings it up to date at a time
        state = dict(conn.execute("SELECT key, value FROM state").fetchall())
        seq = int(state.get("seq", "0"))
        if not _still_valid(backend, state, seq):
            for table in ("state", "keyset", "root", "unreadable", "rec"):
                conn.execute(f"DELETE FROM {table}")  # the names are fixed above
            seq = 0
        last = _apply(conn, backend.bodies(Filters(after=seq)))
        if last is not None:
            (hash_,) = [row.hash for row, _ in backend.rows(Filters(seqs=(last,)))]
            conn.executemany(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                [
                    ("format", FORMAT),
                    ("ledger_id", str(getattr(backend, "ledger_id", ""))),
                    ("seq", str(last)),
                    ("hash", hash_),
                ],
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _still_valid(backend: Backend, state: dict[str, str], seq: int) -> bool:
    """Whether the cache was read from this very ledger, up to an entry it still holds."""
    if not state:
        return True  # empty: nothing to undo
    if state.get("format") != FORMAT:
        return False
    if state.get("ledger_id") != str(getattr(backend, "ledger_id", "")):
        return False
    found = [row.hash for row, _ in backend.rows(Filters(seqs=(seq,)))]
    return found == [state.get("hash")]


def _apply(
    conn: sqlite3.Connection, entries: Iterator[tuple[int, str, str, str, str | None, bytes]]
) -> int | None:
    """Add `entries` (in chain order) to the cache; returns the last one's number."""
    keysets = {str(keys): int(i) for keys, i in conn.execute("SELECT keys, id FROM keyset")}

    def keyset(decided: F.Decided | None) -> int | None:
        if decided is None:
            return None
        text = orjson.dumps([list(k) for k in decided.keys]).decode()
        found = keysets.get(text)
        if found is None:
            cursor = conn.execute("INSERT INTO keyset (keys) VALUES (?)", (text,))
            found = keysets[text] = int(cursor.lastrowid or 0)
        return found

    last_seq: int | None = None
    for seq, eid, kind, created, target_id, body in entries:
        last_seq = seq
        if kind in F.RECORD_KINDS:
            try:
                filed = F.filed_of(seq, eid, kind, created, body)
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError):
                conn.execute("INSERT OR IGNORE INTO unreadable (seq) VALUES (?)", (seq,))
                continue
            own = filed.decided
            d = filed.details
            conn.execute(
                "INSERT INTO rec (seq, id, emergency, created, day, o_decision, o_keyset, "
                "o_started, o_team, o_consent, o_review_by, decision, keyset, team, "
                "team_norm, consent, review_by, minutes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', NULL, '', '', NULL, NULL, NULL)",
                (
                    seq, eid, int(filed.emergency), created, created[:10],
                    own.decision if own else None, keyset(own), own.started if own else None,
                    d.team, _bool(d.consent_sought), d.review_by,
                ),
            )  # fmt: skip
            _derive(conn, eid)
        elif kind in F.LINK_KINDS and target_id is not None:
            try:
                data = orjson.loads(body).get("data") or {}
            except orjson.JSONDecodeError:
                continue  # as read_later: verify names it
            found = conn.execute("SELECT target FROM root WHERE id = ?", (target_id,)).fetchone()
            target = found[0] if found else target_id
            conn.execute("INSERT OR REPLACE INTO root (id, target) VALUES (?, ?)", (eid, target))
            _credit(conn, target, kind, created, data, keyset)
    return last_seq


def _credit(
    conn: sqlite3.Connection,
    target: str,
    kind: str,
    created: str,
    data: dict[str, Any],
    keyset: Any,
) -> None:
    """What one completion, amendment or review says about the record `target`."""
    row = conn.execute("SELECT completed FROM rec WHERE id = ?", (target,)).fetchone()
    if row is None:
        return  # a record that could not be read: counted nowhere
    if kind == "review":
        verdict = (data.get("review") or {}).get("verdict")
        conn.execute(
            "UPDATE rec SET verdict = ?, reviewed_on = ? WHERE id = ?",
            (verdict, created[:10], target),
        )
        _derive(conn, target)
        return
    if kind == "amendment":
        conn.execute("UPDATE rec SET amendments = amendments + 1 WHERE id = ?", (target,))
    elif not row[0]:
        decided = F.decided_of(data["result"]) if data.get("result") else None
        conn.execute("UPDATE rec SET completed = 1 WHERE id = ?", (target,))
        if decided is not None:
            conn.execute(
                "UPDATE rec SET l_decision = ?, l_keyset = ?, l_started = ? WHERE id = ?",
                (decided.decision, keyset(decided), decided.started, target),
            )
    if data.get("details") is not None:
        d = F.details_of(data["details"])
        conn.execute(
            "UPDATE rec SET l_details = 1, l_team = ?, l_consent = ?, l_review_by = ? WHERE id = ?",
            (d.team, _bool(d.consent_sought), d.review_by, target),
        )
    _derive(conn, target)


def _derive(conn: sqlite3.Connection, eid: str) -> None:
    """A record's counted columns from what it says and what later entries say of it
    (`figures.view_of`: its own decision or its completion's; the latest details)."""
    (
        created, o_decision, o_keyset, o_started, o_team, o_consent, o_review_by,
        l_details, l_team, l_consent, l_review_by, l_decision, l_keyset, l_started,
    ) = conn.execute(
        "SELECT created, o_decision, o_keyset, o_started, o_team, o_consent, o_review_by, "
        "l_details, l_team, l_consent, l_review_by, l_decision, l_keyset, l_started "
        "FROM rec WHERE id = ?",
        (eid,),
    ).fetchone()  # fmt: skip
    if o_decision is not None:
        decision, keyset, started = o_decision, o_keyset, o_started
    elif l_decision is not None:
        decision, keyset, started = l_decision, l_keyset, l_started
    else:
        decision, keyset, started = F.NO_DECISION, None, None
    if l_details:
        team, consent, review_by = l_team, l_consent, l_review_by
    else:
        team, consent, review_by = o_team, o_consent, o_review_by
    minutes = F.minutes_between(started, created) if started else None
    conn.execute(
        "UPDATE rec SET decision = ?, keyset = ?, team = ?, team_norm = ?, consent = ?, "
        "review_by = ?, minutes = ? WHERE id = ?",
        (decision, keyset, team, F.norm_team(team), consent, review_by, minutes, eid),
    )
