"""The ledger owned by an ordinary role (CREATEROLE, not a superuser), as docs/deploy.md sets
it up: row-level security is forced on the owner too, so the insert trigger (which runs as
the owner) must point the policies at each entry's organisation, and the owner reads one
organisation at a time like everyone else."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from ledger_harness import fill
from pg_harness import Cluster
from schema_v3_backend import PostgresBackend as SchemaV3Backend

from sharewise.cli import main
from sharewise.store.ledger import Ledger
from sharewise.store.postgres import PostgresBackend
from sharewise.store.verify import verify


@pytest.fixture()
def owned(pg_cluster: Cluster) -> Iterator[dict[str, Any]]:
    tag = uuid.uuid4().hex[:8]
    owner, db = f"owner_{tag}", f"owned_{tag}"
    with psycopg.connect(pg_cluster.admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")  # type: ignore[arg-type]
        conn.execute(f"CREATE DATABASE {db} OWNER {owner}")  # type: ignore[arg-type]
    base = f"host={pg_cluster.folder} port=5432 dbname={db}"
    yield {"tag": tag, "url": lambda who: f"{base} user={who}", "owner": owner}


def test_a_non_superuser_owner_sets_up_three_organisations_that_stay_apart(
    owned: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, tag = owned["url"], owned["tag"]
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", url(owned["owner"]))
    assert main(["db", "init", "--org", "council"]) == 0
    for org in ("school", "trust"):
        assert main(["db", "org", "add", org]) == 0
    staff = {org: f"p_{org}_{tag}" for org in ("council", "school", "trust")}
    for org, login in staff.items():
        assert main(["db", "member", "add", login, "--org", org, "--role", "practitioner"]) == 0
    capsys.readouterr()
    sizes = {"council": 2, "school": 3, "trust": 1}
    for org, login in staff.items():
        with Ledger(PostgresBackend(url(login), create=False)) as ledger:
            fill(ledger, sizes[org])
    # The owner acts for the first organisation, and reads each one it names.
    with Ledger(PostgresBackend(url(owned["owner"]), create=False)) as ledger:
        assert ledger.backend.org == "council"  # type: ignore[attr-defined]
        fill(ledger, 1)
        assert ledger.get("3").recorded_by == owned["owner"]
    for org, n in sizes.items():
        with Ledger(PostgresBackend(url(owned["owner"]), create=False, org=org)) as ledger:
            report = verify(ledger.backend)
            assert report.intact, report.breaks
            assert report.count == n + (org == "council")
        with Ledger(PostgresBackend(url(staff[org]), create=False)) as ledger:
            assert {e.recorded_by for e in ledger.entries()} <= {staff[org], owned["owner"]}
            assert verify(ledger.backend).intact
    assert main(["db", "org", "list", "--json"]) == 0
    listed = {o["org"]: o["entries"] for o in json.loads(capsys.readouterr().out)}
    assert listed == {"council": 3, "school": 3, "trust": 1}


def test_a_non_superuser_owner_upgrades_a_schema_3_ledger(
    owned: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = owned["url"](owned["owner"])
    with Ledger(SchemaV3Backend(url)) as ledger:
        fill(ledger, 4)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", url)
    assert main(["db", "init", "--org", "council"]) == 0
    assert "its 4 entries are organisation council's chain, verified intact before and after" in (
        capsys.readouterr().out
    )
    with Ledger(PostgresBackend(url, create=False)) as ledger:
        fill(ledger, 1)
        report = verify(ledger.backend)
    assert report.intact and report.count == 5
