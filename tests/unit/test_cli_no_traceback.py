"""Bad input gets a message, never a traceback (issue 14, point 9).

First the inputs found to crash: an endless device or a pipe as an input file, a batch line
nested 100,000 deep or not UTF-8 or with a key twice, record ids of 25 digits or other
scripts' digits, the first day there is as a purge date, an unreadable lock timeout. Then a
property test: every command, with random arguments and random files, ends with an exit
status and never an exception.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise.cli import build_parser, main

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


# -- every command, random arguments and files --------------------------------------------


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


#: Commands left out: `serve` listens until stopped, `tree build` writes the shipped tree's
#: files, and `walk` without --plain opens the full-screen UI (it is given --plain).
SKIP = {("serve",), ("tree", "build")}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        if path not in SKIP:
            yield path, parser
        return
    for name, sub in subs[0].choices.items():
        yield from _leaves(sub, (*path, name))


COMMANDS = list(_leaves(build_parser()))


@st.composite
def _invocation(draw: st.DrawFn, files: list[str]) -> list[str]:
    path, parser = draw(st.sampled_from(COMMANDS))
    argv = list(path) + (["--plain"] if path == ("walk",) else [])
    values = st.one_of(
        st.sampled_from(files),
        st.text(max_size=12),
        st.integers(-(10**30), 10**30).map(str),
        st.dates().map(str),
    )
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        if action.dest in ("data_dir", "plain"):
            continue
        wanted = action.required or not action.option_strings or draw(st.booleans())
        if not wanted:
            continue
        if action.option_strings:
            argv.append(draw(st.sampled_from(action.option_strings)))
        if action.nargs == 0:
            continue
        if action.choices is not None and draw(st.booleans()):
            argv.append(str(draw(st.sampled_from(list(action.choices)))))
        else:
            argv.append(draw(values))
        if action.nargs in ("+", "*") and draw(st.booleans()):
            argv.append(draw(values))
    return argv


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    made = {
        "empty.yaml": b"",
        "garbage.bin": bytes(range(256)) * 4,
        "yaml.yaml": b"facts:\n  a: [1, {b: !!python/object:os.system x}]\n  a: 2\n",
        "json.json": b'{"format": "sharewise-checkpoint/2", "size": 1e400}',
        "deep.json": b"[" * 50_000,
        "latin1.yaml": "caf\xe9: oui\n".encode("latin-1"),
        "escape\x1b]0;x\x07.yaml": b"x: 1\n",
    }
    for name, content in made.items():
        (folder / name).write_bytes(content)
    (folder / "a-folder").mkdir()
    return [*(str(folder / n) for n in made), str(folder / "a-folder"), str(folder / "missing"),
            "-", "/dev/null", str(FACTS)]  # fmt: skip


@settings(
    max_examples=int(os.environ.get("SHAREWISE_CLI_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), stdin=st.binary(max_size=300))
def test_no_command_ever_shows_a_traceback(
    data: st.DataObject,
    stdin: bytes,
    files: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = data.draw(_invocation(files))
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdin", fake)
    with _memory_cap():
        try:
            code = main([*argv, "--data-dir", str(tmp_path / "data")])
        except SystemExit as exit_:  # argparse refusing an argument: its message, exit 2
            code = exit_.code
    capsys.readouterr()
    assert code in (0, 1, 2, 3), (argv, code)
