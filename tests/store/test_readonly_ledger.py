"""Read-only ledgers: an auditor's copy can be listed and verified, and reading never
writes, upgrades or chmods the file (only ever tightening its mode, never adding a bit)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from ledger_harness import fill

from sharewise.cli import main
from sharewise.store import ledger_path, open_ledger

READING = [
    ["records", "list"],
    ["records", "list", "--json"],
    ["records", "verify"],
    ["records", "export", "--format", "csv"],
    ["records", "due"],
    ["records", "show", "1"],
    ["records", "purge", "--before", "2001-01-01"],  # the dry run
]


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with open_ledger(str(folder)) as ledger:
        fill(ledger, 3)
    return folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("argv", READING, ids=" ".join)
def test_a_read_only_ledger_stays_read_only(
    data: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger file made 0444 on purpose was chmodded back to 0600 by any command."""
    path = ledger_path(str(data))
    path.chmod(0o444)
    assert main([*argv, "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert _mode(path) == 0o444


def test_reading_commands_open_the_database_read_only(data: Path) -> None:
    """Opened for reading, the database itself refuses a write (SQLite mode=ro), so a copy
    on a read-only folder or medium can be read: nothing is ever written to it."""
    with open_ledger(str(data), readonly=True) as ledger:
        conn = ledger.backend.connection  # type: ignore[attr-defined]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        assert ledger.count() == 3


def test_a_copy_on_a_read_only_medium_is_verified_without_its_shm(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file alone (no -wal, no -shm), in a folder nobody may write: read as immutable."""
    source = ledger_path(str(data))
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    copy = tmp_path / "copy" / "ledger" / source.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(source.read_bytes())
    copy.chmod(0o444)
    copy.parent.chmod(0o555)
    # As root the folder's mode does not stop SQLite making its -shm: make that fail as it
    # does for anyone else on a read-only medium.
    real = sqlite3.connect

    def no_shm(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if "immutable=1" not in str(database) and str(copy) in str(database):
            refused = sqlite3.OperationalError("unable to open database file")
            refused.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN  # type: ignore[attr-defined]
            raise refused
        return real(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", no_shm)
    try:
        assert main(["records", "verify", "--data-dir", str(copy.parent.parent)]) == 0
        assert "3 entries, chain intact" in capsys.readouterr().out
        assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    finally:
        copy.parent.chmod(0o755)


def test_modes_are_only_ever_tightened(data: Path) -> None:
    path = ledger_path(str(data))
    path.chmod(0o640)
    with open_ledger(str(data)) as ledger:
        fill(ledger, 1)
    assert _mode(path) == 0o600  # group read taken away
    path.chmod(0o400)
    os.utime(path)
    with open_ledger(str(data)):
        pass
    assert _mode(path) == 0o400  # owner write never added back
