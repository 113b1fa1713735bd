"""With `--json`, every failure is one JSON object on stderr, so that a script reads a bad
file, an unknown record, a usage mistake and a damaged ledger the same way (issue 12).
Without `--json`, the message stays one line for a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sharewise.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def the_error(err: str, code: int) -> dict[str, object]:
    (line,) = err.splitlines()  # one object, on one line
    error = json.loads(line)["error"]
    assert error["exit_code"] == code
    return dict(error)


def test_a_bad_facts_file_names_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("identifiable: yes\nconcern: [\n", encoding="utf-8")
    code, out, err = run(capsys, "decide", "--facts", str(facts), "--json")
    assert code == 2 and out == ""
    error = the_error(err, 2)
    (problem,) = error["problems"]  # type: ignore[misc]
    assert problem["file"] == str(facts) and problem["line"] == 3 and problem["fix"]
    assert str(facts) in str(error["message"])


def test_an_unknown_record_and_a_usage_mistake(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "records", "show", "7", "--json")
    assert code == 2 and out == ""
    assert "no entry" in str(the_error(err, 2)["message"])
    code, out, err = run(capsys, "records", "list", "--json", "--since", "2026-01-01")
    assert code == 2 and out == ""
    assert "--since" in str(the_error(err, 2)["message"])


def test_a_damaged_ledger_is_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "ledger.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "records", "list", "--json")
    assert code == 3 and out == ""
    assert the_error(err, 3)["problems"] == []


def test_hostile_text_stays_inert_and_lossless(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    name = tmp_path / "a\x1b]0;owned\x07\u202e.yaml"
    code, _, err = run(capsys, "decide", "--facts", str(name), "--json")
    assert code == 2
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    assert str(name) in str(the_error(err, 2)["message"])  # the JSON value is exact


def test_without_json_a_person_reads_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "records", "show", "7")
    assert code == 2 and err.startswith("sharewise: 7: no entry")
    code, _, err = run(capsys, "records", "list", "--since", "x")
    assert code == 2 and err.startswith("usage:")
