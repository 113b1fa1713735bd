"""One private-file writer for every output: exports, checkpoints and keys.

Each test plants what an attacker (or an accident) could leave at the place a command
writes: a symbolic link, a FIFO, a folder, a file at the temporary name, an existing key;
or runs under umask 000, or fails half way. Nothing is followed, replaced, left behind
empty, or readable by others.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sharewise.cli import main


@pytest.fixture()
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _records(tmp_path: Path) -> list[str]:
    """A data folder with one ledger (empty), and the argv prefix that uses it."""
    from sharewise.store import open_ledger

    data = tmp_path / "data"
    open_ledger(str(data)).close()
    return ["--data-dir", str(data)]


def test_an_export_never_follows_a_link_planted_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "export.json"
    out.symlink_to(victim)
    assert main(["records", "export", "--format", "json", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err
    assert victim.read_text() == "precious\n" and out.is_symlink()


def test_an_export_never_opens_through_a_link_at_the_temporary_name(tmp_path: Path) -> None:
    """The temporary file's name used to be predictable (`.NAME.partial`) and was opened
    without O_EXCL|O_NOFOLLOW: a link planted there was written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "export.csv"
    (tmp_path / ".export.csv.partial").symlink_to(victim)
    assert main(["records", "export", "--format", "csv", "--out", str(out)]) == 0
    assert victim.read_text() == "precious\n"
    assert out.is_file() and not out.is_symlink() and "seq,id,kind" in out.read_text()


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_an_export_refuses_what_is_not_a_regular_file(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.mkdir()
    assert main(["records", "export", "--format", "md", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert ("not a regular file" if kind == "fifo" else "it is a folder") in err
    assert stat.S_ISFIFO(os.lstat(out).st_mode) if kind == "fifo" else out.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_checkpoint_and_keys_are_0600_under_umask_000(tmp_path: Path, umask_000: None) -> None:
    argv = _records(tmp_path)
    key, point = tmp_path / "ig.key", tmp_path / "head.json"
    assert main(["records", "keygen", "--out", str(key)]) == 0
    assert main(["records", "checkpoint", *argv, "--out", str(point), "--sign-key", str(key)]) == 0
    for path in (key, Path(f"{key}.pub"), point):
        assert _mode(path) == 0o600, path
    # Replacing a checkpoint keeps it private too (the old file's mode is not inherited).
    point.chmod(0o644)
    assert main(["records", "checkpoint", *argv, "--out", str(point)]) == 0
    assert _mode(point) == 0o600


def test_keygen_never_overwrites_a_public_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`keygen` used to refuse an existing private key but replace its `.pub` silently."""
    key = tmp_path / "ig.key"
    public = Path(f"{key}.pub")
    public.write_text("the key on record\n")
    assert main(["records", "keygen", "--out", str(key)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert public.read_text() == "the key on record\n"
    assert not key.exists()  # nothing half-made
    (tmp_path / "link.key").symlink_to(tmp_path / "elsewhere.key")
    assert main(["records", "keygen", "--out", str(tmp_path / "link.key")]) == 2
    assert not (tmp_path / "elsewhere.key").exists()


@pytest.mark.parametrize("where", ["missing/folder/out.json", "."])
def test_checkpoint_into_a_missing_folder_or_a_folder_is_a_message(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _records(tmp_path)
    target = tmp_path / where
    assert main(["records", "checkpoint", *argv, "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "cannot write here" in err and "Traceback" not in err
    assert main(["records", "keygen", "--out", str(target)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_full_disk_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills while the file is written: exit 2, the old file as it was, and no
    empty or partial file anywhere (keys and checkpoints left 0-byte files before)."""
    argv = _records(tmp_path)
    point = tmp_path / "head.json"
    point.write_text("the checkpoint before\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["records", "checkpoint", *argv, "--out", str(point)]) == 2
    assert main(["records", "keygen", "--out", str(tmp_path / "new.key")]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert point.read_text() == "the checkpoint before\n"


def test_the_writer_itself(tmp_path: Path, umask_000: None) -> None:
    from sharewise.private_files import UnsafeTarget, private_file, write_private_bytes

    path = tmp_path / "a.txt"
    with private_file(path, make_folder=False) as handle:
        handle.write("é\n")
        assert not path.exists()  # it appears only complete
    assert path.read_bytes() == "é\n".encode() and _mode(path) == 0o600
    with pytest.raises(UnsafeTarget):
        write_private_bytes(path, b"x", replace=False)
    assert path.read_bytes() == "é\n".encode()
    with pytest.raises(RuntimeError), private_file(path, make_folder=False) as handle:
        handle.write("half")
        raise RuntimeError
    assert path.read_bytes() == "é\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
