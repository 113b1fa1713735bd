"""`sharewise walk --plain` driven through standard input, record step included."""

from __future__ import annotations

import io
import re
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


def asked(out: str, number: int, text: str) -> int:
    """How often question `number` was put (with its "of at most N"), its text starting so."""
    return len(
        re.findall(
            rf"Question {number} of at most \d+(?:, for the record)?: " + re.escape(text), out
        )
    )


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
    assert code == 0  # a deliberate quit is not a failure
    # Asked, asked again after back, and said again after the help.
    assert asked(out, 1, "Is anyone in immediate danger?") == 3
    assert "Why we ask:" in out and "Still possible:" in out
    assert "Nothing was recorded." in out


def test_quit_in_the_record_step_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run([*WALK, "yes", "CS-1", "quit"], tmp_path, monkeypatch)
    assert code == 0
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


SETTLED_LINE = (
    "Answered from your settings: Who is sharing? - A public authority. "
    "Type 'change' to answer it yourself."
)


def settle(data_dir: Path, facts: dict[str, str]) -> None:
    from sharewise import paths
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import save_settings

    save_settings(data_dir, facts, load_vocabulary(paths.facts_path()))


def test_a_settled_answer_is_said_not_asked_and_recorded_as_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(tmp_path, {"sharer": "public_authority"})
    # The last question is settled: Enter goes on to the outcome.
    code, out = run(["2", "1", "", *RECORD], tmp_path, monkeypatch)
    assert code == 0, out
    assert SETTLED_LINE in out
    assert "Question 3" not in out
    assert "Decision: SHARE - Share under public task" in out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.result is not None
    assert [s.preset for s in entry.result.path] == [False, False, True]


def test_change_answers_a_settled_question_for_this_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(tmp_path, {"sharer": "public_authority"})
    code, out = run(["2", "1", "change", "2"], tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert "Answer it yourself for this case; your settings do not change." in out
    assert asked(out, 3, "Who is sharing?")
    assert "Share under recognised legitimate interest" in out
    # Back from the end undoes the person's last answer and the settled one after it.
    code, out = run(["2", "1", "back", "1", ""], tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert asked(out, 2, "Does the information identify") == 2
    assert out.count(SETTLED_LINE) == 2


def test_ask_all_ignores_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(tmp_path, {"sharer": "public_authority"})
    code, out = run(WALK, tmp_path, monkeypatch, "--ask-all", "--no-record")
    assert code == 0, out
    assert asked(out, 3, "Who is sharing?") and "Answered from your settings" not in out


def test_a_broken_settings_file_is_told_and_every_question_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "settings.yaml").write_text("facts:\n  concern: x\n")
    code, out = run(WALK, tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert "The settings file could not be read, so every question will be asked:" in out
    assert "settings.yaml:2:12: 'concern' changes from case to case" in out
    assert asked(out, 3, "Who is sharing?")


def test_the_school_case_on_the_england_tree_with_a_change_mid_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All three settled: said, not asked; `change` right after one answers it yourself.

    The sharer and the professional capacity are one question (one answer settles both), so
    the three settled facts are two settled questions, each said once.
    """
    from sharewise import paths
    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario
    from sharewise.domain.walk import Walk

    school = {"sharer": "public_authority", "apd_in_place": "yes", "care_professional": "no"}
    settle(tmp_path, school)
    facts = load_scenario(paths.scenarios_dir() / "child-disclosure-at-school.yaml").facts
    tree = load_tree(paths.default_tree_path())
    walk = Walk(tree, preset=school)
    lines: list[str] = []
    while not walk.finished:
        lines.append(str(walk.index_for(facts) + 1))
        walk.answer_from(facts)
    asked = [s for s in walk.trail() if not s.preset]
    assert len(lines) == len(asked) == len(walk.trail()) - 2
    assert len(walk.steps()) - len(walk.trail()) >= 2  # paired answers: sharer, recipient
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in [*lines, ""])))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["--data-dir", str(tmp_path), "walk", "--plain", "--no-record"]) == 0
    text = out.getvalue()
    assert text.count("Answered from your settings:") == 2
    assert "Answered from your settings: Who is sharing, and in what capacity? - " in text
    assert "Question" in text and "Who is sharing, and in what capacity?\n" not in text
    # Numbered by question (settled ones keep their place), never by fact.
    numbers = [int(n) for n in re.findall(r"^Question (\d+) of at most \d+: ", text, re.MULTILINE)]
    assert numbers == [i for i, s in enumerate(walk.trail(), 1) if not s.preset]
    assert "Decision: SHARE" in text

    # Now type change at the question after the settled sharer, and answer it yourself.
    trail = walk.trail()
    at = next(i for i, s in enumerate(trail) if s.fact == "sharer")
    before = sum(1 for s in trail[:at] if not s.preset)
    # The school's own answer (a public authority, not as a care professional), by its number.
    offered = tree.choices(trail[at].node)
    sharer_number = str(next(i for i, c in enumerate(offered, 1) if c.settles(school)))
    changed = [*lines[:before], "change", sharer_number, *lines[before:], ""]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in changed)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["--data-dir", str(tmp_path), "walk", "--plain", "--no-record"]) == 0
    text = out.getvalue()
    assert "Answer it yourself for this case" in text
    assert ": Who is sharing, and in what capacity?\n" in text  # asked this time
    assert text.count("Answered from your settings:") == 2  # said once, then the other one
