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
