"""Training attempts kept, read, listed and merged alike in files and on PostgreSQL.

With SHAREWISE_DATABASE_URL set, every machine in the room writes to the server; a file kept
offline is merged into it with each attempt counted once. Never in the ledger's tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.store.training import SessionFiles, TrainingStore, open_training
from tests.unit.test_training_session import SESSION, attempt, pilot_attempts


@pytest.fixture(scope="module")
def england() -> CompiledTree:
    from sharewise import paths

    return load_tree(paths.default_tree_path())


@pytest.fixture(params=["files", "postgres"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TrainingStore]:
    if request.param == "postgres":
        cluster = request.getfixturevalue("pg_cluster")
        monkeypatch.setenv("SHAREWISE_DATABASE_URL", cluster.new_database())  # type: ignore[attr-defined]
    else:
        monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    yield open_training(tmp_path / "data")


def test_add_read_list_and_merge(
    store: TrainingStore, england: CompiledTree, tmp_path: Path
) -> None:
    attempts = pilot_attempts(england)
    for a in attempts[:3]:
        store.add(a)
    store.add(attempts[0])  # the same attempt again (a retried save): kept once
    other = attempt(england, "court-order", "Dan Other", {}, minutes=1, session="Other")
    store.add(other)
    laptop = SessionFiles(tmp_path / "laptop")
    for a in attempts:
        laptop.add(a)
    merged = store.merge(laptop.files())
    assert (merged.added, merged.already, merged.problems) == (4, 3, [])
    assert merged.sessions == [SESSION]
    got = store.read(SESSION)
    assert sorted(a.id for a in got.attempts) == sorted(a.id for a in attempts)
    assert got.attempts == sorted(got.attempts, key=lambda a: (a.at, a.id))
    assert store.sessions() == {SESSION: 7, "Other": 1}


def test_the_report_reads_the_configured_store(
    store: TrainingStore, england: CompiledTree, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for a in pilot_attempts(england):
        store.add(a)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "train", "report", SESSION, "--format", "json"]) == 0
    assert '"trainees": [\n    "Ann Example",' in capsys.readouterr().out


def test_the_ledger_on_the_same_server_still_verifies(
    pg_cluster: object,
    england: CompiledTree,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The training table lives apart from the ledger's schema: `records verify` compares
    that schema with what sharewise creates, and must not take training for tampering."""
    url = pg_cluster.new_database()  # type: ignore[attr-defined]
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", url)
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "db", "init"]) == 0
    open_training(data).add(attempt(england, "court-order", "Ann", {}, minutes=1))
    capsys.readouterr()
    assert main(["--data-dir", data, "records", "verify"]) == 0, capsys.readouterr()
