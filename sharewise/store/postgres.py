"""The shared ledger on a PostgreSQL server, for one organisation or several sharing it.

Same rows, same chain, same checks as SQLite; the concurrency is the server's:
- each organisation has a chain of its own (schema 4, `migrations_pg`), and a connection
  sees one organisation's rows at a time (row-level security): every query here reads that
  one chain, unaware of the others;
- every append locks its organisation's `head` row `FOR UPDATE` (through
  `sharewise_lock_head()`, which also gives the server's clock, the organisation and the
  login), so appends to one chain are serialised without locking readers, and appends to
  different organisations' chains do not wait for each other;
- the database, not the client, keeps the chain's head, the time and who appended: the insert
  triggers check each new entry against `head` (next seq, links to the head's hash, its hash
  is the hash of its body, its time is the server's own within `CLOCK_SLACK`, its body names
  `current_user` and its organisation, its kind is one the login's role may record) and move
  `head` on. `head` refuses any other change, so it cannot be poisoned (an UPDATE of its hash
  would make every later genuine entry unlinkable), nor can an entry be backdated or forged
  in another login's name;
- serialization failures and deadlocks are retried a few times;
- triggers refuse UPDATE, DELETE and TRUNCATE (statement level), and entries out of
  sequence. Each role gets only what `migrations_pg.grants_sql` lists (printed for a DBA by
  `sharewise db grants [ROLE]`; see docs/deploy.md).
Reads page through the chain by `seq` so that a long verify never holds a transaction open.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg import errors as pgerr

from sharewise.domain import chain
from sharewise.domain.chain import GENESIS
from sharewise.domain.errors import StoreError
from sharewise.store.base import (
    DANGLING_TARGETS_SQL,
    DUE_CASES,
    DUE_EMERGENCIES,
    DUE_ORDER,
    DUPLICATE_IDS_SQL,
    LISTING_COLUMNS,
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
from sharewise.store.migrations_pg import DEFAULT_ORG

SCHEMA_VERSION = 4
#: How far an entry's recorded time may lag the server's clock when it is inserted: the time
#: is read from the server after the head is locked, and the entry built and sent at once.
CLOCK_SLACK_SECONDS = 30
_PAGE = 1000
_RETRIES = 5
_CREATE_LOCK = 0x5AE1_ED6E  # advisory lock key: two first runs never both create the schema

_SCHEMA_V1 = """
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL, hash text NOT NULL
);
CREATE TABLE entries (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  id text NOT NULL UNIQUE,
  kind text NOT NULL,
  created text NOT NULL,
  decision text,
  target text,
  body bytea NOT NULL,
  hash text NOT NULL
);
CREATE INDEX entries_created ON entries (created);
CREATE INDEX entries_target ON entries (target);
CREATE TABLE personal (
  seq bigint PRIMARY KEY REFERENCES entries (seq),
  salt bytea,
  data bytea,
  case_ref text,
  erased_by bigint,
  CONSTRAINT personal_erased_shape CHECK (
    (erased_by IS NULL AND salt IS NOT NULL AND data IS NOT NULL)
    OR (erased_by IS NOT NULL AND salt IS NULL AND data IS NULL AND case_ref IS NULL))
);
CREATE INDEX personal_case ON personal (case_ref);
CREATE FUNCTION sharewise_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'sharewise: %', TG_ARGV[0]; END $$;
CREATE FUNCTION sharewise_in_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries) THEN
    RAISE EXCEPTION 'sharewise: entries are appended in sequence, never replaced';
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION sharewise_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.erased_by IS NULL AND NEW.erased_by IS NOT NULL AND NEW.seq = OLD.seq
     AND NEW.salt IS NULL AND NEW.data IS NULL AND NEW.case_ref IS NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sharewise: personal details are only ever erased by a purge';
END $$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION sharewise_refuse('ledger entries are append-only');
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION sharewise_refuse('ledger entries are append-only');
CREATE TRIGGER entries_in_sequence BEFORE INSERT ON entries
  FOR EACH ROW EXECUTE FUNCTION sharewise_in_sequence();
CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal
  FOR EACH ROW EXECUTE FUNCTION
  sharewise_refuse('personal details are only ever erased by a purge');
CREATE TRIGGER personal_erase_only BEFORE UPDATE ON personal
  FOR EACH ROW EXECUTE FUNCTION sharewise_erase_only();
CREATE TRIGGER personal_no_truncate BEFORE TRUNCATE ON personal
  FOR EACH STATEMENT EXECUTE FUNCTION
  sharewise_refuse('personal details are only ever erased by a purge');
CREATE TRIGGER meta_fixed BEFORE UPDATE OR DELETE ON meta
  FOR EACH ROW EXECUTE FUNCTION sharewise_refuse('ledger metadata is fixed');
CREATE TRIGGER meta_no_truncate BEFORE TRUNCATE ON meta
  FOR EACH STATEMENT EXECUTE FUNCTION sharewise_refuse('ledger metadata is fixed');
"""


# Version 2: a copy of each tree the ledger has seen, once per tree (see StoredTree).
_SCHEMA_V2 = """
CREATE TABLE trees (
  sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
  seq bigint NOT NULL,
  body bytea NOT NULL
);
CREATE TRIGGER trees_fixed BEFORE UPDATE OR DELETE ON trees
  FOR EACH ROW EXECUTE FUNCTION sharewise_refuse('stored trees are never changed');
CREATE TRIGGER trees_no_truncate BEFORE TRUNCATE ON trees
  FOR EACH STATEMENT EXECUTE FUNCTION sharewise_refuse('stored trees are never changed');
"""


def _create_v1(conn: psycopg.Connection[Any]) -> None:
    conn.execute(_SCHEMA_V1)
    conn.execute("INSERT INTO head (one, seq, hash) VALUES (true, 0, %s)", (GENESIS,))


def _create_v2(conn: psycopg.Connection[Any]) -> None:
    conn.execute(_SCHEMA_V2)


# Version 3: `head` moves only by an append, checked by the database (module docstring). The
# functions run as the schema's owner (SECURITY DEFINER) with a fixed search_path ending in
# pg_temp, so the application's role, which may not update `head`, appends through them and
# cannot shadow the tables they use.
_SCHEMA_V3 = """
CREATE FUNCTION sharewise_lock_head(OUT seq bigint, OUT hash text, OUT now text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  SELECT h.seq, h.hash INTO seq, hash FROM head h FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'sharewise: the ledger has lost its head row'; END IF;
  now := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
END $$;
CREATE OR REPLACE FUNCTION sharewise_in_sequence() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  body jsonb;
  moment timestamptz;
BEGIN
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM head h FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'sharewise: the ledger has lost its head row'; END IF;
  IF head_hash IS DISTINCT FROM COALESCE(
       (SELECT e.hash FROM entries e WHERE e.seq = head_seq AND head_seq > 0),
       CASE WHEN head_seq = 0 THEN '{genesis}' END) THEN
    RAISE EXCEPTION 'sharewise: the head row does not match the last entry (it was moved by '
      'hand), so nothing was recorded; run `sharewise records verify`';
  END IF;
  IF NEW.seq IS DISTINCT FROM head_seq + 1
     OR NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(e.seq), 0) + 1 FROM entries e) THEN
    RAISE EXCEPTION 'sharewise: entries are appended in sequence, never replaced';
  END IF;
  IF NEW.hash IS DISTINCT FROM encode(sha256('\\x{label}'::bytea || NEW.body), 'hex') THEN
    RAISE EXCEPTION 'sharewise: an entry''s hash must be the hash of its body';
  END IF;
  BEGIN
    body := convert_from(NEW.body, 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    RAISE EXCEPTION 'sharewise: an entry''s body must be JSON';
  END;
  IF jsonb_typeof(body) IS DISTINCT FROM 'object'
     OR body->>'prev_hash' IS DISTINCT FROM head_hash
     OR body->>'seq' IS DISTINCT FROM NEW.seq::text
     OR body->>'id' IS DISTINCT FROM NEW.id
     OR body->>'created' IS DISTINCT FROM NEW.created THEN
    RAISE EXCEPTION 'sharewise: a new entry must follow the head of the chain';
  END IF;
  IF NEW.created !~ '^\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[.]\\d{{6}}Z$' THEN
    RAISE EXCEPTION 'sharewise: the recorded time must be the database server''s own';
  END IF;
  moment := NEW.created::timestamptz;
  IF moment > clock_timestamp() + interval '1 second'
     OR moment < clock_timestamp() - interval '{slack} seconds' THEN
    RAISE EXCEPTION 'sharewise: the recorded time must be the database server''s own';
  END IF;
  UPDATE head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END $$;
CREATE FUNCTION sharewise_head_moves_by_append() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'sharewise: the head of the chain moves only when an entry is appended';
END $$;
CREATE TRIGGER head_moves_by_append BEFORE INSERT OR UPDATE OR DELETE ON head
  FOR EACH ROW EXECUTE FUNCTION sharewise_head_moves_by_append();
CREATE TRIGGER head_no_truncate BEFORE TRUNCATE ON head
  FOR EACH STATEMENT EXECUTE FUNCTION
  sharewise_refuse('the head of the chain moves only when an entry is appended');
"""


def _upgrade_v3(conn: psycopg.Connection[Any]) -> None:
    """`head` moved only by the insert trigger, which checks each entry against it."""
    found = conn.execute(
        "SELECT h.seq, h.hash, (SELECT e.hash FROM entries e ORDER BY e.seq DESC LIMIT 1),"
        " (SELECT COUNT(*) FROM entries) FROM head h"
    ).fetchone()
    if found is None or found[0] != found[3] or found[1] != (found[2] or GENESIS):
        raise LedgerCorrupt(
            "the ledger's head row does not match its last entry, so it cannot be upgraded; "
            "run `sharewise records verify` and restore the database from a backup"
        )
    conn.execute(_v3_text(conn).encode())


def _v3_text(conn: psycopg.Connection[Any]) -> str:
    """Schema 3's script, for the schema the connection creates in."""
    from psycopg import sql

    schema = conn.execute("SELECT current_schema()").fetchone()
    if schema is None or schema[0] is None:
        raise StoreError("the ledger's database has no schema to create the ledger in")
    return _SCHEMA_V3.format(
        schema=sql.Identifier(schema[0]).as_string(conn),
        label=chain.ENTRY_LABEL.hex(),
        genesis=GENESIS,
        slack=CLOCK_SLACK_SECONDS,
    )


def _upgrade_v4(conn: psycopg.Connection[Any], org: str) -> None:
    """One chain per organisation, row-level security and roles (`migrations_pg`): every
    entry so far goes to the organisation `org`, whose chain it already is."""
    conn.execute(_v4_text(conn, org).encode())


def _v4_text(conn: psycopg.Connection[Any], org: str) -> str:
    from psycopg import sql

    from sharewise.store.migrations_pg import ORG_NAME, v4_text

    if not ORG_NAME.match(org):
        raise StoreError(ORG_RULE)
    schema = conn.execute("SELECT current_schema()").fetchone()
    if schema is None or schema[0] is None:
        raise StoreError("the ledger's database has no schema to create the ledger in")
    return v4_text(
        sql.Identifier(schema[0]).as_string(conn),
        sql.Literal(org).as_string(conn),
        slack=CLOCK_SLACK_SECONDS,
    )


class UpgradeRefused(LedgerCorrupt):
    """An upgrade not made (or undone) because the chain did not verify; `report` says why."""

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


ORG_RULE = (
    "an organisation's name is 1 to 40 lower-case letters, digits, '-' or '_', starting "
    "with a letter (for example `council` or `st-marys-school`)"
)

#: version -> the step that brings a ledger at version-1 up to version (as for SQLite); the
#: second argument names the organisation an older ledger's entries belong to (schema 4).
MIGRATIONS: dict[int, Callable[[psycopg.Connection[Any], str], None]] = {
    1: lambda conn, org: _create_v1(conn),
    2: lambda conn, org: _create_v2(conn),
    3: lambda conn, org: _upgrade_v3(conn),
    4: _upgrade_v4,
}

#: version -> that version's DDL as run (what `verify` derives the expected schema from).
#: Every migration has its script here; a test holds the two dicts to the same versions.
DDL: dict[int, Callable[[psycopg.Connection[Any]], str]] = {
    1: lambda conn: _SCHEMA_V1,
    2: lambda conn: _SCHEMA_V2,
    3: _v3_text,
    4: lambda conn: _v4_text(conn, "default"),
}


def _owners(exc: psycopg.Error, action: str) -> StoreError:
    """A `db` command's failure: who may run it, if that was the reason."""
    if isinstance(exc, pgerr.InsufficientPrivilege):
        return StoreError(
            f"only the ledger's owner may {action} the ledger: run this as the owner "
            "(docs/deploy.md)"
        )
    return _translate(exc, "this database", action + " the ledger in")


def set_up_roles(conn: psycopg.Connection[Any]) -> None:
    """The four group roles (once per server), the training table, and each role's grants
    (`migrations_pg.grants_sql`) on this ledger: what `sharewise db init` does as the owner."""
    from psycopg import sql

    from sharewise.store import training_pg
    from sharewise.store.migrations_pg import grants_sql, roles_sql

    schema = conn.execute("SELECT current_schema()").fetchone()
    name = sql.Identifier(schema[0] if schema else "public").as_string(conn)
    try:
        with conn.transaction():
            conn.execute(roles_sql().encode())
            conn.execute(training_pg.CREATE.encode())
            conn.execute(training_pg.secured_sql(name).encode())
            conn.execute(grants_sql(schema=name).encode())
    except pgerr.InsufficientPrivilege:
        raise StoreError(
            "this login may not create the ledger's roles or grant on its tables: run "
            "`sharewise db init` as the ledger's owner with CREATEROLE (or as a superuser), "
            "or have a DBA run what `sharewise db grants` prints after creating the roles "
            "it names"
        ) from None


def org_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Every organisation (as the owner sees them: all) and its number of entries."""
    names = [str(r[0]) for r in conn.execute("SELECT name FROM orgs ORDER BY name").fetchall()]
    was = conn.execute("SELECT current_setting('sharewise.org', true)").fetchone()
    counts: dict[str, int] = {}
    try:
        for name in names:
            conn.execute("SELECT set_config('sharewise.org', %s, false)", (name,))
            found = conn.execute("SELECT COUNT(*) FROM entries WHERE org = %s", (name,))
            counts[name] = int(found.fetchone()[0])  # type: ignore[index]
    finally:
        conn.execute("SELECT set_config('sharewise.org', %s, false)", (was[0] if was else "",))
    return counts


def add_org(conn: psycopg.Connection[Any], name: str) -> bool:
    """Add an organisation with an empty chain of its own; False if it was there already."""
    try:
        found = conn.execute(
            "INSERT INTO orgs (name, ledger_id, created) VALUES (%s, %s, %s)"
            " ON CONFLICT (name) DO NOTHING",
            (name, str(uuid.uuid4()), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        )
    except psycopg.Error as exc:
        raise _owners(exc, "add an organisation to") from None
    return found.rowcount == 1


def add_member(
    conn: psycopg.Connection[Any],
    login: str,
    org: str,
    roles: list[str],
    *,
    gateway: str | None = None,
) -> list[str]:
    """Make `login` (created if need be) work in `org` with `roles` (its home organisation:
    the one it writes to), or with no roles read `org` only. What was done, in lines."""
    from psycopg import sql

    from sharewise.store.migrations_pg import ROLES

    said: list[str] = []
    ident = sql.Identifier(login)
    try:
        with conn.transaction():
            if conn.execute("SELECT 1 FROM orgs WHERE name = %s", (org,)).fetchone() is None:
                raise StoreError(
                    f"there is no organisation {org} in the ledger; add it with "
                    f"`sharewise db org add {org}`"
                )
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
                pass
            else:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
                said.append(
                    f"created the database login {login} (it has no password: set one, or "
                    "let a gateway act for it)"
                )
            home = conn.execute(
                "SELECT org FROM staff WHERE login = %s AND home", (login,)
            ).fetchone()
            if roles:
                if home is not None and home[0] != org:
                    raise StoreError(
                        f"{login} already works for {home[0]}, and a login writes for one "
                        f"organisation only: make it a reader of {org} (--reads), or use "
                        "another login"
                    )
                conn.execute(
                    "INSERT INTO staff (login, org, home) VALUES (%s, %s, true)"
                    " ON CONFLICT (login, org) DO UPDATE SET home = true",
                    (login, org),
                )
                for role in roles:
                    conn.execute(
                        sql.SQL("GRANT {} TO {}").format(sql.Identifier(ROLES[role]), ident)
                    )
                said.append(f"{login} works for {org} as {', '.join(roles)}")
            elif home is not None and home[0] == org:
                said.append(f"{login} already works for {org}")
            else:
                conn.execute(
                    "INSERT INTO staff (login, org, home) VALUES (%s, %s, false)"
                    " ON CONFLICT (login, org) DO NOTHING",
                    (login, org),
                )
                said.append(f"{login} may read {org}'s register (and never write to it)")
            if gateway is not None:
                gw = sql.Identifier(gateway)
                if not conn.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", (gateway,)
                ).fetchone():
                    # NOINHERIT: the gateway holds no privilege of its own, only SET ROLE.
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT").format(gw))
                    said.append(f"created the gateway login {gateway} (NOINHERIT)")
                conn.execute(sql.SQL("GRANT {} TO {}").format(ident, gw))
                said.append(f"{gateway} may act for {login} (SET ROLE {login})")
    except psycopg.Error as exc:
        raise _owners(exc, "add a member to") from None
    return said


def remove_member(conn: psycopg.Connection[Any], login: str, org: str | None) -> list[str]:
    """Take `login` out of `org` (a reader's row), or out of the ledger altogether (its
    organisation, every organisation it reads, and its sharewise roles). Its records keep
    naming it: they are the chain's. What was done, in lines.

    Taking a login out of its own organisation takes it out altogether: it read other
    organisations' registers through its job there, and a reader's row left behind would
    give those registers back the day the login was added anywhere again."""
    from psycopg import sql

    from sharewise.store.migrations_pg import ROLES

    also: list[Any] = []
    try:
        with conn.transaction():
            if org is not None:
                gone = conn.execute(
                    "DELETE FROM staff WHERE login = %s AND org = %s RETURNING home",
                    (login, org),
                ).fetchall()
                if not gone:
                    return [f"{login} was not a member of {org}"]
                if not gone[0][0]:
                    return [f"{login} no longer reads {org}'s register"]
                also = conn.execute(
                    "DELETE FROM staff WHERE login = %s RETURNING org", (login,)
                ).fetchall()
            else:
                gone = conn.execute(
                    "DELETE FROM staff WHERE login = %s RETURNING org", (login,)
                ).fetchall()
                if not gone:
                    return [f"{login} was not a member of any organisation"]
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
            if exists.fetchone() is not None:
                for group in ROLES.values():
                    conn.execute(
                        sql.SQL("REVOKE {} FROM {}").format(
                            sql.Identifier(group), sql.Identifier(login)
                        )
                    )
            if org is not None:
                said = [f"{login} no longer works for {org} (and keeps no sharewise role)"]
                said += [f"{login} no longer reads {o}'s register" for (o,) in sorted(also)]
            else:
                said = [f"{login} no longer works for or reads any organisation in the ledger"]
            # Nor may a gateway act for them any more.
            for (gateway,) in conn.execute(
                "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
                " JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = %s ORDER BY 1",
                (login,),
            ).fetchall():
                conn.execute(
                    sql.SQL("REVOKE {} FROM {}").format(
                        sql.Identifier(login), sql.Identifier(gateway)
                    )
                )
                said.append(f"{gateway} may no longer act for {login}")
            return said
    except psycopg.Error as exc:
        raise _owners(exc, "remove a member from") from None


def members(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every login in `staff`: its organisation, its sharewise roles, what else it reads,
    and the gateways that may act for it."""
    from sharewise.store.migrations_pg import ROLES

    names = {v: k for k, v in ROLES.items()}
    out: dict[str, dict[str, Any]] = {}
    for login, org, home in conn.execute(
        "SELECT login, org, home FROM staff ORDER BY login, org"
    ).fetchall():
        m = out.setdefault(
            login, {"login": login, "org": None, "roles": [], "reads": [], "gateways": []}
        )
        if home:
            m["org"] = org
        else:
            m["reads"].append(org)
    for login, m in out.items():
        granted = conn.execute(
            "SELECT r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
            " JOIN pg_roles u ON u.oid = a.member WHERE u.rolname = %s ORDER BY r.rolname",
            (login,),
        ).fetchall()
        m["roles"] = [names[g[0]] for g in granted if g[0] in names]
        acting = conn.execute(
            "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
            " JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = %s ORDER BY 1",
            (login,),
        ).fetchall()
        m["gateways"] = [g[0] for g in acting]
    return list(out.values())


_COLUMNS = (
    "e.seq, e.id, e.kind, e.created, e.decision, e.target, e.body, e.hash,"
    " p.seq, p.salt, p.data, p.case_ref, p.erased_by"
)
_FROM = " FROM entries e LEFT JOIN personal p ON p.seq = e.seq"
_SELECT = f"SELECT {_COLUMNS}{_FROM}"
_LISTING = f"SELECT {_COLUMNS}, {LISTING_COLUMNS}{_FROM}"
_BODIES = "SELECT e.seq, e.id, e.kind, e.created, e.target, e.body FROM entries e"


class PostgresBackend(Backend):
    """A ledger in a PostgreSQL database (see the module docstring)."""

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        lock_timeout: float = 10.0,
        first_wait: float = 0.5,
        on_wait: Callable[[], None] | None = None,
        readonly: bool = False,
        org: str | None = None,
        upgrade: bool = True,
        upgrade_org: str = DEFAULT_ORG,
        admin: bool = False,
        act_as: str | None = None,
    ) -> None:
        """`org` picks which organisation's chain this connection reads (one the login may
        read; default its own, or for the owner the ledger's first). `upgrade=False` opens a
        ledger of an older schema as it is, to verify it before it is upgraded; an upgrade
        puts the entries so far in the organisation `upgrade_org`. `admin` is for `sharewise
        db`, whose owner's connection sets up organisations and reads no chain.

        `act_as` is for a gateway (`sharewise serve` behind a proxy that has signed the
        person in): the connection's login must be a member of that person's login, and
        `SET ROLE` makes every read and append the person's own (`current_user`)."""
        self.location = _describe(url)
        self.lock_timeout = lock_timeout
        self.first_wait = min(first_wait, lock_timeout)
        self.on_wait = on_wait
        #: The organisation whose chain this connection reads, and the one it writes to.
        self.org: str | None = None
        self.home: str | None = None
        self.version = SCHEMA_VERSION
        #: (the schema it had, its number of entries) when this opening upgraded it.
        self.upgraded: tuple[int, int] | None = None
        try:
            self._conn: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot reach the ledger database {self.location} "
                f"({exc.__class__.__name__}); check SHAREWISE_DATABASE_URL and the server"
            ) from None
        #: Trees known to be stored: an append on a tree already held costs no look-up.
        self._held: set[str] = set()
        try:
            if act_as is not None:
                self._act_as(act_as)
            if readonly:
                self._conn.execute("SET default_transaction_read_only = on")
            self._prepare(create and not readonly, upgrade and not readonly, upgrade_org)
            if self.version >= 4:
                self._choose_org(org, admin)
        except BaseException:
            self._conn.close()
            raise

    def _act_as(self, login: str) -> None:
        from psycopg import sql

        try:
            self._conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(login)))
        except psycopg.Error:
            raise StoreError(
                f"the gateway's login may not act for {login!r} in {self.location}; the "
                f"ledger's owner lets it with `sharewise db member add {login} --org NAME "
                "--role ROLE --gateway GATEWAY`"
            ) from None

    def _prepare(self, create: bool, upgrade: bool, upgrade_org: str) -> None:
        try:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATE_LOCK,))
                exists = self._conn.execute("SELECT to_regclass('meta')").fetchone()
                if exists is None or exists[0] is None:
                    if not create:
                        raise LedgerMissing(f"there is no ledger in {self.location} yet")
                    MIGRATIONS[1](self._conn, upgrade_org)
                    self._conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('ledger_id', %s),"
                        " ('schema_version', %s)",
                        (str(uuid.uuid4()), str(SCHEMA_VERSION)),
                    )
                    for version in range(2, SCHEMA_VERSION + 1):
                        MIGRATIONS[version](self._conn, upgrade_org)
                meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
                version = _version(meta)
                if 0 < version < SCHEMA_VERSION and "ledger_id" in meta:
                    if upgrade:
                        self._upgrade_verified(version, upgrade_org, meta["ledger_id"])
                        version = SCHEMA_VERSION
                    else:
                        self.version = version
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "open") from None
        if version > SCHEMA_VERSION:
            raise LedgerUnrecognised(
                f"the ledger in {self.location} says it was written by a newer sharewise "
                f"(schema {version}); upgrade sharewise to read and verify it"
            )
        if version < self.version or "ledger_id" not in meta:
            raise LedgerUnrecognised(
                f"{self.location} does not hold a complete sharewise ledger (its metadata "
                "rows are missing)"
            )
        self.ledger_id = meta["ledger_id"]

    def _choose_org(self, org: str | None, admin: bool) -> None:
        """Point this connection at one organisation's chain (the row policies show it no
        other), and learn the chain's id and the organisation this login writes to."""
        conn = self._conn
        try:
            if org:
                conn.execute("SELECT set_config('sharewise.org', %s, false)", (org,))
            found = conn.execute(
                "SELECT o.name, o.ledger_id, sharewise_home_org(),"
                " (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r"
                "  WHERE r.rolname = current_user),"
                " (SELECT COUNT(*) FROM orgs)"
                " FROM (SELECT sharewise_current_org() AS name) c"
                " LEFT JOIN orgs o ON o.name = c.name"
            ).fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "open") from None
        name, ledger_id, home, bypass, orgs = found or (None, None, None, False, 0)
        if bypass and orgs > 1 and not admin:
            raise StoreError(
                f"the ledger in {self.location} holds several organisations, and this login "
                "is a superuser (or may bypass row-level security), so it would read every "
                "organisation's chain as one; connect as a member's login (docs/deploy.md)"
            )
        if name is None or ledger_id is None:
            if admin:
                return
            if org:
                raise StoreError(
                    f"this login may not read an organisation called {org!r} in the ledger "
                    f"in {self.location} (or there is none); `sharewise db org list`, run "
                    "by the ledger's owner, names them"
                )
            raise StoreError(
                f"this login belongs to no organisation in the ledger in {self.location}; "
                "ask its administrator to add it (`sharewise db member add LOGIN --org NAME "
                "--role ROLE`, docs/deploy.md)"
            )
        self.org, self.home, self.ledger_id = str(name), home, str(ledger_id)
        self.location = f"{self.location} (organisation {self.org})"

    def readable_orgs(self) -> list[str]:
        """The organisations whose registers this login may read, by name: those the row
        policies show it in `orgs` (its own, and any it was made a reader of), never
        another's name."""
        try:
            rows = self._conn.execute("SELECT name FROM orgs ORDER BY name").fetchall()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return [str(name) for (name,) in rows]

    def _upgrade_verified(self, version: int, org: str, ledger_id: str) -> None:
        """Verify the chain as it is, upgrade, verify again, all in `_prepare`'s transaction:
        problems before leave the ledger untouched, and problems after undo the upgrade
        (`UpgradeRefused` carries the report). Only the owner can upgrade, so anyone else is
        told so before the chain is read."""
        from sharewise.store.verify import verify

        owner = self._conn.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c"
            " WHERE c.oid = 'entries'::regclass"
        ).fetchone()
        if not (owner and owner[0]):
            raise StoreError(
                f"the ledger in {self.location} was made by an earlier sharewise and must be "
                "brought up to date by its owner: run `sharewise db init --org NAME` as the "
                "owner once (docs/deploy.md)"
            )
        self.version, self.ledger_id = version, ledger_id
        before = verify(self, parallel_from=-1)
        if not before.intact:
            raise UpgradeRefused(
                f"the ledger in {self.location} (schema {version}) has problems, so it was "
                "not upgraded; run `sharewise records verify` and restore it from a backup",
                before,
            )
        self._migrate(version, org)
        self.version = SCHEMA_VERSION
        self.org = self.home = org
        after = verify(self, parallel_from=-1)
        if not after.intact:
            raise UpgradeRefused(
                f"the ledger in {self.location} did not verify once upgraded, so the upgrade "
                "was undone; report this to sharewise's maintainers",
                after,
            )
        self.upgraded = (version, after.count)

    def _migrate(self, version: int, org: str) -> None:
        """Bring a ledger written by an older sharewise up to date (inside `_prepare`'s
        transaction and lock). `meta` is fixed, so each step is noted by a row of its own,
        `schema_version_N`; it needs the schema's owner (the application role cannot create
        tables), which the error for a missing privilege says."""
        for step in range(version + 1, SCHEMA_VERSION + 1):
            try:
                MIGRATIONS[step](self._conn, org)
            except pgerr.InsufficientPrivilege:
                raise StoreError(
                    f"the ledger in {self.location} was made by an earlier sharewise and "
                    "must be brought up to date by its owner: run `sharewise db init` as "
                    "the owner once"
                ) from None
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s)",
                (f"schema_version_{step}", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )

    # -- writing ---------------------------------------------------------------------------

    def _locked_head(self) -> Head:
        """Lock the head row, waiting visibly (and at most `lock_timeout` seconds); the head
        carries the server's clock, read once the lock is held, for the entry's time."""
        conn = self._conn
        conn.execute(f"SET LOCAL lock_timeout = {int(self.first_wait * 1000)}")
        if self.org != self.home:
            raise StoreError(
                f"this connection reads the register of {self.org}, and entries are written "
                f"only in the login's own organisation's ({self.home or 'none'}); unset "
                "SHAREWISE_ORG to write"
            )
        lock = "SELECT seq, hash, now, org, login FROM sharewise_lock_head()"
        try:
            with conn.transaction():  # a savepoint: a timeout here leaves the outer intact
                found = conn.execute(lock).fetchone()
        except pgerr.LockNotAvailable:
            if self.on_wait is not None:
                self.on_wait()
            remaining = max(self.lock_timeout - self.first_wait, 0.001)
            conn.execute(f"SET LOCAL lock_timeout = {int(remaining * 1000)}")
            try:
                with conn.transaction():
                    found = conn.execute(lock).fetchone()
            except pgerr.LockNotAvailable:
                raise LedgerLocked(
                    f"the ledger in {self.location} stayed locked by another program for "
                    f"{self.lock_timeout:g} s, so nothing was recorded; try again"
                ) from None
        if found is None:
            raise LedgerCorrupt(f"the ledger in {self.location} has lost its head row")
        return Head(
            int(found[0]), str(found[1]), chain.parse_utc(str(found[2])), found[3], found[4]
        )

    def _insert(self, entry: NewEntry) -> None:
        row = entry.row
        self._conn.execute(
            "INSERT INTO entries (seq, id, kind, created, decision, target, body, hash)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (row.seq, row.id, row.kind, row.created, row.decision, row.target, row.body,
             row.hash),
        )  # fmt: skip
        if entry.personal is not None:
            p = entry.personal
            self._conn.execute(
                "INSERT INTO personal (seq, salt, data, case_ref, erased_by)"
                " VALUES (%s, %s, %s, %s, %s)",
                (p.seq, p.salt, p.data, p.case_ref, p.erased_by),
            )
        tree = entry.tree
        if tree is not None and tree.sha256 not in self._held:
            # Looked up first, so the tree's bytes are sent only the once it is new; under
            # the head lock no other append can be storing it meanwhile.
            held = self._conn.execute("SELECT 1 FROM trees WHERE sha256 = %s", (tree.sha256,))
            if held.fetchone() is None:
                self._conn.execute(
                    "INSERT INTO trees (sha256, seq, body) VALUES (%s, %s, %s)",
                    (tree.sha256, tree.seq, tree.body),
                )
        # `head` is moved on by the insert trigger (see _SCHEMA_V3), never from here.

    def _retrying(self, work: Callable[[], Any]) -> Any:
        for attempt in range(_RETRIES):
            try:
                with self._conn.transaction():
                    return work()
            except (pgerr.SerializationFailure, pgerr.DeadlockDetected):
                if attempt == _RETRIES - 1:
                    raise LedgerLocked(
                        f"the ledger in {self.location} was too busy to write to; try again"
                    ) from None
                time.sleep(0.05 * (attempt + 1))
            except StoreError:
                raise
            except psycopg.Error as exc:
                raise _translate(exc, self.location, "write") from None
        raise AssertionError("unreachable")

    def append(self, build: Builder) -> Row:
        def work() -> NewEntry:
            entry = build(self._locked_head())
            self._insert(entry)
            return entry

        entry: NewEntry = self._retrying(work)
        if entry.tree is not None:
            self._held.add(entry.tree.sha256)  # only once committed
        return entry.row

    def purge(self, before: str, build: PurgeBuilder) -> tuple[Row, int]:
        victims = (
            "SELECT p.seq FROM personal p JOIN entries e ON e.seq = p.seq"
            " WHERE p.erased_by IS NULL AND e.created < %s"
        )

        def work() -> tuple[Row, int]:
            head = self._locked_head()
            found = self._conn.execute(f"SELECT COUNT(*) FROM ({victims}) v", (before,))
            count = int(found.fetchone()[0])  # type: ignore[index]
            entry = build(head, count)
            self._insert(entry)
            self._conn.execute(
                "UPDATE personal SET salt = NULL, data = NULL, case_ref = NULL, erased_by = %s"
                f" WHERE seq IN ({victims})",
                (entry.row.seq, before),
            )
            return entry.row, count

        result: tuple[Row, int] = self._retrying(work)
        return result

    # -- reading ---------------------------------------------------------------------------

    def rows(self, filters: Filters | None = None) -> Iterator[tuple[Row, PersonalRow | None]]:
        for raw in self._pages(_SELECT, filters):
            yield _split(raw)

    def bodies(
        self, filters: Filters | None = None
    ) -> Iterator[tuple[int, str, str, str, str | None, bytes]]:
        for seq, eid, kind, created, target, body in self._pages(_BODIES, filters):
            yield int(seq), eid, kind, created, target, bytes(body)

    def listing(
        self, filters: Filters | None = None, newest: int | None = None
    ) -> Iterator[tuple[Row, PersonalRow | None, Links]]:
        raws = self._pages(_LISTING, filters) if newest is None else self._newest(filters, newest)
        for raw in raws:
            yield (*_split(raw), split_links(raw[13:]))

    def _newest(self, filters: Filters | None, newest: int) -> list[Any]:
        """The last `newest` listing rows, read backwards along the primary key (so the
        scan stops once it has them), then put back in chain order."""
        where, params = _where(filters or Filters())
        try:
            found = self._conn.execute(
                f"{_LISTING}{where} ORDER BY e.seq DESC LIMIT %s", [*params, max(newest, 0)]
            ).fetchall()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        found.reverse()
        return found

    def tally(self, filters: Filters | None = None) -> tuple[int, int]:
        where, params = _where(filters or Filters())
        try:
            found = self._conn.execute(
                f"SELECT {TALLY_COLUMNS} FROM entries e{where}", params
            ).fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return (0, 0) if found is None else (int(found[0]), int(found[1]))

    def _pages(self, select: str, filters: Filters | None) -> Iterator[Any]:
        where, params = _where(filters or Filters())
        last = 0
        while True:
            clause = f"{where} AND e.seq > %s" if where else " WHERE e.seq > %s"
            try:
                page = self._conn.execute(
                    f"{select}{clause} ORDER BY e.seq LIMIT {_PAGE}", [*params, last]
                ).fetchall()
            except psycopg.Error as exc:
                raise _translate(exc, self.location, "read") from None
            yield from page
            if len(page) < _PAGE:
                return
            last = int(page[-1][0])

    def due_rows(self) -> Iterator[tuple[bool, Row, PersonalRow | None]]:
        # Paged by the ordering column, as `_pages` does, so no transaction stays open.
        for emergency, tail, order in zip(
            (True, False), (DUE_EMERGENCIES, DUE_CASES), DUE_ORDER, strict=True
        ):
            last = 0
            while True:
                try:
                    page = self._conn.execute(
                        f"SELECT {_COLUMNS}, {order}{_FROM}{tail} AND {order} > %s"
                        f" ORDER BY {order} LIMIT {_PAGE}",
                        (last,),
                    ).fetchall()
                except psycopg.Error as exc:
                    raise _translate(exc, self.location, "read") from None
                for raw in page:
                    yield (emergency, *_split(raw))
                if len(page) < _PAGE:
                    break
                last = int(page[-1][13])

    def get(self, entry_id: str) -> tuple[Row, PersonalRow | None] | None:
        seq = seq_of(entry_id)
        column = "e.id" if seq is None else "e.seq"
        key: Any = entry_id if seq is None else seq
        try:
            raw = self._conn.execute(f"{_SELECT} WHERE {column} = %s", (key,)).fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return None if raw is None else _split(raw)

    def tree(self, sha256: str) -> bytes | None:
        try:
            found = self._conn.execute(
                "SELECT body FROM trees WHERE sha256 = %s", (sha256,)
            ).fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return None if found is None else bytes(found[0])

    def tree_digests(self) -> dict[str, int]:
        if self.version < 2:  # verified before an upgrade: no tree copies before schema 2
            return {}
        return {str(a): int(b) for a, b in self._select("SELECT sha256, seq FROM trees")}

    def orphan_personal(self) -> list[int]:
        try:
            found = self._conn.execute(
                "SELECT p.seq FROM personal p LEFT JOIN entries e ON e.seq = p.seq"
                " WHERE e.seq IS NULL ORDER BY p.seq"
            ).fetchall()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return [int(r[0]) for r in found]

    def duplicate_ids(self) -> list[tuple[int, str, int]]:
        return [(int(a), str(b), int(c)) for a, b, c in self._select(DUPLICATE_IDS_SQL)]

    def dangling_targets(self) -> list[tuple[int, str]]:
        return [(int(a), str(b)) for a, b in self._select(DANGLING_TARGETS_SQL)]

    def _select(self, sql: str) -> list[Any]:
        try:
            return list(self._conn.execute(sql).fetchall())
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None

    def database_problems(self) -> list[str]:
        """The head row against the last entry, then the schema against this version's DDL
        (`schema_differences`)."""
        ddl = "\n".join(script(self._conn) for v, script in DDL.items() if v <= self.version)
        return (
            self._head_problems()
            + schema_differences(self._actual_schema(), expected_schema(ddl))
            + (self._unguarded_tables() + self._foreign_entries() if self.version >= 4 else [])
        )

    def _foreign_entries(self) -> list[str]:
        """Entries in this organisation's rows whose chained body names another organisation
        (a whole chain relabelled would otherwise verify). The body is canonical, so the
        key `org` is followed by `personal`; bodies that are not canonical are reported by
        the chain's own checks."""
        found = self._select(
            "SELECT e.seq FROM entries e WHERE position('\"org\":'::bytea IN e.body) > 0"
            " AND position(convert_to('\"org\":' || to_json(e.org)::text || ',\"personal\":',"
            " 'UTF8') IN e.body) = 0 ORDER BY e.seq LIMIT 20"
        )
        return [
            f"entry {seq} names another organisation in its chained body than the one whose "
            "chain holds it (moved from another organisation's chain)"
            for (seq,) in found
        ]

    def _unguarded_tables(self) -> list[str]:
        """Tables whose row-level security was turned off, or no longer forced on the owner
        (schema 4 turns both on for every table: `migrations_pg`)."""
        found = self._select(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname"
        )
        return [
            f"row-level security on the table {name} was turned off or is no longer forced: "
            "not what sharewise wrote (organisations may read each other's rows)"
            for name, on, forced in found
            if not (on and forced)
        ]

    def _actual_schema(self) -> dict[str, dict[str, str]]:
        """What the ledger's schema holds, as `expected_schema` describes the DDL."""
        here = "n.nspname = current_schema()"
        queries = {
            "table": "SELECT c.relname, '' FROM pg_class c JOIN pg_namespace n ON"
            f" n.oid = c.relnamespace WHERE {here} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            "index": "SELECT c.relname, t.relname FROM pg_index i JOIN pg_class c ON"
            " c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n"
            f" ON n.oid = t.relnamespace WHERE {here} AND NOT EXISTS (SELECT 1 FROM"
            " pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)",
            "trigger": "SELECT g.tgname, concat_ws(' ', c.relname, p.proname, g.tgenabled::text)"
            " FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON"
            f" n.oid = c.relnamespace JOIN pg_proc p ON p.oid = g.tgfoid WHERE {here}"
            " AND NOT g.tgisinternal",
            "function": "SELECT p.proname, md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n"
            f" ON n.oid = p.pronamespace WHERE {here}",
            "rule": "SELECT r.rulename, r.tablename FROM pg_rules r JOIN pg_namespace n ON"
            f" n.nspname = r.schemaname WHERE {here}",
            "policy": "SELECT p.policyname, concat_ws('|', p.tablename, p.cmd,"
            " array_to_string(p.roles, ','), COALESCE(p.qual, ''), COALESCE(p.with_check, ''))"
            f" FROM pg_policies p JOIN pg_namespace n ON n.nspname = p.schemaname WHERE {here}",
        }
        found = {
            kind: {str(name): str(detail) for name, detail in self._select(sql)}
            for kind, sql in queries.items()
        }
        found["policy"] = {
            name: _policy_detail(*detail.split("|", 4)) for name, detail in found["policy"].items()
        }
        return found

    def _head_problems(self) -> list[str]:
        found = self._select(
            "SELECT h.seq, h.hash, (SELECT e.hash FROM entries e WHERE e.seq = h.seq),"
            " (SELECT MAX(e.seq) FROM entries e) FROM head h"
        )
        if len(found) != 1:
            return ["the head row is missing (the next append will be refused)"]
        seq, hashed, at_seq, last = found[0]
        if seq != (last or 0) or hashed != (at_seq if seq else GENESIS):
            return [
                f"the head row (entry {seq}) does not match the last entry ({last or 0}): it "
                "was moved by hand, and appends are refused until it is put right"
            ]
        return []

    def head(self) -> Head:
        # The chain's own last row, not the `head` table: verify trusts only the chain.
        try:
            found = self._conn.execute(
                "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return Head() if found is None else Head(int(found[0]), str(found[1]))

    def count(self) -> int:
        try:
            found = self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()
        except psycopg.Error as exc:
            raise _translate(exc, self.location, "read") from None
        return 0 if found is None else int(found[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PostgresBackend:
        return self

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """The raw connection, for tests."""
        return self._conn


def _version(meta: dict[str, str]) -> int:
    """The schema version: the one the ledger was created at, or the last step since."""
    steps = [int(k.rsplit("_", 1)[1]) for k in meta if re.fullmatch(r"schema_version_\d+", k)]
    return max([int(meta.get("schema_version", "0")), *steps])


def expected_schema(ddl: str) -> dict[str, dict[str, str]]:
    """The objects a DDL script makes, by kind and name, with what `verify` compares for
    each: a table's nothing, an index's table, a trigger's table, function and state (`O`:
    enabled), a function's body (md5, as the catalog is asked), a rule's or policy's table.
    Read from the code's own scripts (`DDL`), so a later schema change is expected at once."""
    flat = re.sub(r"\s+", " ", ddl)
    trigger = r"CREATE TRIGGER (\w+) [^;]*? ON (\w+) FOR EACH \w+ EXECUTE FUNCTION (\w+)"
    function = r"CREATE (?:OR REPLACE )?FUNCTION (\w+)\(.*?\$\$(.*?)\$\$"
    return {
        "table": {n: "" for n in re.findall(r"CREATE TABLE (\w+)", flat)},
        "index": dict(re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+) ON (\w+)", flat)),
        "trigger": {n: f"{t} {f} O" for n, t, f in re.findall(trigger, flat)},
        "function": {
            n: hashlib.md5(body.encode()).hexdigest()
            for n, body in re.findall(function, ddl, flags=re.S)
        },
        "rule": dict(re.findall(r"CREATE (?:OR REPLACE )?RULE (\w+) AS ON \w+ TO (\w+)", flat)),
        "policy": {
            name: _policy_detail(table, *_policy_clauses(rest))
            for name, table, rest in re.findall(r"CREATE POLICY (\w+) ON (\w+)([^;]*);", flat)
        },
    }


def _policy_clauses(text: str) -> tuple[str, str, str, str]:
    """(command, roles, USING, WITH CHECK) of a CREATE POLICY statement's tail, with the
    defaults PostgreSQL gives (ALL, public)."""
    cmd = re.match(r"\s*(?:AS \w+ )?\s*FOR (\w+)", text)
    roles = re.search(r"\bTO ([\w, ]+?)(?= USING| WITH|$)", text)
    return (
        cmd.group(1) if cmd else "ALL",
        roles.group(1).replace(" ", "") if roles else "public",
        _parenthesised(text, "USING"),
        _parenthesised(text, "WITH CHECK"),
    )


def _parenthesised(text: str, keyword: str) -> str:
    """The balanced (...) after `keyword` in `text`, without its outer parentheses."""
    at = text.find(f"{keyword} (")
    if at < 0:
        return ""
    start = at + len(keyword) + 1
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i]
    return text[start + 1 :]


def _policy_detail(table: str, cmd: str, roles: str, using: str, check: str) -> str:
    """A policy as `verify` compares it: its table, command, roles and both expressions,
    normalised so that the code's text and the catalog's deparsed text compare equal
    (case, spacing, parentheses, casts and the catalog's `AS name` aliases set aside): a policy
    weakened by hand (`USING (true)`) is then a difference, not the same name."""

    def norm(expr: str) -> str:
        expr = re.sub(r"\s+AS\s+\w+", "", expr, flags=re.IGNORECASE)
        expr = re.sub(r"::\w+", "", expr)  # the catalog writes the casts it implies
        return re.sub(r"[\s()]", "", expr).lower()

    return f"{table} {cmd.upper()} {roles.lower()} using:{norm(using)} check:{norm(check)}"


def schema_differences(
    actual: dict[str, dict[str, str]], expected: dict[str, dict[str, str]]
) -> list[str]:
    """What differs, object by object (as SQLite's `schema_differences` says it)."""
    problems: list[str] = []
    for kind in expected:
        have, want = actual.get(kind, {}), expected[kind]
        for name in sorted(want.keys() - have.keys()):
            problems.append(f"the {kind} {name} that sharewise wrote is missing (dropped)")
        for name in sorted(have.keys() - want.keys()):
            problems.append(f"a {kind} {name} was added: not what sharewise wrote")
        for name in sorted(want.keys() & have.keys()):
            if have[name] != want[name]:
                what = "disabled or changed" if kind == "trigger" else "changed"
                problems.append(f"the {kind} {name} was {what}: not what sharewise wrote")
    return problems


def _describe(url: str) -> str:
    """The server and database, never the password."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the database named by SHAREWISE_DATABASE_URL"
    host = info.get("host") or "localhost"
    return f"postgresql://{host}/{info.get('dbname') or ''}"


def _where(filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.date_from is not None:
        clauses.append("e.created >= %s")
        params.append(filters.date_from.isoformat())
    if filters.date_to is not None:
        clauses.append("e.created < %s")
        params.append(filters.date_to.isoformat() + "T99")
    if filters.decision is not None:
        clauses.append(decision_clause("%s"))
        params += [filters.decision, filters.decision]
    if filters.case is not None:
        clauses.append(case_clause("%s"))
        params += [filters.case, filters.case]
    if filters.kinds:
        clauses.append("e.kind = ANY(%s)")
        params.append(list(filters.kinds))
    if filters.seqs is not None:
        clauses.append("e.seq = ANY(%s)")
        params.append(list(filters.seqs))
    if filters.after is not None:
        clauses.append("e.seq > %s")
        params.append(filters.after)
    if filters.targets is not None:
        clauses.append("e.target = ANY(%s)")
        params.append(list(filters.targets))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _split(raw: Any) -> tuple[Row, PersonalRow | None]:
    row = Row(int(raw[0]), raw[1], raw[2], raw[3], raw[4], raw[5], bytes(raw[6]), raw[7])
    if raw[8] is None:
        return row, None
    salt = None if raw[9] is None else bytes(raw[9])
    data = None if raw[10] is None else bytes(raw[10])
    erased_by = None if raw[12] is None else int(raw[12])
    return row, PersonalRow(int(raw[8]), salt, data, raw[11], erased_by)


def _translate(exc: psycopg.Error, location: str, action: str) -> StoreError:
    own = exc.diag.message_primary or ""
    if isinstance(exc, pgerr.RaiseException) and own.startswith("sharewise: "):
        # One of the ledger's own guards refused (our text, never a record's contents).
        return LedgerCorrupt(
            f"the ledger in {location} refused to {action}: {own.removeprefix('sharewise: ')}"
        )
    if isinstance(exc, pgerr.DiskFull | pgerr.OutOfMemory):
        return LedgerFull(
            f"the database server holding the ledger ({location}) is out of space, so "
            "nothing was recorded; ask its administrator to free space"
        )
    if isinstance(exc, pgerr.LockNotAvailable):
        return LedgerLocked(f"the ledger in {location} is locked by another program")
    if isinstance(exc, pgerr.DataCorrupted | pgerr.IndexCorrupted):
        return LedgerCorrupt(f"the database server reports the ledger in {location} damaged")
    if isinstance(exc, pgerr.InsufficientPrivilege):
        return StoreError(f"not allowed to {action} the ledger in {location}; check the role")
    return StoreError(f"cannot {action} the ledger in {location} ({exc.__class__.__name__})")
