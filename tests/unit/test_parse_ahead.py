"""`tree check` parses trees in a forked child (`parse_ahead`) while it imports pydantic:
the output is the same as parsing in one process, and anything amiss in the child means
parsing in the one process, never a different answer."""

from __future__ import annotations

import io
import marshal
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sharewise.domain import parse_ahead
from sharewise.domain.strict_yaml import load_yaml_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
TREES = ROOT / "tests" / "fixtures" / "trees"
ENGLAND = ROOT / "decision_trees" / "england.yaml"
# Good and bad trees in one run, so that the child's results are taken in order across
# documents it could not parse (handed back to the parent), files that cannot be read
# (never given to it) and trees that parse but fail a check.
MIXED = [
    ENGLAND,
    *sorted((TREES / "invalid").glob("*.yaml")),
    TREES / "does-not-exist.yaml",
    TREES / "example.yaml",
    *sorted((TREES / "invariants").glob("*.yaml"))[:4],
    TREES / "paired.yaml",
]


def _check(*args: str, ahead: bool, stdin: str | None = None) -> tuple[int, str, str]:
    env = {**os.environ, parse_ahead.ENV: "on" if ahead else "off"}
    done = subprocess.run(
        [sys.executable, "-m", "sharewise", "tree", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("json", [False, True], ids=["text", "json"])
def test_tree_check_says_the_same_parsed_ahead_or_not(json: bool) -> None:
    args = [*(str(p) for p in MIXED), *(["--json"] if json else [])]
    forked = _check(*args, ahead=True)
    alone = _check(*args, ahead=False)
    assert forked == alone
    code, out, err = forked
    assert code == 2  # some of them are invalid
    assert "Traceback" not in err
    if not json:
        assert f"{ENGLAND}: ok - " in out
        assert f"{TREES / 'does-not-exist.yaml'}: no such file" in err
        assert f"{TREES / 'invalid' / 'duplicate_key.yaml'}:" in err


def test_a_tree_on_standard_input_says_the_same() -> None:
    text = ENGLAND.read_text(encoding="utf-8")
    forked = _check("-", ahead=True, stdin=text)
    assert forked == _check("-", ahead=False, stdin=text)
    assert forked[0] == 0 and "ok - " in forked[1]


def _in_one_thread(script: str) -> str:
    """Run `script` in a fresh interpreter (one thread: the test runner's may have more)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_child_hands_back_the_same_data_and_places() -> None:
    files = (str(ENGLAND), str(TREES / "example.yaml"))
    out = _in_one_thread(
        f"""
        from pathlib import Path
        from sharewise.domain import parse_ahead
        from sharewise.domain.strict_yaml import load_yaml_bytes
        raws = [(Path(p).read_bytes(), p) for p in {files!r}]
        with parse_ahead.start(raws) as ahead:
            assert ahead.forked
            for i, (raw, name) in enumerate(raws):
                data, locator = ahead.take(i)
                here, where = load_yaml_bytes(raw, name)
                assert data == here
                assert locator.file == where.file
                assert locator.at(("questions",)) == where.at(("questions",))
                assert locator.marks == where.marks
        print("same")
        """
    )
    assert out.strip() == "same"


def test_a_document_with_a_problem_is_parsed_by_the_caller() -> None:
    out = _in_one_thread(
        """
        from sharewise.domain import parse_ahead
        raws = [(b"a: 1\\na: 2\\n", "dup.yaml"), (b"b: 2\\n", "ok.yaml")]
        with parse_ahead.start(raws) as ahead:
            assert ahead.forked
            print(ahead.take(0), ahead.take(1)[0])
        """
    )
    assert out.strip() == "None {'b': 2}"


def test_a_child_that_dies_means_parsing_here() -> None:
    out = _in_one_thread(
        f"""
        import os, signal
        from pathlib import Path
        from sharewise.domain import parse_ahead
        raw = Path({str(ENGLAND)!r}).read_bytes()
        ahead = parse_ahead.start([(raw, "a"), (raw, "b")])
        assert ahead.forked
        os.kill(ahead._pid, signal.{signal.SIGKILL.name})
        print(ahead.take(0), ahead.take(1))
        ahead.close()
        """
    )
    assert out.strip() == "None None"


def test_a_result_cut_short_or_garbled_means_parsing_here() -> None:
    whole = io.BytesIO()
    data = b"not a pickle"
    whole.write(parse_ahead._HEAD.pack(1, len(data), 0) + data)
    assert parse_ahead.ParseAhead(None, io.BytesIO(whole.getvalue())).take(0) is None
    cut = parse_ahead._HEAD.pack(1, 100, 100) + b"x" * 10
    ahead = parse_ahead.ParseAhead(None, io.BytesIO(cut))
    assert ahead.take(0) is None
    assert ahead.take(1) is None  # and every later one


def _result(root: object) -> bytes:
    import pickle

    data = pickle.dumps(("f.yaml", root))
    marks = marshal.dumps({(): (1, 1)})
    return parse_ahead._HEAD.pack(1, len(data), len(marks)) + data + marks


def test_a_source_not_asked_for_is_passed_over() -> None:
    ahead = parse_ahead.ParseAhead(None, io.BytesIO(_result({"a": 1}) + _result({"b": 2})))
    found = ahead.take(1)
    assert found is not None and found[0] == {"b": 2}


def test_asked_for_again_means_parsing_here() -> None:
    ahead = parse_ahead.ParseAhead(None, io.BytesIO(_result({"a": 1}) + _result({"b": 2})))
    assert ahead.take(0) is not None
    assert ahead.take(0) is None


def test_the_parse_is_taken_after_the_models_are_imported() -> None:
    """What the child's parse runs beside: taken any earlier, the check waits for it and
    then imports (as it did when the models' imports moved into the loader)."""
    out = _in_one_thread(
        f"""
        import sys
        from sharewise.domain import parse_ahead
        take = parse_ahead.ParseAhead.take
        def noting(self, index):
            print(self.forked, "pydantic" in sys.modules, "sharewise.domain.tree" in sys.modules)
            return take(self, index)
        parse_ahead.ParseAhead.take = noting
        from sharewise.cli import main
        main(["tree", "check", {str(ENGLAND)!r}])
        """
    )
    assert out.splitlines()[0] == "True True True"


def test_no_child_when_switched_off_or_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parse_ahead.ENV, "off")
    assert not parse_ahead.start([(b"a: 1\n", "a")]).forked
    monkeypatch.setenv(parse_ahead.ENV, "on")
    monkeypatch.setattr("threading.active_count", lambda: 2)
    assert not parse_ahead.start([(b"a: 1\n", "a")]).forked


def test_the_lazy_locator_reads_as_the_locator() -> None:

    raw = (TREES / "example.yaml").read_bytes()
    _, where = load_yaml_bytes(raw, "example.yaml")
    lazy = parse_ahead.LazyLocator("example.yaml", marshal.dumps(where.marks))
    assert lazy.marks == where.marks
    assert lazy.key_at(("questions", "nope")) == where.key_at(("questions", "nope"))
    assert lazy.within(("questions",)).marks == where.within(("questions",)).marks


_EXIT = """
import atexit, gc, sys
from sharewise.cli import main
atexit.register(lambda: print("torn down", gc.isenabled()))
{call}
print("returned", code, gc.isenabled())
"""


def _ending(call: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _EXIT.format(call=call)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [done.stdout.splitlines()[0].split(": ok")[0], *done.stdout.splitlines()[1:]]


def test_as_the_program_tree_check_ends_once_its_report_is_out() -> None:
    lines = _ending(f"sys.argv = ['sharewise', 'tree', 'check', {str(ENGLAND)!r}]; code = main()")
    assert lines == [str(ENGLAND)]  # the report, then no teardown: nothing returned


def test_called_in_process_tree_check_returns_with_the_collector_on() -> None:
    lines = _ending(f"code = main(['tree', 'check', {str(ENGLAND)!r}])")
    assert lines == [str(ENGLAND), "returned 0 True", "torn down True"]


def test_other_commands_end_as_before() -> None:
    lines = _ending(
        "sys.argv = ['sharewise', 'tree', 'show', '--format', 'overview']; code = main()"
    )
    assert lines[-2:] == ["returned 0 True", "torn down True"]


@pytest.mark.parametrize("redirect", [">&-", "2>&-", ">&- 2>&-"])
def test_ending_at_once_with_an_output_closed_is_no_traceback(redirect: str) -> None:
    done = subprocess.run(
        ["sh", "-c", f'exec "$0" -m sharewise tree check "$1" {redirect}', sys.executable, ENGLAND],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
