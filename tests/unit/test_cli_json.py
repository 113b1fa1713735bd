"""`--json` on the commands that check and configure: tree check, scenarios check, settings.

The write commands' `--json` (review, amend, complete, purge, checkpoint, keygen) is tested
with a ledger in tests/store/test_cli_json_writes.py.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.scenarios import load_scenario, scenario_files

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "tests" / "fixtures" / "trees" / "invalid"


def sw(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tree_check_json_for_a_good_tree(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = paths.default_tree_path()
    code, out, err = sw(capsys, "tree", "check", str(shipped), "--json")
    assert code == 0 and err == ""
    (report,) = json.loads(out)
    assert report["file"] == str(shipped) and report["ok"] is True
    assert report["problems"] == []
    assert report["tree"]["id"] and len(report["tree"]["sha256"]) == 64
    per_path = report["questions_per_path"]
    assert 1 <= per_path["fewest"] <= per_path["median"] <= per_path["most"]
    assert report["questions"] >= per_path["most"] and report["paths"] >= report["outcomes"] > 0


def test_tree_check_json_for_a_bad_tree_has_each_problem_in_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = INVALID / "duplicate_key.yaml"
    shipped = paths.default_tree_path()
    code, out, err = sw(capsys, "tree", "check", str(shipped), str(bad), "--json")
    assert code == 2 and err == ""  # with --json the problems are the result, not messages
    good, broken = json.loads(out)
    assert good["ok"] is True and broken["ok"] is False and broken["file"] == str(bad)
    problem = broken["problems"][0]
    assert problem["file"] == str(bad) and problem["line"] >= 1 and problem["column"] >= 1
    assert "duplicate" in problem["message"].lower()
    # The same problem as the text form prints it (FILE:LINE:COL: message).
    code, _, text_err = sw(capsys, "tree", "check", str(bad))
    assert code == 2
    assert text_err.startswith(f"{bad}:{problem['line']}:{problem['column']}: {problem['message']}")


def test_tree_check_reads_a_tree_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, example_tree_path: Path
) -> None:
    # The example tree breaks invariants (it is a small fixture, not law): the same
    # problems at the same places, named <stdin>.
    code, out, _ = sw(capsys, "tree", "check", str(example_tree_path), "--json")
    (from_file,) = json.loads(out)
    monkeypatch.setattr("sys.stdin", io.StringIO(example_tree_path.read_text()))
    code, out, _ = sw(capsys, "tree", "check", "-", "--json")
    assert code == 2
    (from_stdin,) = json.loads(out)
    assert from_stdin["file"] == "<stdin>" and from_file["problems"]
    assert from_stdin["problems"] == [{**p, "file": "<stdin>"} for p in from_file["problems"]]


def test_scenarios_check_json_passes_and_fails_per_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # One scenario as shipped, and one expecting another decision than its own.
    bank = paths.scenarios_dir()
    shutil.copy(bank / "court-order.yaml", tmp_path)
    (expected,) = load_scenario(bank / "press-request.yaml").expect.decision
    other = "share" if expected.value != "share" else "do_not_share"
    text = (bank / "press-request.yaml").read_text()
    (tmp_path / "press-request.yaml").write_text(text.replace(f"- {expected.value}", f"- {other}"))
    code, out, err = sw(capsys, "scenarios", "check", str(tmp_path), "--json")
    assert code == 1 and err == "1 passed, 1 failed\n"
    verdicts = {v["id"]: v for v in json.loads(out)}
    assert verdicts["court-order"]["ok"] is True and verdicts["court-order"]["failures"] == []
    failed = verdicts["press-request"]
    assert failed["ok"] is False and failed["decision"] == expected.value
    assert any(f"expected {other}" in failure for failure in failed["failures"])


def test_scenarios_check_json_covers_the_bank(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = sw(capsys, "scenarios", "check", "--json")
    verdicts = json.loads(out)
    assert [v["id"] for v in verdicts] == [p.stem for p in scenario_files(paths.scenarios_dir())]
    assert all(v["outcome"] and not v["unreadable"] for v in verdicts)
    assert all(v["ok"] == (v["failures"] == []) for v in verdicts)
    # The same verdicts as the text form (some scenarios may await the new England tree).
    failed = {v["id"] for v in verdicts if not v["ok"]}
    assert code == (1 if failed else 0)
    text_code, text, _ = sw(capsys, "scenarios", "check")
    assert text_code == code
    assert {line.split()[1] for line in text.splitlines() if line.startswith("FAIL")} == failed


def test_settings_json_show_set_unset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = ("--data-dir", str(tmp_path))
    code, out, _ = sw(capsys, "settings", "show", "--json", *data)
    shown = json.loads(out)
    assert code == 0 and shown["file"] == str(tmp_path / "settings.yaml")
    sharer = shown["facts"]["sharer"]
    assert sharer["scope"] == "organisation" and sharer["value"] is None
    assert "public_authority" in sharer["values"]
    assert all(f["scope"] != "case" for f in shown["facts"].values())

    code, out, err = sw(capsys, "settings", "set", "sharer", "public_authority", "--json", *data)
    assert code == 0 and "settled as public_authority" in err
    after = json.loads(out)["facts"]["sharer"]
    assert after["value"] == "public_authority"
    assert after["meaning"] == sharer["values"]["public_authority"]
    assert json.loads(sw(capsys, "settings", "show", "--json", *data)[1]) == json.loads(out)

    code, out, err = sw(capsys, "settings", "unset", "sharer", "--json", *data)
    assert code == 0 and json.loads(out)["facts"]["sharer"]["value"] is None


def test_settings_json_has_the_retention_period(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = ("--data-dir", str(tmp_path))
    assert json.loads(sw(capsys, "settings", "show", "--json", *data)[1])["retention_years"] is None
    code, out, err = sw(capsys, "settings", "retention", "7", "--json", *data)
    assert code == 0 and "7 years" in err
    shown = json.loads(out)
    assert shown["retention_years"] == 7 and "sharer" in shown["facts"]
    assert json.loads(sw(capsys, "settings", "retention", "--json", *data)[1]) == shown
    code, out, _ = sw(capsys, "settings", "retention", "off", "--json", *data)
    assert code == 0 and json.loads(out)["retention_years"] is None


@pytest.mark.parametrize("command", [("walk", "--plain"), ("train", "--plain")])
def test_tree_from_stdin_is_refused_where_stdin_holds_the_answers(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, err = sw(capsys, *command, "--tree", "-")
    assert code == 2 and out == ""
    assert err.startswith("sharewise: --tree: '-' cannot be used here: standard input is")
