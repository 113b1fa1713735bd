"""The command line's conventions for scripts: `-` is standard input or output (never a file
named `-`), results on stdout and messages on stderr, `--data-dir` after the command too."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
FACTS = 'immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n'


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder; the working folder is an empty one of its own, so that a file
    literally named `-` would show."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path / "data"


def sw(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _record(capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, data: Path) -> dict:
    """Decide from standard input and record from a details file; the record's reference."""
    code, out, err = sw(
        capsys,
        mp,
        *("--data-dir", str(data), "decide", "--facts", "-", "--tree", str(TREE)),
        *("--record", str(DETAILS_FILE), "--json"),
        stdin=FACTS,
    )
    assert code == 0, err
    ref: dict = json.loads(out)["record"]
    return ref


def _no_dash_file() -> None:
    assert not Path("-").exists(), "a file literally named '-' was written"


def test_decide_facts_from_stdin_matches_the_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS)
    common = ("decide", "--tree", str(TREE), "--json")
    code, from_file, _ = sw(capsys, monkeypatch, *common, "--facts", str(facts))
    assert code == 0
    code, from_stdin, _ = sw(capsys, monkeypatch, *common, "--facts", "-", stdin=FACTS)
    assert code == 0 and json.loads(from_stdin) == json.loads(from_file)
    assert json.loads(from_stdin)["decision"] == "share"


def test_bad_facts_on_stdin_are_located_at_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("decide", "--facts", "-", "--tree", str(TREE)),
        stdin='immediate_danger: "no"\nidentifiable: maybe\n',
    )
    assert code == 2 and out == ""
    assert err.startswith("sharewise: <stdin>:2:15: identifiable: 'maybe' is not a value")


def test_two_arguments_cannot_both_read_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "decide", "--facts", "-", "--record", "-"),
        stdin=FACTS,
    )
    assert code == 2 and out == ""
    assert "--facts and --record cannot both read standard input" in err
    assert not data.exists()  # nothing was recorded


def test_tree_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS)
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("decide", "--facts", str(facts), "--tree", "-", "--json"),
        stdin=TREE.read_text(),
    )
    assert code == 0, err
    assert json.loads(out)["decision"] == "share"


def test_record_details_from_stdin_then_export_to_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    facts = data.parent / "facts.yaml"
    facts.write_text(FACTS)
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "decide", "--facts", str(facts), "--tree", str(TREE)),
        *("--record", "-", "--json"),
        stdin=DETAILS_FILE.read_text(),
    )
    assert code == 0, err
    ref = json.loads(out)["record"]
    code, out, err = sw(
        capsys, monkeypatch, "--data-dir", str(data), "records", "export", "--format", "json"
    )
    to_stdout_by_default = out
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "export", "--format", "json", "--out", "-"),
    )
    assert code == 0 and err == ""  # no "exported ... to -" message
    assert out == to_stdout_by_default
    exported = json.loads(out)
    assert [e["id"] for e in exported] == [ref["id"]]
    assert exported[0]["details"]["case_ref"] == "CS-2026-00417"
    _no_dash_file()


def test_csv_export_to_stdout_keeps_csv_line_ends(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    _record(capsys, monkeypatch, data)
    out_file = data.parent / "records.csv"
    argv = ("--data-dir", str(data), "records", "export", "--format", "csv")
    code, _, err = sw(capsys, monkeypatch, *argv, "--out", str(out_file))
    assert code == 0 and "exported 1 entry to" in err
    code, out, _ = sw(capsys, monkeypatch, *argv, "--out", "-")
    assert code == 0
    assert out.encode() == out_file.read_bytes()
    _no_dash_file()


def test_checkpoint_to_stdout_then_verify_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    ref = _record(capsys, monkeypatch, data)
    code, out, err = sw(
        capsys, monkeypatch, "--data-dir", str(data), "records", "checkpoint", "--out", "-"
    )
    assert code == 0 and err == ""
    point = json.loads(out)
    assert point["size"] == ref["seq"] and point["head"] == ref["hash"]
    _no_dash_file()
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "verify", "--checkpoint", "-", "--json"),
        stdin=json.dumps(point),
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["intact"] is True and report["checkpoint_checked"] is True


def test_a_checkpoint_from_stdin_that_is_not_one_is_named_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    _record(capsys, monkeypatch, data)
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "verify", "--checkpoint", "-"),
        stdin="not json",
    )
    assert code == 2 and out == ""
    assert err.startswith("sharewise: <stdin>: not a readable checkpoint file")


def test_checkpoint_to_a_file_says_so_on_stderr_and_json_on_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    _record(capsys, monkeypatch, data)
    target = data.parent / "cp.json"
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "checkpoint", "--out", str(target), "--json"),
    )
    assert code == 0 and f"written to {target}" in err
    assert json.loads(out) == json.loads(target.read_text())
    assert target.stat().st_mode & 0o777 == 0o600


def test_writing_into_a_missing_folder_is_bad_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    _record(capsys, monkeypatch, data)
    target = data.parent / "no-such-folder" / "cp.json"
    code, out, err = sw(
        capsys, monkeypatch, "--data-dir", str(data), "records", "checkpoint", "--out", str(target)
    )
    assert code == 2 and out == ""
    assert err.startswith(f"sharewise: {target}: cannot write here")
    assert "Traceback" not in err


def test_amend_details_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    ref = _record(capsys, monkeypatch, data)
    corrected = DETAILS_FILE.read_text().replace("Secure email", "Encrypted email")
    code, out, err = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "amend", ref["id"], "--record", "-", "--json"),
        stdin=corrected,
    )
    assert code == 0, err
    entry = json.loads(out)
    assert entry["kind"] == "amendment" and entry["target"] == ref["id"]
    assert entry["details"]["method"].startswith("Encrypted email")


def test_data_dir_after_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    ref = _record(capsys, monkeypatch, data)
    code, out, _ = sw(capsys, monkeypatch, "records", "list", "--json", "--data-dir", str(data))
    assert code == 0 and [row["id"] for row in json.loads(out)] == [ref["id"]]
    # Given before the command only, it is not reset by the command's own (absent) option.
    code, out, _ = sw(capsys, monkeypatch, "--data-dir", str(data), "records", "list", "--json")
    assert [row["id"] for row in json.loads(out)] == [ref["id"]]
    # Given after, it wins over the one before (the nearer word is the one meant).
    elsewhere = data.parent / "elsewhere"
    code, out, _ = sw(
        capsys,
        monkeypatch,
        *("--data-dir", str(data), "records", "list", "--json", "--data-dir", str(elsewhere)),
    )
    assert code == 0 and json.loads(out) == []


def test_bytes_go_to_a_private_file_or_to_stdout(
    data: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    """`output_bytes` (for a PDF) writes the same bytes to a file (0600) or to stdout."""
    from sharewise.cli.common import output_bytes

    blob = b"%PDF-1.7\n\x00\xff binary \r\n"
    target = data.parent / "report.pdf"
    with output_bytes(str(target)) as out:
        out.write(blob)
    assert target.read_bytes() == blob and target.stat().st_mode & 0o777 == 0o600
    with output_bytes("-") as out:
        out.write(blob)
    assert capfdbinary.readouterr().out == blob
    _no_dash_file()


#: Each command with a file argument, given a file that is not there (or a folder that is
#: not there to write into); the name that the message must start with.
MISSING = [
    (("decide", "--facts", "nope.yaml"), "nope.yaml"),
    (("decide", "--batch", "nope.jsonl"), "nope.jsonl"),
    (("decide", "--facts", "-", "--tree", "nope.yaml"), "nope.yaml"),
    (("tree", "show", "nope.yaml"), "nope.yaml"),
    (("scenarios", "check", "--tree", "nope.yaml"), "nope.yaml"),
    (("walk", "--plain", "--tree", "nope.yaml"), "nope.yaml"),
    (("train", "--plain", "--tree", "nope.yaml"), "nope.yaml"),
    (("records", "verify", "--checkpoint", "nope.json"), "nope.json"),
    (("records", "verify", "--public-key", "nope.pub"), "nope.pub"),
    (("records", "amend", "1", "--record", "nope.yaml"), "nope.yaml"),
    (("records", "complete", "1", "--record", "nope.yaml"), "nope.yaml"),
    (("records", "checkpoint", "--out", "x.json", "--sign-key", "nope.pem"), "nope.pem"),
    (("records", "export", "--format", "json", "--out", "no/x.json"), "no/x.json"),
    (("records", "checkpoint", "--out", "no/cp.json"), "no/cp.json"),
    (("records", "keygen", "--out", "no/ig.key"), "no/ig.key"),
    (("audit", "report", "--format", "md", "--out", "no/x.md"), "no/x.md"),
]


@pytest.mark.parametrize(("argv", "name"), MISSING, ids=[" ".join(a[:2]) for a, _ in MISSING])
def test_a_missing_file_is_one_line_on_stderr_and_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    argv: tuple[str, ...],
    name: str,
) -> None:
    code, out, err = sw(capsys, monkeypatch, "--data-dir", str(data), *argv, stdin=FACTS)
    assert code == 2 and out == ""
    assert err.startswith(f"sharewise: {name}: ") and err.count("\n") == 1, err


def test_audit_report_to_stdout_with_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    _record(capsys, monkeypatch, data)
    argv = ("--data-dir", str(data), "audit", "report", "--format", "json")
    code, default, _ = sw(capsys, monkeypatch, *argv)
    assert code == 0
    code, dashed, err = sw(capsys, monkeypatch, *argv, "--out", "-")
    # The report itself, not a message about it (a time it was made may differ: keys only).
    assert code == 0 and err == ""
    assert json.loads(dashed).keys() == json.loads(default).keys()
    target = data.parent / "audit.json"
    code, out, err = sw(capsys, monkeypatch, *argv, "--out", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert target.stat().st_mode & 0o777 == 0o600
    _no_dash_file()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_person_at_a_terminal_is_told_how_to_end_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(FACTS))
    code = main(["decide", "--facts", "-", "--tree", str(TREE), "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["decision"] == "share"
    assert "reading standard input; end it with Ctrl-D" in err


def test_a_pipe_gets_no_such_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = sw(
        capsys, monkeypatch, "decide", "--facts", "-", "--tree", str(TREE), stdin=FACTS
    )
    assert code == 0 and err == ""
