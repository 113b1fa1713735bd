"""PostgreSQL-only guarantees: TRUNCATE refused, and the CLI reaching the server by URL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from ledger_harness import fill
from pg_harness import Cluster, PostgresHarness

from sharewise.cli import main
from sharewise.domain.errors import StoreError
from sharewise.store.ledger import Ledger
from sharewise.store.postgres import PostgresBackend
from sharewise.store.verify import verify


@pytest.fixture()
def pg(pg_cluster: Cluster) -> PostgresHarness:
    return PostgresHarness(pg_cluster)


@pytest.mark.parametrize("table", ["entries", "personal", "meta"])
def test_truncate_is_refused(pg: PostgresHarness, table: str) -> None:
    with pg.open() as ledger:
        fill(ledger, 2)
    with pytest.raises(Exception, match=r"append-only|only ever erased|fixed"):
        pg.sql(f"TRUNCATE {table} CASCADE")
    assert pg.sql("SELECT COUNT(*) FROM entries") == [(2,)]


def test_cli_uses_the_database_url(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pg.open() as ledger:
        ids = fill(ledger, 3)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["records", "list", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ids
    assert main(["records", "verify"]) == 0
    out = capsys.readouterr().out
    assert "3 entries, chain intact" in out and "postgresql://" in out
    assert "password" not in out


def test_unreachable_server_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "SHAREWISE_DATABASE_URL", "postgresql://u:secret@/nodb?host=/nonexistent-socket-dir"
    )
    assert main(["records", "list"]) == 3
    err = capsys.readouterr().err
    assert "cannot reach the ledger database" in err and "secret" not in err


def _as_role(pg: PostgresHarness, role: str, *, purge: bool = False) -> str:
    """A login working for the ledger's one organisation, as `db init` and `db member add`
    make it: a practitioner and reviewer (and the purger if asked)."""
    from sharewise.store.postgres import add_member, set_up_roles

    with pg.open() as ledger:  # the owner
        conn = ledger.backend.connection  # type: ignore[attr-defined]
        set_up_roles(conn)
        roles = ["practitioner", "reviewer", *(["purger"] if purge else [])]
        add_member(conn, role, "default", roles)
    return pg.url.replace("user=sw_admin", f"user={role}")


def test_the_application_role_appends_and_reads_but_cannot_rewrite(pg: PostgresHarness) -> None:
    import psycopg

    from sharewise.store.ledger import Ledger
    from sharewise.store.postgres import PostgresBackend
    from sharewise.store.verify import verify

    with pg.open() as ledger:  # the owner creates the schema once
        fill(ledger, 2)
    app_url = _as_role(pg, "sw_app_test")
    with Ledger(PostgresBackend(app_url, create=False)) as ledger:
        fill(ledger, 2)
        assert verify(ledger.backend).intact
        assert ledger.backend.count() == 4
    with psycopg.connect(app_url, autocommit=True) as conn:
        for statement in (
            "UPDATE entries SET kind = 'x'",
            "DELETE FROM entries",
            "TRUNCATE entries",
            "DELETE FROM personal",
            "UPDATE meta SET value = ''",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]


def test_role_names_are_checked() -> None:
    from sharewise.store.migrations_pg import grants_sql

    with pytest.raises(ValueError):
        grants_sql("app; DROP TABLE entries")
    assert "UPDATE (salt, data, case_ref, erased_by) ON personal" in grants_sql("purger")
    # Only `head`'s hash, for the row lock an append takes (its trigger refuses any update).
    for role in ("practitioner", "reviewer"):
        updates = [line for line in grants_sql(role).splitlines() if "UPDATE" in line]
        assert updates == [f"GRANT UPDATE (hash) ON head TO sharewise_{role};"]
    assert "INSERT" not in grants_sql("auditor") and "UPDATE" not in grants_sql("auditor")


def test_db_init_and_grants_commands(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init"]) == 0
    assert "0 entries; organisations: default (0 entries)" in capsys.readouterr().out
    assert main(["db", "init", "--json"]) == 0  # run again: it changes nothing
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == 0 and report["ledger"] and "password" not in report["ledger"]
    assert report["organisations"] == {"default": 0} and report["upgraded_from"] is None
    assert main(["db", "grants", "practitioner"]) == 0
    out = capsys.readouterr().out
    assert "GRANT INSERT ON entries, personal, trees TO sharewise_practitioner;" in out
    assert "sharewise_reviewer" not in out
    assert main(["db", "grants", "bad role"]) == 2


# -- the head of the chain: moved only by an append, checked by the database -----------------


def _forged(
    pg: PostgresHarness, created: dt.datetime | None = None, by: str = "sw_app_clock"
) -> Any:
    """A correctly chained next entry, built as a client could build it (any time it likes),
    naming the organisation and the login as the database asks."""
    from sharewise.domain.record import EntryKind
    from sharewise.store.base import Head
    from sharewise.store.ledger import build_entry

    seq, hashed = pg.sql("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")[0]
    return build_entry(
        Head(seq, hashed, None, "default", by),
        EntryKind.PURGE,
        {"purge": {"before": "2001-01-01", "count": 0}},
        None,
        created=created,
    )


def _insert(conn: Any, entry: Any) -> None:
    row = entry.row
    conn.execute(
        "INSERT INTO entries (seq, id, kind, created, decision, target, body, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (row.seq, row.id, row.kind, row.created, row.decision, row.target, row.body, row.hash),
    )


def test_the_application_role_cannot_poison_the_head(pg: PostgresHarness) -> None:
    """`UPDATE head SET hash = ...` made every later genuine entry unlinkable, for ever."""
    import psycopg

    with pg.open() as ledger:
        fill(ledger, 2)
    app_url = _as_role(pg, "sw_app_head")
    with psycopg.connect(app_url, autocommit=True) as conn:
        # UPDATE on the hash is granted only for the row lock an append takes: the head's
        # trigger refuses the update itself, and one made from a trigger of the role's own
        # (on a temporary table, deeper than the statement) is not the owner's.
        with pytest.raises(psycopg.errors.RaiseException, match="moves only when an entry"):
            conn.execute("UPDATE head SET hash = repeat('f', 64)")
        conn.execute("CREATE TEMP TABLE nudge (x int)")
        conn.execute(
            "CREATE FUNCTION pg_temp.nudge() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN UPDATE public.head SET hash = repeat('f', 64); RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER nudge AFTER INSERT ON nudge FOR EACH ROW"
            " EXECUTE FUNCTION pg_temp.nudge()"
        )
        with pytest.raises(psycopg.errors.RaiseException, match="moves only when an entry"):
            conn.execute("INSERT INTO nudge VALUES (1)")
        for statement in (
            "UPDATE head SET seq = seq + 1",
            "DELETE FROM head",
            "TRUNCATE head",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)  # type: ignore[arg-type]
    # Not even the owner moves it by hand: only an append does.
    with pytest.raises(psycopg.errors.RaiseException, match="moves only when an entry"):
        pg.sql("UPDATE head SET hash = repeat('f', 64)")
    with Ledger(PostgresBackend(app_url, create=False)) as ledger:
        fill(ledger, 1)
        report = verify(ledger.backend)
    assert report.intact and report.count == 3


def test_a_poisoned_head_is_refused_loudly_and_verify_names_it(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone who can drop the guard (the owner) moves the head: the next append is refused
    (exit 3, nothing written) instead of chaining to a hash that no entry has."""
    with pg.open() as ledger:
        fill(ledger, 2)
    pg.sql("ALTER TABLE head DISABLE TRIGGER head_moves_by_append")
    pg.sql("UPDATE head SET hash = repeat('f', 64)")
    pg.sql("ALTER TABLE head ENABLE TRIGGER head_moves_by_append")
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["records", "purge", "--before", "2001-01-01", "--yes"]) == 3
    err = capsys.readouterr().err
    assert "head row does not match the last entry" in err and "Traceback" not in err
    assert pg.sql("SELECT COUNT(*) FROM entries") == [(2,)]
    assert main(["records", "verify"]) == 1
    out = capsys.readouterr().out
    assert "ledger: the head row (entry 2) does not match the last entry" in out


def test_the_database_sets_the_recorded_time(pg: PostgresHarness) -> None:
    """A correctly chained entry inserted with a time of the client's choosing is refused;
    the same entry with the server's time goes in."""
    import psycopg

    with pg.open() as ledger:
        fill(ledger, 1)
    app_url = _as_role(pg, "sw_app_clock", purge=True)
    with psycopg.connect(app_url, autocommit=True) as conn:
        for moment in (
            dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
            dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5),
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="server's own"):
                _insert(conn, _forged(pg, moment))
        # Chained to anything but the head, or with a hash that is not its body's: refused.
        entry = _forged(pg)
        bad_link = dataclasses.replace(entry.row, hash="0" * 64)
        with pytest.raises(psycopg.errors.RaiseException, match="hash of its body"):
            _insert(conn, dataclasses.replace(entry, row=bad_link))
        _insert(conn, _forged(pg))  # now, from this clock: accepted
    with pg.open() as ledger:
        assert verify(ledger.backend).intact
        last = ledger.get("2")
    assert abs((last.created - dt.datetime.now(dt.UTC)).total_seconds()) < 30


def test_appends_take_the_servers_time(pg: PostgresHarness) -> None:
    with pg.open() as ledger:
        ids = fill(ledger, 1)
        recorded = ledger.get(ids[0]).created
    server = pg.sql("SELECT clock_timestamp()")[0][0]
    assert abs((server - recorded).total_seconds()) < 30


def test_a_ledger_from_before_the_guarded_head_is_upgraded_by_its_owner(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger made before the head was guarded (schema 2): the application's role is told
    to have the owner run `db init`; the owner's first open upgrades it, entries intact."""
    import psycopg

    from sharewise.domain.record import EntryKind
    from sharewise.store import postgres
    from sharewise.store.base import Head
    from sharewise.store.ledger import build_entry

    monkeypatch.setattr(postgres, "SCHEMA_VERSION", 2)
    pg.open().close()
    head = Head()
    for _ in range(2):  # appended as schema 2 did: insert, then move the head by hand
        data = {"purge": {"before": "2001-01-01", "count": 0}}
        entry = build_entry(head, EntryKind.PURGE, data, None)
        _insert(pg.raw, entry)
        pg.sql("UPDATE head SET seq = %s, hash = %s", (entry.row.seq, entry.row.hash))
        head = Head(entry.row.seq, entry.row.hash)
    pg.sql("CREATE ROLE sw_app_old LOGIN")  # with the grants schema 2 asked for
    pg.sql("GRANT USAGE ON SCHEMA public TO sw_app_old")
    pg.sql("GRANT SELECT, INSERT ON entries, personal, meta, trees TO sw_app_old")
    pg.sql("GRANT SELECT, UPDATE ON head TO sw_app_old")
    app_url = pg.url.replace("user=sw_admin", "user=sw_app_old")
    monkeypatch.undo()  # this version: schemas 3 and 4 to come
    with pytest.raises(StoreError, match="db init"):
        PostgresBackend(app_url, create=False)
    with pg.open(create=False) as ledger:  # the owner
        fill(ledger, 1)
        assert verify(ledger.backend).intact
    assert ("schema_version_3",) in pg.sql("SELECT key FROM meta WHERE key LIKE 'schema_%'")
    with pytest.raises(Exception, match="moves only when an entry"):
        pg.sql("UPDATE head SET seq = 0")
    with psycopg.connect(app_url, autocommit=True) as conn:
        # Its old UPDATE grant or not: a login of no organisation sees no head row to move.
        try:
            moved = conn.execute("UPDATE head SET hash = repeat('f', 64)").rowcount
        except psycopg.Error:
            moved = 0
    assert moved == 0
    assert pg.sql("SELECT seq FROM head") == [(3,)]
