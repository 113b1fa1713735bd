"""Every command, with random arguments, random files and random standard input, ends with a
message and an exit status: never a traceback, never a hang (issue 14, point 9).

Each invocation runs in a forked copy of this process (the package already imported, so an
example costs milliseconds, not an interpreter's start), with a memory ceiling and an alarm:
a reader that trusts a file's size, or one that waits for ever, is a failure that names the
command line, instead of a test worker that fills the memory or never returns.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "tests" / "fixtures" / "facts-contract.yaml"
DETAILS = ROOT / "tests" / "fixtures" / "record-details.yaml"

#: Left out: `serve` listens until stopped, and `tree build` runs the Python rules it is
#: pointed at (a tree author's own code). `walk` and `train` are given --plain: without it
#: they open the full-screen UI.
SKIP = {("serve",), ("tree", "build")}
PLAIN = {("walk",), ("train",)}
#: Seconds an invocation may take; far beyond any command on these small inputs.
ALARM = 60
MEMORY = 2 * 1024**3


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple]:  # type: ignore[type-arg]
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if path and (not subs or parser.get_default("handler") is not None) and path not in SKIP:
        yield path, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from _leaves(child, (*path, name))


COMMANDS = list(_leaves(build_parser()))


def _files(folder: Path) -> list[str]:
    made = {
        "empty.yaml": b"",
        "garbage.bin": bytes(range(256)) * 4,
        "tagged.yaml": b"facts:\n  a: [1, {b: !!python/object:os.system x}]\n  a: 2\n",
        "huge-number.json": b'{"format": "sharewise-checkpoint/2", "size": 1e400}',
        "deep.json": b"[" * 50_000,
        "deep.jsonl": b'{"a":' * 20_000 + b"\n",
        "latin1.yaml": "caf\xe9: oui\n".encode("latin-1"),
        "escape\x1b]0;x\x07.yaml": b"x: 1\n",
        "anchors.yaml": b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]\n",
    }
    # Valid inputs too, as copies: a command given one as its --out may write over it (a
    # checkpoint was once written over the repository's own details fixture mid-run, and
    # every later test that read it failed).
    made["facts.yaml"] = FACTS.read_bytes()
    made["details.yaml"] = DETAILS.read_bytes()
    for name, content in made.items():
        (folder / name).write_bytes(content)
    (folder / "a-folder").mkdir()
    return [
        *(str(folder / n) for n in made),
        str(folder / "a-folder"),
        str(folder / "missing" / "x.yaml"),
        "-",
        "/dev/null",
        "/dev/zero",
    ]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _files(tmp_path_factory.mktemp("inputs"))


@st.composite
def invocation(draw: st.DrawFn, files: list[str]) -> list[str]:
    path, parser = draw(st.sampled_from(COMMANDS))
    argv = list(path) + (["--plain"] if path in PLAIN else [])
    values = st.one_of(
        st.sampled_from(files),
        st.text(max_size=12),
        st.sampled_from(["0", "-1", "9" * 25, "\u0663", "0001-01-01", "2026-02-30", "1e400"]),
        st.dates().map(str),
    )
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        if action.dest in ("data_dir", "plain", "handler"):
            continue
        if isinstance(action, argparse._SubParsersAction):
            continue
        if not (action.required or not action.option_strings or draw(st.booleans())):
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


def run_forked(argv: list[str], stdin: bytes, folder: Path) -> tuple[int | str, str]:
    """(exit code, or how the process died; what it wrote to stderr)."""
    (folder / "stdin").write_bytes(stdin)
    err_path = folder / "stderr"
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.chdir(folder)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(ALARM)
            for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY),
                                   (2, "stderr", os.O_WRONLY)):  # fmt: skip
                opened = os.open(folder / name, mode | (os.O_CREAT if fd else 0), 0o600)
                os.dup2(opened, fd)
            sys.stdin = open(0, encoding="utf-8", errors="strict", closefd=False)  # noqa: SIM115
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            os.environ.pop("SHAREWISE_DATABASE_URL", None)
            from sharewise.cli import main

            try:
                code = main([*argv, "--data-dir", str(folder / "data")])
            except SystemExit as exit_:  # argparse refusing an argument: exit 2
                code = exit_.code if isinstance(exit_.code, int) else 2
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # what the test is looking for: shown, then a code of its own
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
            code = 99
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    err = err_path.read_text(encoding="utf-8", errors="replace") if err_path.exists() else ""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return ("hung" if sig == signal.SIGALRM else f"killed by signal {sig}"), err
    return os.WEXITSTATUS(status), err


@settings(
    max_examples=int(os.environ.get("SHAREWISE_CLI_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), stdin=st.binary(max_size=300))
def test_no_command_ever_shows_a_traceback_or_hangs(
    data: st.DataObject, stdin: bytes, files: list[str]
) -> None:
    argv = data.draw(invocation(files))
    with tempfile.TemporaryDirectory() as folder:
        code, err = run_forked(argv, stdin, Path(folder))
    assert code in (0, 1, 2, 3), f"sharewise {argv!r} -> {code}\n{err}"
    assert "Traceback" not in err, f"sharewise {argv!r}\n{err}"


def test_the_commands_are_all_there() -> None:
    """The property test covers the commands that exist, not a list that drifts from them."""
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"decide", "records verify", "audit report", "train report", "walk"} <= names
    assert "serve" not in names and len(names) >= 25
