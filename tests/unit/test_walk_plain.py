"""`sharewise walk --plain` driven through standard input, record step included."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.store import open_ledger

ROOT = Path(__file__).resolve().parents[2]
TREE = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")

WALK = ["2", "1", "1"]  # no danger, identifiable, a public authority: share
RECORD = [
    "yes",  # record now
    "CS-2026-00417",
    "J. Okafor",
    "Designated safeguarding lead",
    "Riverside Primary School",
    "Children's social care",
    "Duty social worker",
    "",  # their name: skipped
    "Disclosure of being hit at home",
    "Secure email",
    "no",  # consent sought
    "Seeking consent would put the child at greater risk.",
    "no",  # told
    "Telling the family could increase the risk.",
    "",
    "",
    "Referral needed today.",
    "2026-12-06",
]


def run(
    lines: list[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["--data-dir", str(data_dir), "walk", "--plain", "--tree", TREE, *extra])
    return code, out.getvalue()


def test_walk_and_record_through_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(WALK + RECORD, tmp_path, monkeypatch)
    assert code == 0, out
    assert "Decision: SHARE - Share under public task" in out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert f"Recorded as {entry.id} (entry 1 in the ledger)." in out
    assert entry.details is not None and entry.details.case_ref == "CS-2026-00417"
    assert entry.details.consent is not None and not entry.details.consent.sought
    assert entry.details.recipient is not None and entry.details.recipient.name is None
    assert entry.result is not None and [s.answer for s in entry.result.path] == [
        "no",
        "yes",
        "public_authority",
    ]


def test_no_record_stops_at_the_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(WALK, tmp_path, monkeypatch, "--no-record")
    assert code == 0
    assert "Record this decision" not in out
    assert not (tmp_path / "ledger").exists()


def test_declining_to_record_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run([*WALK, "no"], tmp_path, monkeypatch)
    assert code == 0
    assert "Not recorded" in out


def test_record_fields_are_checked_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = list(RECORD)
    record.insert(1, "")  # an empty case reference is refused, then given
    i = record.index("Disclosure of being hit at home")
    record[i] = "Maya Smith said she was hit"  # names a person: a note, not a refusal
    j = record.index("no")
    record.insert(j, "maybe")  # not yes or no: asked again
    record.insert(len(record) - 1, "next week")  # not a date: asked again
    code, out = run(WALK + record, tmp_path, monkeypatch)
    assert code == 0, out
    assert "This is needed for the record." in out
    assert "Note: This may name a person (“Maya Smith”)" in out
    assert "Please type yes or no." in out
    assert "Write the date as YYYY-MM-DD" in out
    assert "Recorded as" in out


def test_back_help_and_quit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(["2", "back", "?", "quit"], tmp_path, monkeypatch)
    assert code == 1
    assert out.count("Question 1: Is anyone in immediate danger?") == 2
    assert "Why we ask:" in out and "Still possible:" in out
    assert "Nothing was recorded." in out


def test_quit_in_the_record_step_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run([*WALK, "yes", "CS-1", "quit"], tmp_path, monkeypatch)
    assert code == 1
    assert "Nothing was recorded." in out
    assert not (tmp_path / "ledger").exists()


def test_input_ending_mid_record_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run([*WALK, "yes", "CS-1"], tmp_path, monkeypatch)
    assert code == 2
    assert "nothing was recorded" in capsys.readouterr().err


def test_plain_walk_never_imports_textual(tmp_path: Path) -> None:
    script = (
        "import sys, io\n"
        "from sharewise.cli import main\n"
        f"sys.stdin = io.StringIO({''.join(f'{x}{chr(10)}' for x in WALK + RECORD)!r})\n"
        f"code = main(['--data-dir', {str(tmp_path)!r}, 'walk', '--plain', '--tree', {TREE!r}])\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules, 'the plain walk imported textual'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
