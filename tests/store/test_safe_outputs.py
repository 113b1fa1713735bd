"""One safe-text rule for every field and every output.

One-line fields (case reference, roles, organisations) refuse any control or formatting
character anywhere in them; free text is kept exactly (it is evidence), and every output
makes it inert: JSON writes such characters as \\u escapes (the same value for a program),
CSV and text show them as visible escapes, and error messages never echo them raw.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE, make_details, make_result
from pydantic import ValidationError

from sharewise.cli import main
from sharewise.domain.record import RecordDetails
from sharewise.domain.safe_text import is_safe
from sharewise.store import open_ledger
from sharewise.store.details import load_details

#: What a pasted record could carry: an OSC title change ended by BEL, a one-byte CSI (C1),
#: a right-to-left override, a carriage return, a zero-width space.
HOSTILE = "seen \x1b]0;owned\x07 at \x9b31mschool\u202etxt.exe\r over\u200b"


@pytest.mark.parametrize("bad", ["A\x1bB", "A\x07", "A\nB", "CS-1\x9b", "CS\u202e1", "A\tB"])
@pytest.mark.parametrize("field", ["case_ref", "role", "organisation"])
def test_one_line_fields_refuse_control_characters_anywhere(field: str, bad: str) -> None:
    details, _ = load_details(DETAILS_FILE)
    data = details.model_dump(mode="json", exclude_none=True)
    if field == "case_ref":
        data["case_ref"] = bad
    else:
        data["practitioner"][field] = bad
    with pytest.raises(ValidationError, match="control or formatting character"):
        RecordDetails.model_validate(data)


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with open_ledger(str(folder)) as ledger:
        ledger.record_decision(make_result(), make_details(information=HOSTILE))
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["records", "list", "--json"],
        ["records", "show", "1", "--json"],
        ["records", "export", "--format", "json"],
        ["records", "due", "--json"],
        ["audit", "report", "--format", "json"],
    ],
    ids=" ".join,
)
def test_json_outputs_are_inert_and_lossless(
    data: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert is_safe(out) and "\r" not in out, repr(out)
    json.loads(out)  # still JSON


def test_json_export_gives_the_exact_text_back(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["records", "export", "--format", "json", "--data-dir", str(data)]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["details"]["information"] == HOSTILE


def test_csv_to_standard_output_is_inert(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", "export", "--format", "csv", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    cell = rows[0]["information"]
    assert is_safe(cell) and "\r" not in cell
    assert "\\x1b]0;owned\\x07" in cell and "\\u202e" in cell and "\\x9b" in cell


def test_error_messages_never_echo_escape_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = tmp_path / "facts\x1b]0;owned\x07.yaml"
    assert main(["decide", "--facts", str(name)]) == 2
    assert main(["records", "verify", "--checkpoint", str(name), "--data-dir", str(tmp_path)]) == 2
    with pytest.raises(SystemExit):
        main(["records", "list", "--decision", "\x1b[2J"])
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_the_audit_report_is_inert_for_a_team_stored_before_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One-line fields refuse control characters now, but a ledger written before that rule
    may hold a team name with them: the audit report's JSON writes them as escapes (the
    same value for a program), and its CSV and Markdown show them inert."""
    team = "North \x1b]0;owned\x07School\u202e\x9b"
    details = make_details()
    practitioner = details.practitioner.model_copy(update={"organisation": team})
    older = details.model_copy(update={"practitioner": practitioner})  # as stored then
    folder = tmp_path / "data"
    with open_ledger(str(folder)) as ledger:
        ledger.record_decision(make_result(), older)
    for fmt in ("json", "csv", "md"):
        assert main(["audit", "report", "--format", fmt, "--data-dir", str(folder)]) == 0
        out = capsys.readouterr().out
        # the CSV's byte-order mark and line ends are the format's own (Excel needs them)
        text = out.removeprefix("\ufeff").replace("\r\n", "\n") if fmt == "csv" else out
        assert is_safe(text), (fmt, repr(out))
        if fmt == "json":
            assert team in json.loads(out)["by_team"], out
