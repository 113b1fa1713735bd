"""Reassessing a case: `sharewise walk --from ID` offers the earlier answers, says what
changed, and files a record linked to the earlier one (verified by the chain)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.domain.reassess import compare, earlier_choice
from sharewise.domain.walk import Walk
from sharewise.store import open_ledger

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
PUBLIC = {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}
SOON = (dt.date.today() + dt.timedelta(days=30)).isoformat()
PAST = dt.date.today() - dt.timedelta(days=3)


def backdate_review(data: Path) -> None:
    """Amend record 1 so that its review date has passed (the form would refuse to set a
    date in the past; time passing is what makes one)."""
    with open_ledger(data, create=False) as ledger:
        first = ledger.get("1")
        assert first.details is not None
        ledger.amend(first.id, first.details.model_copy(update={"review_by": PAST}))


def details(case: str = "CS-2026-00417", review: str = SOON) -> list[str]:
    """The record step's lines (each typed, so an offered value is replaced)."""
    return [
        "yes", case, "J. Okafor", "Designated safeguarding lead", "Riverside Primary School",
        "Children's social care", "Duty social worker", "", "Disclosure of being hit at home",
        "Secure email", "no", "Seeking consent would put the child at greater risk.", "no",
        "Telling the family could increase the risk.", "", "", "Referral needed today.", review,
    ]  # fmt: skip


def run(
    lines: list[str], data: Path, monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["--data-dir", str(data), "walk", "--tree", str(TREE), *argv])
    return code, out.getvalue()


def test_the_earlier_answer_is_offered_at_each_question() -> None:
    tree = load_tree(TREE)
    walk = Walk(tree)
    seen = []
    while not walk.finished:
        choice = earlier_choice(walk, PUBLIC)
        assert choice is not None
        seen.append(choice.value)
        walk.choose(choice)
    walked, decided = walk.result(), decide(tree, PUBLIC)
    assert (walked.decision, walked.outcome, walked.citations, walked.path) == (
        decided.decision, decided.outcome, decided.citations, decided.path,
    )  # fmt: skip
    assert seen == [PUBLIC[s.fact] for s in walk.trail()]


def test_compare_names_the_changed_answer_and_the_law() -> None:
    tree = load_tree(TREE)
    before = decide(tree, PUBLIC)
    after = decide(tree, {**PUBLIC, "sharer": "other_organisation"})
    changes = compare(before, after)
    assert [(a.fact, a.before, a.after) for a in changes.answers] == [
        ("sharer", "A public authority", "Another organisation")
    ]
    assert not changes.decision_changed and changes.law_changed and changes.outcome_changed
    assert set(changes.citations_removed) == set(before.citations) - set(after.citations)


def test_a_reassessment_with_one_changed_answer_links_the_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(["2", "1", "1", *details()], tmp_path, monkeypatch, "--plain")
    assert code == 0, out
    backdate_review(tmp_path)
    with open_ledger(tmp_path, create=False) as ledger:
        first, amended = list(ledger.entries())
        assert [e.id for e, _ in ledger.due(dt.date.today())] == [amended.id]
    # Enter keeps "no danger" and "identifiable"; "2" is the new answer: another organisation.
    lines = ["", "", "2", "yes", "", *details()[2:]]
    code, out = run(lines, tmp_path, monkeypatch, "--from", str(first.seq))
    assert code == 0, out
    assert "Last time: No (Enter keeps it)" in out
    assert "Last time: A public authority (Enter keeps it)" in out
    assert "Changed: Who is sharing? - was A public authority, now Another organisation" in out
    assert "The decision is unchanged: share." in out
    assert "No longer relies on: " in out
    assert "Case reference, from the earlier record: CS-2026-00417" in out
    with open_ledger(tmp_path, create=False) as ledger:
        entries = list(ledger.entries())
        second = entries[-1]
        assert second.target == first.id and second.kind.value == "decision"
        assert second.details is not None and second.details.case_ref == "CS-2026-00417"
        # The earlier record is no longer due: the reassessment superseded its review date.
        assert list(ledger.due(dt.date.today())) == []
    assert sw(tmp_path, "records", "verify")[0] == 0
    code, out = sw(tmp_path, "records", "list", "--json")
    assert json.loads(out)[1]["target_seq"] == first.seq
    code, out = sw(tmp_path, "records", "list")
    assert f"(reassesses entry {first.seq})" in out
    code, out = sw(tmp_path, "records", "show", str(first.seq))
    assert f"Entry {second.seq}: reassessment: share" in out
    code, out = sw(tmp_path, "records", "show", str(second.seq))
    assert f"Reassesses entry: {first.id}" in out


def sw(data: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(data), *argv])
    return code, out.getvalue()


def test_a_reassessment_under_another_case_reference_still_clears_the_due_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(["2", "1", "1", *details()], tmp_path, monkeypatch, "--plain")
    backdate_review(tmp_path)
    code, out = run(["", "", "", *details("CS-NEW")], tmp_path, monkeypatch, "--from", "1")
    assert code == 0, out
    assert "No answer changed." in out
    with open_ledger(tmp_path, create=False) as ledger:
        assert list(ledger.due(dt.date.today())) == []


def test_reassessing_what_is_not_a_decision_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run([], tmp_path, monkeypatch, "--from", "1")
    assert code == 2 and "no records yet" in capsys.readouterr().err
    run(["2", "1", "1", *details()], tmp_path, monkeypatch, "--plain")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path), "records", "review", "1", "--verdict", "agree",
                 "--reviewer", "A. Lead"]) == 0  # fmt: skip
    capsys.readouterr()
    code, _ = run([], tmp_path, monkeypatch, "--from", "2")
    assert code == 2 and "not a decision to reassess" in capsys.readouterr().err
    code, _ = run([], tmp_path, monkeypatch)
    assert code == 2 and "--plain" in capsys.readouterr().err


def test_the_timeline_shows_the_decision_its_review_and_the_reassessment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(["2", "1", "1", *details()], tmp_path, monkeypatch, "--plain")
    run(["2", "1", "2", *details("CS-OTHER")], tmp_path, monkeypatch, "--plain")
    review = ("records", "review", "1", "--verdict", "follow_up", "--reviewer", "A. Lead")
    assert sw(tmp_path, *review, "--comment", "Revisit after the meeting")[0] == 0
    code, out = run(["", "", "2", *details()], tmp_path, monkeypatch, "--from", "1")
    assert code == 0, out
    code, out = sw(tmp_path, "records", "list", "--case", "CS-2026-00417", "--timeline", "--json")
    moments = json.loads(out)
    assert [(m["seq"], m["kind"]) for m in moments] == [
        (1, "decision"), (3, "review"), (4, "decision")
    ]  # fmt: skip
    assert moments[0]["review_status"] == "replaced by entry 4"
    assert moments[1]["what"] == "review of entry 1: follow_up"
    assert moments[2]["what"] == "reassesses entry 1: share, unchanged"
    assert moments[2]["target_seq"] == 1 and moments[2]["review_status"] == "upcoming"
    code, out = sw(tmp_path, "records", "list", "--case", "CS-2026-00417", "--timeline")
    assert "Case CS-2026-00417: 3 entries" in out
    assert f"Next review: {SOON} (entry 4, upcoming)" in out
    code, out = sw(tmp_path, "records", "list", "--timeline")
    assert code == 2
