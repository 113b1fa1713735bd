"""verify looks beneath the chain: the database's own integrity and its schema.

A chain that verifies says nothing about an index that no longer finds entries, triggers
that were dropped, or a hidden table filled by a trigger with a copy of every personal row
(which a purge never reaches). Each is set up here as someone with the database would, on
both backends, and `records verify` must say so and exit 1.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from ledger_harness import Harness, fill

from sharewise.cli import main
from sharewise.store.verify import verify


def _problems(harness: Harness) -> list[str]:
    with harness.open() as ledger:
        report = verify(ledger.backend)
    return [b.render() for b in report.breaks]


def _cli_verify(harness: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    kind, where = harness.spec()
    if kind == "postgres":
        monkeypatch.setenv("SHAREWISE_DATABASE_URL", where)
        return main(["records", "verify"])
    return main(["records", "verify", "--data-dir", str(Path(where).parent.parent)])


def test_a_ledger_as_written_has_no_database_problems(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 3)
        assert ledger.backend.database_problems() == []
        assert verify(ledger.backend).intact


def test_dropped_triggers_are_found(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every guard dropped, nothing else touched: the chain alone verified this as intact."""
    with harness.open() as ledger:
        fill(ledger, 2)
    harness.drop_guards()
    problems = _problems(harness)
    assert any("trigger entries_no_update" in p or "trigger entries_append_only" in p
               for p in problems), problems  # fmt: skip
    assert all("missing (dropped)" in p or "constraint" in p for p in problems), problems
    assert _cli_verify(harness, monkeypatch, tmp_path) == 1


_SHADOW = {
    "sqlite": [
        "CREATE TABLE shadow (seq INTEGER, data BLOB)",
        "CREATE TRIGGER personal_copy AFTER INSERT ON personal"
        " BEGIN INSERT INTO shadow VALUES (NEW.seq, NEW.data); END",
    ],
    "postgres": [
        "CREATE TABLE shadow (seq bigint, data bytea)",
        "CREATE FUNCTION shadow_copy() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN INSERT INTO shadow VALUES (NEW.seq, NEW.data); RETURN NEW; END $$",
        "CREATE TRIGGER personal_copy AFTER INSERT ON personal"
        " FOR EACH ROW EXECUTE FUNCTION shadow_copy()",
    ],
}


def test_a_hidden_copy_of_every_personal_row_is_found(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with harness.open() as ledger:
        fill(ledger, 1)
    for statement in _SHADOW[harness.name]:
        harness.sql(statement)
    with harness.open() as ledger:
        fill(ledger, 2)  # the copy works: the practitioner sees nothing
    assert len(harness.sql("SELECT * FROM shadow")) == 2
    problems = _problems(harness)
    assert "ledger: a table shadow was added: not what sharewise wrote" in problems
    assert any("trigger personal_copy" in p and "added" in p for p in problems), problems
    assert _cli_verify(harness, monkeypatch, tmp_path) == 1


def test_an_added_index_or_a_changed_trigger_is_found(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 1)
    harness.sql("CREATE INDEX entries_kind ON entries (kind)")
    if harness.name == "postgres":
        harness.sql("ALTER TABLE entries DISABLE TRIGGER entries_append_only")
        changed = "the trigger entries_append_only was disabled or changed"
    else:
        harness.sql("DROP TRIGGER meta_no_update")
        harness.sql("CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta BEGIN SELECT 1; END")
        changed = "the trigger meta_no_update was changed"
    problems = _problems(harness)
    assert any("index entries_kind" in p and "added" in p for p in problems), problems
    assert any(changed in p for p in problems), problems


def test_a_newer_or_unlabelled_ledger_is_a_finding_not_an_outage(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A monitor alerting on exit 1 must hear of a ledger it cannot vouch for; exit 3 means
    "could not open it" and reads as an outage."""
    with harness.open() as ledger:
        fill(ledger, 1)
    if harness.name == "postgres":
        harness.sql("INSERT INTO meta (key, value) VALUES ('schema_version_99', 'x')")
    else:
        harness.sql("PRAGMA user_version = 99")
    assert _cli_verify(harness, monkeypatch, tmp_path) == 1
    assert "newer sharewise" in capsys.readouterr().out


def test_metadata_gone_is_a_finding(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with harness.open() as ledger:
        fill(ledger, 1)
    harness.drop_guards()
    harness.sql("DELETE FROM meta")
    assert _cli_verify(harness, monkeypatch, tmp_path) == 1
    out = capsys.readouterr().out
    assert "ledger id" in out or "metadata" in out


def _flip_in_index(path: Path, index: str) -> None:
    """Flip one byte inside `index`'s root page, in the file itself (as a failing disk or a
    hand with a hex editor would), near the page's end where its cells are."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
        ).fetchone()
    conn.close()
    offset = (root - 1) * page_size + page_size - 40
    with open(path, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))
        handle.flush()
        os.fsync(handle.fileno())


def test_a_corrupted_index_is_found_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real flipped byte in the index on `created`: the chain, read in table order,
    still verifies, and date filters silently miss entries. SQLite's integrity check sees
    it, so verify exits 1."""
    from sharewise.store import ledger_path, open_ledger

    data = tmp_path / "data"
    with open_ledger(str(data)) as ledger:
        fill(ledger, 40)
    _flip_in_index(ledger_path(str(data)), "entries_created")
    assert main(["records", "verify", "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out
    assert "SQLite's integrity check" in out and "entries_created" in out


def test_every_postgres_migration_has_its_ddl() -> None:
    """The expected schema is read from `DDL`: a migration without its script there would
    make verify call the new objects added by someone else."""
    from sharewise.store import postgres

    assert postgres.DDL.keys() == postgres.MIGRATIONS.keys()
    assert max(postgres.DDL) == postgres.SCHEMA_VERSION
