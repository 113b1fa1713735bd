"""Training attempts on the organisation's PostgreSQL server, where one is configured.

With SHAREWISE_DATABASE_URL set, every machine in the training room writes its attempts to
one table, so the trainer's summary needs no files collected. The table is apart from the
ledger's (training never enters the ledger or its statistics), keyed by the attempt's id so
that merging a file someone kept offline counts each attempt once, exactly as the file store
does. Messages never include the connection string, which may hold a password.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sharewise.domain.errors import StoreError
from sharewise.domain.session import Attempt
from sharewise.store.training import Merged, Read, read_attempts

#: A schema of its own: `records verify` holds the ledger's schema to exactly what sharewise
#: creates there, and training is not the ledger.
SCHEMA = "sharewise_training"
TABLE = f"{SCHEMA}.attempts"
#: The scenarios a trainer chose for a session, a row per choice (the newest counts), so
#: that a choice made on one machine is the session's on every machine in the room. Only
#: ever inserted, as attempts are: the same privileges, and nothing is lost.
SETS = f"{SCHEMA}.scenario_sets"
CREATE = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {TABLE} (
  id text PRIMARY KEY,
  session text NOT NULL,
  at timestamptz NOT NULL,
  body jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS {SETS} (
  id text PRIMARY KEY,
  session text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  scenarios jsonb NOT NULL
)
"""
WHERE = "the training sessions on the PostgreSQL server"


def secured_sql(ledger_schema: str) -> str:
    """Each organisation's attempts to itself, as the ledger's entries are: staff names and
    how each person answered are course records of their own organisation. Row-level
    security (forced, so the owner is held too) through the ledger's own functions: an
    attempt belongs to the organisation of the login that added it, and is read by those
    who may read that organisation's register. Attempts added before this belong to the
    ledger's default organisation. Run by `sharewise db init` as the owner; safe to run
    again. `ledger_schema` is the ledger's schema, quoted."""
    home = f"{ledger_schema}.sharewise_home_org()"
    current = f"{ledger_schema}.sharewise_current_org()"
    return "".join(
        f"""
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS org text NOT NULL DEFAULT {home};
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS {name}_read ON {table};
CREATE POLICY {name}_read ON {table} FOR SELECT USING (org = {current});
DROP POLICY IF EXISTS {name}_add ON {table};
CREATE POLICY {name}_add ON {table} FOR INSERT WITH CHECK (org = {home});
"""
        for table, name in ((TABLE, "attempts"), (SETS, "scenario_sets"))
    )


class PostgresSessions:
    """The same operations as `SessionFiles`, on one shared table."""

    def __init__(self, url: str, act_as: str | None = None) -> None:
        self.url = url
        #: The signed-in person a gateway acts for (`sharewise serve --user-header`), as the
        #: ledger does: attempts are written with that person's rights, not the gateway's.
        self.act_as = act_as

    def _connect(self, table: str = TABLE) -> Any:
        """A connection on which `table` exists (created on first use where this login may;
        a server set up before the table was added needs `sharewise db init` run again by
        its owner, which creates it with its row-level security and grants)."""
        import psycopg
        from psycopg import sql

        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"could not reach {WHERE} ({_reason(exc)})") from None
        if self.act_as is not None:
            try:
                conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(self.act_as)))
            except psycopg.Error:
                conn.close()
                raise StoreError(
                    f"could not act for {self.act_as!r} on {WHERE}: the gateway may not"
                ) from None
        try:
            exists = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
            if exists is None or exists[0] is None:
                conn.execute(CREATE)
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(
                f"could not prepare {WHERE} ({_reason(exc)}); the database's owner can create "
                f"the table {table} by running `sharewise db init` again (safe to repeat)"
            ) from None
        return conn

    def _insert(self, conn: Any, attempts: Iterable[Attempt]) -> int:
        import psycopg

        added = 0
        try:
            for a in attempts:
                cursor = conn.execute(
                    f"INSERT INTO {TABLE} (id, session, at, body) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    (a.id, a.session, a.at, a.model_dump_json()),
                )
                added += cursor.rowcount
        except psycopg.Error as exc:
            raise StoreError(f"could not save to {WHERE} ({_reason(exc)})") from None
        return added

    def add(self, attempt: Attempt) -> str:
        with self._connect() as conn:
            self._insert(conn, [attempt])
        return WHERE

    def read(self, session: str) -> Read:
        out = Read()
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT body::text FROM {TABLE} WHERE session = %s ORDER BY at, id", (session,)
            ).fetchall()
        out.attempts = [Attempt.model_validate_json(row[0]) for row in rows]
        return out

    def sessions(self) -> dict[str, int]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT session, count(*) FROM {TABLE} GROUP BY session")
            return {str(name): int(n) for name, n in rows.fetchall()}

    def merge(self, sources: Iterable[Path]) -> Merged:
        out = Merged()
        with self._connect() as conn:
            for source in sources:
                got = read_attempts(source)
                out.problems += got.problems
                added = self._insert(conn, got.attempts)
                out.added += added
                out.already += len(got.attempts) - added
                for a in got.attempts:
                    if a.session not in out.sessions:
                        out.sessions.append(a.session)
        return out

    def choose(self, session: str, ids: list[str]) -> str:
        """Keep the trainer's choice for `session` on the server: every machine in the room
        (and every browser session) then offers the session only those scenarios."""
        import json
        import uuid

        import psycopg

        body = json.dumps(list(dict.fromkeys(ids)))
        with self._connect(SETS) as conn:
            try:
                conn.execute(
                    f"INSERT INTO {SETS} (id, session, scenarios) VALUES (%s, %s, %s)",
                    (uuid.uuid4().hex, session, body),
                )
            except psycopg.Error as exc:
                raise StoreError(
                    f"could not keep the session's scenarios on {WHERE} ({_reason(exc)}); "
                    "nothing else was changed"
                ) from None
        return WHERE

    def chosen(self, session: str) -> list[str]:
        """The newest choice for `session` in the organisation; [] when none was made."""
        import psycopg

        with self._connect(SETS) as conn:
            try:
                row = conn.execute(
                    f"SELECT scenarios FROM {SETS} WHERE session = %s"
                    " ORDER BY at DESC, id DESC LIMIT 1",
                    (session,),
                ).fetchone()
            except psycopg.Error as exc:
                raise StoreError(f"could not read {WHERE} ({_reason(exc)})") from None
        if row is None:
            return []
        ids = row[0]
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def _reason(exc: Exception) -> str:
    """The server's reason in one line, without the connection string."""
    diag = getattr(exc, "diag", None)
    text = getattr(diag, "message_primary", None) or type(exc).__name__
    return str(text).splitlines()[0]
