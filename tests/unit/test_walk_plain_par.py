"""The plain walk at par with the UI (issue 11): the question said again after a reply that
was not an answer, how many questions may follow, what `back` undid, a quit that is not a
failure, and `emergency` (or 999) at any prompt."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.domain.emergency import WHAT_TO_TELL
from sharewise.domain.record import EntryKind
from sharewise.store import open_ledger

ROOT = Path(__file__).resolve().parents[2]
TREE = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
EMERGENCY = ["NEW-2026-11-29", "A. Teacher", "Class teacher", "Riverside Primary", "", ""]


def run(
    lines: list[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["--data-dir", str(data_dir), "walk", "--plain", *extra])
    return code, out.getvalue()


def test_an_invalid_reply_is_explained_and_the_question_said_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(["7", "quit"], tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0
    complaint = out.index("“7” is not one of the answers")
    again = out.index("Question 1 of at most 3: Is anyone in immediate danger?", complaint)
    assert "  3. Not sure" in out[again:]


def test_the_question_says_how_many_may_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = run(["2", "quit"], tmp_path, monkeypatch, "--tree", TREE)
    assert "Question 1 of at most 3: Is anyone" in out
    assert "Question 2 of at most 3: Does the information identify" in out


def test_back_says_which_answer_it_undid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["2", "back", "quit"], tmp_path, monkeypatch, "--tree", TREE)
    assert "Undone: your answer to “Is anyone in immediate danger?” (No)." in out


def test_yes_to_danger_says_act_now_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the England tree questions follow the yes: the act-now words come first, and the
    questions after are marked for the record."""
    _, out = run(["1", "quit"], tmp_path, monkeypatch, "--no-record")
    act = out.index("ACT NOW. If someone is in immediate danger, call 999.")
    assert all(item in out[act:] for item in WHAT_TO_TELL)
    assert out.index(", for the record: ", act) > act


@pytest.mark.parametrize("word", ["emergency", "999"])
def test_emergency_at_any_prompt_files_an_emergency_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    code, out = run(["2", word, *EMERGENCY, "quit"], tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0, out
    assert "ACT NOW" in out and WHAT_TO_TELL[0] in out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.kind is EntryKind.EMERGENCY
    assert entry.details is not None and entry.details.case_ref == "NEW-2026-11-29"
    assert f"Emergency record saved as {entry.id}" in out


def test_after_an_emergency_record_the_walk_goes_on_for_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in the UI after F2: the emergency record saved, the walk is not over; the rest of
    the questions are for the record, and its record completes the emergency one."""
    import datetime as dt

    review = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=5)).isoformat()
    completion = [
        "yes",  # complete the emergency record now
        "",  # name, role, organisation: Enter keeps the emergency record's
        "",
        "",
        "Children's social care",
        "Duty social worker",
        "",  # their name: skipped
        "Disclosure of being hit at home",
        "Secure email",
        "no",
        "Seeking consent would put the child at greater risk.",
        "no",
        "Telling the family could increase the risk.",
        "",
        "",
        "Referral needed today.",
        review,
    ]
    lines = ["2", "emergency", *EMERGENCY, "1", "1", *completion]
    code, out = run(lines, tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0, out
    saved = out.index("Emergency record saved as ")
    assert out.index("The questions continue, for the record only", saved) > saved
    assert "Question 2 of at most 3, for the record: Does the information identify" in out
    assert "Question 3 of at most 3, for the record: Who is sharing" in out
    with open_ledger(tmp_path, create=False) as ledger:
        emergency, completed = list(ledger.entries())
    assert emergency.kind is EntryKind.EMERGENCY
    assert completed.kind is EntryKind.COMPLETION
    assert f"Complete emergency record {emergency.id} with this decision now?" in out
    assert "Case reference: NEW-2026-11-29 (the emergency record's" in out
    assert "Some details are filled in: from the emergency record, remembered" in out
    assert "Your name, from the emergency record: A. Teacher (Enter keeps it" in out
    assert completed.result is not None and completed.result.decision.value == "share"
    assert completed.details is not None
    assert completed.details.case_ref == "NEW-2026-11-29"
    assert completed.details.practitioner.name == "A. Teacher"
    assert f"Emergency record {emergency.id} completed by {completed.id}" in out


def test_quit_after_an_emergency_record_says_it_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(["2", "999", *EMERGENCY, "quit"], tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0, out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert f"Stopped. Emergency record {entry.id} is saved" in out
    assert "Nothing was recorded" not in out


def test_quit_while_completing_says_the_emergency_record_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["2", "emergency", *EMERGENCY, "1", "1", "yes", "quit"]
    code, out = run(lines, tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0, out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert f"Stopped. Emergency record {entry.id} is saved and stays to be completed" in out
    assert "Nothing was recorded" not in out


def test_emergency_in_the_record_step_files_an_emergency_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk = ["2", "1", "1", "yes", "CS-1"]  # a decision, then the record's first detail
    code, out = run([*walk, "emergency", *EMERGENCY], tmp_path, monkeypatch, "--tree", TREE)
    assert code == 0, out
    with open_ledger(tmp_path, create=False) as ledger:
        (entry,) = list(ledger.entries())
    assert entry.kind is EntryKind.EMERGENCY


def test_train_plain_explains_a_reply_that_is_not_yes_or_no(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last prompt of an exercise once ended it silently on anything but yes."""
    from sharewise.domain.graph import load_named_tree
    from sharewise.domain.scenarios import load_scenario
    from sharewise.domain.walk import Walk

    path = ROOT / "decision_trees" / "scenarios" / "child-disclosure-at-school.yaml"
    facts = load_scenario(path).facts
    walk = Walk(load_named_tree(None))
    numbers = []
    while not walk.finished:
        numbers.append(str(walk.index_for(facts) + 1))
        walk.answer_from(facts)
    lines = [*numbers, "maybe", "no"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    argv = ["--data-dir", str(tmp_path), "train", "--plain", "--scenario", path.stem]
    assert main(argv) == 0
    assert "“maybe” is not yes or no" in out.getvalue()
