"""The catalogue's statistics on a ledger shared by organisations, on the real PostgreSQL the
suite starts: by default every login reads the totals of all organisations (the planner's
row count, the activity counters, the sizes); once a superuser has run `sharewise db grants
statistics`, a login counts only what its row policies show it (its organisation's), and
the ledger's owner and monitoring keep the totals."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from ledger_harness import fill
from pg_harness import Cluster

from sharewise.cli import main
from sharewise.store.ledger import Ledger
from sharewise.store.pg_statistics import statistics_sql
from sharewise.store.postgres import PostgresBackend
from sharewise.store.verify import verify

#: What a login could learn about every organisation's records together, and how.
TOTALS = {
    "the planner's row count": "SELECT reltuples::int FROM pg_class WHERE relname = 'entries'",
    "the pages the table takes": "SELECT relpages FROM pg_class WHERE relname = 'entries'",
    "live rows": "SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'entries'",
    "rows inserted": "SELECT n_tup_ins FROM pg_stat_all_tables WHERE relname = 'entries'",
    "rows inserted, asked directly": "SELECT pg_stat_get_tuples_inserted('entries'::regclass)",
    "blocks read": "SELECT heap_blks_hit FROM pg_statio_user_tables WHERE relname = 'entries'",
    "index scans": "SELECT idx_scan FROM pg_stat_user_indexes WHERE relname = 'entries' LIMIT 1",
    "the table's size": "SELECT pg_total_relation_size('entries')",
    "the database's activity": "SELECT tup_inserted FROM pg_stat_database"
    " WHERE datname = current_database()",
    "the database's size": "SELECT pg_database_size(current_database())",
    "the locks held": "SELECT COUNT(*) FROM pg_locks",
}


def _one(url: str, sql: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute(sql).fetchone()  # type: ignore[arg-type]
    assert found is not None
    return found[0]


@pytest.fixture()
def shared(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A ledger as docs/deploy.md makes one: an owner that is not a superuser, organisations
    a (3 records) and b (5), a practitioner of each; the URL of each, and the superuser's."""
    tag = uuid.uuid4().hex[:8]
    admin = pg_cluster.new_database()
    owner = f"sw_owner_{tag}"
    dbname = admin.rsplit("dbname=", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")  # type: ignore[arg-type]
        conn.execute(f"ALTER DATABASE {dbname} OWNER TO {owner}")  # type: ignore[arg-type]
    urls = {"superuser": admin, "owner": admin.replace("user=sw_admin", f"user={owner}")}
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", urls["owner"])
    assert main(["db", "init", "--org", "a"]) == 0
    assert main(["db", "org", "add", "b"]) == 0
    for org, n in (("a", 3), ("b", 5)):
        login = f"{org}_prac_{tag}"
        assert main(["db", "member", "add", login, "--org", org, "--role", "practitioner"]) == 0
        urls[org] = admin.replace("user=sw_admin", f"user={login}")
        with Ledger(PostgresBackend(urls[org])) as ledger:
            fill(ledger, n)
    monkeypatch.delenv("SHAREWISE_DATABASE_URL")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("ANALYZE entries")
        conn.execute("SELECT pg_stat_force_next_flush()")
    return urls


def test_a_login_reads_only_its_organisations_statistics_once_hardened(
    shared: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a = shared["a"]
    # As PostgreSQL comes: a's practitioner reads the totals of both organisations.
    assert _one(a, TOTALS["the planner's row count"]) == 8
    assert _one(a, TOTALS["live rows"]) == 8
    assert _one(a, TOTALS["the table's size"]) > 0

    # Adding an organisation says so, and how to keep them to the owner.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHAREWISE_DATABASE_URL", shared["owner"])
        capsys.readouterr()
        assert main(["db", "org", "add", "c"]) == 0
        assert "sharewise db grants statistics | psql" in capsys.readouterr().err

    assert main(["db", "grants", "statistics"]) == 0
    with psycopg.connect(shared["superuser"], autocommit=True) as conn:
        conn.execute(capsys.readouterr().out.encode())
        conn.execute(statistics_sql().encode())  # and again: it can be run twice

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHAREWISE_DATABASE_URL", shared["owner"])
        assert main(["db", "org", "add", "d"]) == 0
        assert capsys.readouterr().err == ""

    for what, sql in TOTALS.items():
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _one(a, sql)
            pytest.fail(f"{what} is still readable by an organisation's login")
    # What it counts now is its own organisation's, and sharewise works as before.
    assert _one(a, "SELECT COUNT(*) FROM entries") == 3
    assert _one(a, "SELECT COUNT(*) FROM pg_class WHERE relname = 'entries'") == 1
    with Ledger(PostgresBackend(a)) as ledger:
        fill(ledger, 1)
        report = verify(ledger.backend)
        assert report.intact and report.count == 4, report.breaks
    # The owner (and monitoring, pg_read_all_stats) keep the totals.
    assert _one(shared["owner"], TOTALS["the planner's row count"]) == 8
    assert _one(shared["owner"], TOTALS["rows inserted, asked directly"]) >= 8
    assert _one(shared["owner"], TOTALS["the table's size"]) > 0
