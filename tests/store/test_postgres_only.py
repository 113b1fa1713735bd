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
    from sharewise.store.postgres import grants_sql

    pg.sql(f"CREATE ROLE {role} LOGIN")
    for statement in grants_sql(role, purge=purge).strip().splitlines():
        pg.sql(statement)
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
    from sharewise.store.postgres import grants_sql

    with pytest.raises(ValueError):
        grants_sql("app; DROP TABLE entries")
    assert "UPDATE (salt, data, case_ref, erased_by) ON personal" in grants_sql("r", purge=True)
    assert "UPDATE" not in grants_sql("r").split("REVOKE")[0]  # not even on head


def test_db_init_and_grants_commands(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init"]) == 0
    assert "0 entries" in capsys.readouterr().out
    assert main(["db", "init", "--json"]) == 0  # run again: it changes nothing
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == 0 and report["ledger"] and "password" not in report["ledger"]
    assert main(["db", "grants", "sharewise_app"]) == 0
    assert "GRANT SELECT, INSERT ON entries, personal, meta, trees TO sharewise_app;" in (
        capsys.readouterr().out
    )
    assert main(["db", "grants", "bad role"]) == 2


# -- the head of the chain: moved only by an append, checked by the database -----------------


def _forged(pg: PostgresHarness, created: dt.datetime | None = None) -> Any:
    """A correctly chained next entry, built as a client could build it (any time it likes)."""
    from sharewise.domain.record import EntryKind
    from sharewise.store.base import Head
    from sharewise.store.ledger import build_entry

    seq, hashed = pg.sql("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")[0]
    return build_entry(
        Head(seq, hashed),
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
        for statement in (
            "UPDATE head SET hash = repeat('f', 64)",
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
    app_url = _as_role(pg, "sw_app_clock")
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
    monkeypatch.setattr(postgres, "SCHEMA_VERSION", 3)
    with pytest.raises(StoreError, match="db init"):
        PostgresBackend(app_url, create=False)
    with pg.open(create=False) as ledger:  # the owner
        fill(ledger, 1)
        assert verify(ledger.backend).intact
    assert ("schema_version_3",) in pg.sql("SELECT key FROM meta WHERE key LIKE 'schema_%'")
    with pytest.raises(Exception, match="moves only when an entry"):
        pg.sql("UPDATE head SET seq = 0")
    with psycopg.connect(app_url, autocommit=True) as conn, pytest.raises(psycopg.Error):
        conn.execute("UPDATE head SET hash = repeat('f', 64)")  # its old UPDATE grant or not
