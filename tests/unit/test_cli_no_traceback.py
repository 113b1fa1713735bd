"""Bad input gets a message, never a traceback (issue 14, point 9).

First the inputs found to crash: an endless device or a pipe as an input file, a batch line
nested 100,000 deep or not UTF-8 or with a key twice, record ids of 25 digits or other
scripts' digits, the first day there is as a purge date, an unreadable lock timeout. Then a
property test over every command is not part of this file yet (a first version found the
walk --plain crash below, then hung on an input not yet identified).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "tests" / "fixtures" / "facts-contract.yaml"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _fed_pipe(size: int) -> tuple[str, threading.Thread]:
    """A pipe (what `<(...)` gives a program) carrying `size` bytes, as a path."""
    read, write = os.pipe()

    def feed() -> None:
        with contextlib.suppress(OSError), os.fdopen(write, "wb") as out:
            out.write(b"a" * size)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return f"/dev/fd/{read}", thread


@pytest.mark.parametrize(
    "argv",
    [
        ["decide", "--facts", "{}"],
        ["tree", "check", "{}"],
        ["records", "verify", "--checkpoint", "{}"],
        ["records", "checkpoint", "--out", "-", "--sign-key", "{}"],
        ["decide", "--batch", "{}"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
@pytest.mark.parametrize("source", ["/dev/zero", "pipe"])
def test_an_endless_or_unsized_input_is_refused_by_size(
    argv: list[str], source: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The size limit trusted st_size: /dev/zero is "0 bytes" and endless, and a pipe has
    no size at all. Read in bounded pieces, both are a message (exit 2)."""
    thread = None
    if source == "pipe":
        source, thread = _fed_pipe(3 * 1024 * 1024)
    argv = [a.replace("{}", source) for a in argv]
    with _memory_cap():
        code = main([*argv, "--data-dir", str(data)])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert any(w in err for w in ("limit", "large", "longer", "not an unencrypted")), err
    if thread is not None:
        os.close(int(source.rsplit("/", 1)[1]))
        thread.join(5)


def _batch(data: Path, lines: list[bytes], capsys: pytest.CaptureFixture[str]) -> list[dict]:
    path = data.parent / "batch.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["decide", "--batch", str(path)]) == 2
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_bad_batch_line_is_reported_and_the_rest_decided(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    scenario = sorted((ROOT / "decision_trees" / "scenarios").glob("*.yaml"))[0]
    good = json.dumps(yaml.safe_load(scenario.read_text())["facts"]).encode()
    deep = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    lines = [good, deep, b'{"concern": "\xff\xfe"}', b'{"a": 1, "a": 2}', good]
    results = _batch(data, lines, capsys)
    assert len(results) == 5
    assert "decision" in results[0] and results[0] == results[4]  # decided, before and after
    assert results[1] == {"line": 2, "error": "not a JSON object: nested too deeply"}
    assert results[2] == {"line": 3, "error": "not UTF-8 text"}
    assert results[3]["line"] == 4 and "appears twice" in results[3]["error"]


@pytest.mark.parametrize("entry", ["1234567890123456789012345", "²", "١٢", "-1", "1e3"])
def test_records_show_with_any_id_is_a_message(
    entry: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.store import open_ledger

    open_ledger(str(data)).close()
    assert main(["records", "show", entry, "--data-dir", str(data)]) == 2
    assert "no entry with this id" in capsys.readouterr().err


def test_purge_before_the_first_day_there_is(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.store import open_ledger

    open_ledger(str(data)).close()
    assert main(["records", "purge", "--before", "0001-01-01", "--data-dir", str(data)]) == 0
    assert "dry run: 0 entries" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "1e9"])
def test_an_unreadable_lock_timeout_is_an_error_not_ignored(
    value: str, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHAREWISE_LOCK_TIMEOUT", value)
    assert main(["records", "list", "--data-dir", str(data)]) == 2
    assert "SHAREWISE_LOCK_TIMEOUT" in capsys.readouterr().err


@contextlib.contextmanager
def _memory_cap() -> Iterator[None]:
    """A ceiling on this process's memory while a hostile input is read: a reader that
    trusts a size and reads an endless device fails here (MemoryError) instead of taking
    the shared machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("command", [["walk", "--plain", "--no-record"], ["train", "--plain"]])
def test_a_stray_byte_in_a_strict_locale_is_asked_again_not_for_ever(
    command: list[str], tmp_path: Path
) -> None:
    """Found by the every-command property test: in a locale whose standard input decodes
    strictly (en_GB.UTF-8, say), a byte that is not UTF-8 made every later read fail again,
    so the plain walk asked the same question for ever."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    env.pop("SHAREWISE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "sharewise", "--data-dir", str(tmp_path), *command],
        input=b"\xd1",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode in (1, 2), done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.count(b"Please type a number") == 1  # asked again once, then input ended
