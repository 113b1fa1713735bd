"""`audit report`: counts by decision and law, consent, emergencies and reviews; no names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ledger_harness import make_details, make_result

from sharewise.cli import main
from sharewise.domain.record import RecordDetails, Verdict
from sharewise.domain.result import Step
from sharewise.domain.tree import Decision
from sharewise.store import open_ledger


def test_report_counts_and_names_nobody(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unsure = make_result(Decision.SEEK_ADVICE)
    unsure = unsure.model_copy(
        update={
            "path": [
                Step(
                    node="q", fact="f", answer="unsure", question="Is it urgent?", label="Not sure"
                )
            ]
        }
    )
    quick = RecordDetails.model_validate(
        {"case_ref": "CS-E", "practitioner": {"name": "Ann", "role": "DSL", "organisation": "S"}},
        context={"emergency": True},
    )
    with open_ledger(tmp_path) as ledger:
        first = ledger.record_decision(make_result(), make_details())  # consent not sought
        ledger.record_decision(make_result(Decision.DO_NOT_SHARE), make_details())
        ledger.record_decision(unsure, make_details())
        ledger.record_decision(make_result(Decision.SHARE_URGENTLY), quick, emergency=True)
        ledger.review(first.id, Verdict.AGREE, "Reviewer Name")
    assert main(["--data-dir", str(tmp_path), "audit", "report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["decisions_recorded"] == 4
    assert report["by_decision"] == {
        "share": 1,
        "do_not_share": 1,
        "seek_advice": 1,
        "share_urgently": 1,
    }
    assert report["by_lawful_basis"] == {"ukgdpr.art6.1e": 2}
    assert report["by_condition"] == {"ukgdpr.art9.2g": 2}
    assert report["shared_without_consent"] == 1 and report["not_shared"] == 1
    assert len(report["emergencies_awaiting_completion"]) == 1
    assert report["reviews"] == {"agree": 1}
    assert report["questions_answered_not_sure"] == {"Is it urgent?": 1}
    for fmt in ("md", "html"):
        assert main(["--data-dir", str(tmp_path), "audit", "report", "--format", fmt]) == 0
        text = capsys.readouterr().out
        assert "Okafor" not in text and "Reviewer Name" not in text and "CS-" not in text
        assert "ukgdpr.art6.1e" in text


def test_a_question_answered_not_sure_counts_once_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One answer may settle two facts as unsure (a tree's `also`): still one question."""

    def step(node: str, fact: str, answer: str, question: str) -> Step:
        return Step(node=node, fact=fact, answer=answer, question=question, label="Not sure")

    both = make_result(Decision.SEEK_ADVICE).model_copy(
        update={
            "path": [
                step("who", "sharer", "unsure", "Who is sharing?"),
                step("who", "care_professional", "unsure", "Who is sharing?"),
                step("need", "recipient_role", "safeguarding_role", "Do they need it?"),
                step("need", "necessary", "unsure", "Do they need it?"),
            ]
        }
    )
    with open_ledger(tmp_path) as ledger:
        ledger.record_decision(both, make_details())
        ledger.record_decision(both, make_details())
    assert main(["--data-dir", str(tmp_path), "audit", "report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions_answered_not_sure"] == {"Who is sharing?": 2, "Do they need it?": 2}
