"""The write commands' `--json`: each prints the entry it appended, exactly as `records show
--json` prints it afterwards, so a script can keep the entry without a second call."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def sw(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _record(capsys: pytest.CaptureFixture[str], data: Path, details: Path) -> dict:
    facts = data.parent / "facts.yaml"
    facts.write_text('immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n')
    argv = ("decide", "--facts", str(facts), "--tree", str(TREE), "--json")
    code, out, err = sw(capsys, data, *argv, "--record", str(details))
    assert code == 0, err
    ref: dict = json.loads(out)["record"]
    return ref


def _shown(capsys: pytest.CaptureFixture[str], data: Path, entry_id: str) -> dict:
    code, out, _ = sw(capsys, data, "records", "show", entry_id, "--json")
    assert code == 0
    shown: dict = json.loads(out)
    return shown


def test_review_json_is_the_entry_written(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    ref = _record(capsys, data, DETAILS_FILE)
    code, out, err = sw(
        capsys,
        data,
        *("records", "review", ref["id"], "--verdict", "agree", "--reviewer", "IG lead"),
        *("--comment", "Sound and well recorded.", "--json"),
    )
    assert code == 0 and err == ""
    entry = json.loads(out)
    assert entry["kind"] == "review" and entry["target"] == ref["id"]
    assert entry["seq"] == ref["seq"] + 1
    assert entry["review"]["verdict"] == "agree" and entry["review"]["reviewer"] == "IG lead"
    assert entry == _shown(capsys, data, entry["id"])


def test_review_without_json_prints_the_reference(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    ref = _record(capsys, data, DETAILS_FILE)
    code, out, _ = sw(
        capsys, data, "records", "review", ref["id"], "--verdict", "follow_up", "--reviewer", "IG"
    )
    assert code == 0 and out.startswith("review recorded: ")
    assert f"(entry {ref['seq'] + 1}, hash " in out


def test_complete_json_is_the_entry_written(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    quick = tmp_path / "quick.yaml"
    quick.write_text(
        "to_be_completed: true\ncase_ref: CS-2026-00417\n"
        "practitioner: {name: A, role: DSL, organisation: School}\n"
    )
    ref = _record(capsys, data, quick)
    code, out, err = sw(
        capsys, data, "records", "complete", ref["id"], "--record", str(DETAILS_FILE), "--json"
    )
    assert code == 0, err
    entry = json.loads(out)
    assert entry["kind"] == "completion" and entry["target"] == ref["id"]
    assert entry["details"]["case_ref"] == "CS-2026-00417"
    assert entry == _shown(capsys, data, entry["id"])


def test_purge_json_dry_run_then_the_purge_entry(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    _record(capsys, data, DETAILS_FILE)
    purge = ("records", "purge", "--today", "2999-01-01", "--before", "2999-01-01", "--json")
    code, out, _ = sw(capsys, data, *purge)
    assert code == 0
    assert json.loads(out) == {"dry_run": True, "before": "2999-01-01", "would_erase": 1}
    code, out, _ = sw(capsys, data, *purge, "--yes")
    assert code == 0
    entry = json.loads(out)
    assert entry["kind"] == "purge" and entry == _shown(capsys, data, entry["id"])
    assert "2999-01-01" in json.dumps(entry) and entry["seq"] == 2
    # Nothing is left to erase.
    assert json.loads(sw(capsys, data, *purge)[1])["would_erase"] == 0


def test_purge_json_with_no_ledger(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = sw(capsys, data, "records", "purge", "--before", "2026-01-01", "--json")
    assert code == 0 and err == "" and json.loads(out)["would_erase"] == 0
    assert not data.exists()


def test_keygen_json_and_to_stdout(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = tmp_path / "ig.key"
    code, out, _ = sw(capsys, data, "records", "keygen", "--out", str(key), "--json")
    made = json.loads(out)
    assert code == 0 and made["private_key"] == str(key)
    assert Path(made["public_key_file"]).read_text().strip() == made["public_key"]
    assert len(base64.b64decode(made["public_key"])) == 32

    # To standard output: the PEM is the result, the public key a message; no file '-'.
    monkeypatch.chdir(tmp_path)
    code, pem, err = sw(capsys, data, "records", "keygen", "--out", "-")
    assert code == 0 and pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert not (tmp_path / "-").exists() and not (tmp_path / "-.pub").exists()
    public = err.split("public key ", 1)[1].split()[0]
    assert len(base64.b64decode(public)) == 32
    # The key read back from standard input signs a checkpoint that verifies with that key.
    _record(capsys, data, DETAILS_FILE)
    (tmp_path / "ig2.pub").write_text(public + "\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(pem))
    code, point, err = sw(capsys, data, "records", "checkpoint", "--out", "-", "--sign-key", "-")
    assert code == 0, err
    (tmp_path / "cp.json").write_text(point)
    code, out, _ = sw(
        capsys,
        data,
        *("records", "verify", "--checkpoint", "cp.json", "--public-key", "ig2.pub", "--json"),
    )
    assert code == 0 and json.loads(out)["intact"] is True


def test_keygen_to_stdout_refuses_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = sw(capsys, data, "records", "keygen", "--out", "-", "--json")
    assert code == 2 and out == "" and "the private key itself is the output" in err


def test_keygen_into_a_missing_folder_is_bad_input(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "ig.key"
    code, out, err = sw(capsys, data, "records", "keygen", "--out", str(target))
    assert code == 2 and out == ""
    # Named as the person gave it, never as the temporary file written beside it.
    assert err.startswith(f"sharewise: {target}: cannot write the key here (No such file")
    assert ".partial" not in err and err.count("\n") == 1
