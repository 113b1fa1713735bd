"""Fixtures of the storage suite: a `harness` for every backend, sample results and details."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # spawned workers import `ledger_harness`

from ledger_harness import Harness, SQLiteHarness

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    """A fresh, empty ledger on each backend in turn."""
    if request.param == "sqlite":
        h: Harness = SQLiteHarness(tmp_path)
    else:
        from pg_harness import PostgresHarness

        cluster = request.getfixturevalue("pg_cluster")
        h = PostgresHarness(cluster)
    try:
        yield h
    finally:
        h.close()


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A throwaway PostgreSQL server for the session (skipped if no server is installed)."""
    from pg_harness import Cluster

    cluster = Cluster.start(tmp_path_factory.mktemp("pg"))
    try:
        yield cluster
    finally:
        cluster.stop()
