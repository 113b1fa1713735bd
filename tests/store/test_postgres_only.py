"""PostgreSQL-only guarantees: TRUNCATE refused, and the CLI reaching the server by URL."""

from __future__ import annotations

import json

import pytest
from ledger_harness import fill
from pg_harness import Cluster, PostgresHarness

from sharewise.cli import main


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
    assert "ON personal" not in grants_sql("r").split("REVOKE")[0].split("GRANT SELECT, UPDATE")[1]


def test_db_init_and_grants_commands(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init"]) == 0
    assert "0 entries" in capsys.readouterr().out
    assert main(["db", "grants", "sharewise_app"]) == 0
    assert "GRANT SELECT, INSERT ON entries, personal, meta, trees TO sharewise_app;" in (
        capsys.readouterr().out
    )
    assert main(["db", "grants", "bad role"]) == 2
