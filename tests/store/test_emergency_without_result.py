"""Emergency records filed without a decided result (no tree to hand), and their completion.

The whole path an IG lead relies on must cope with `result=None`: verify, list, show,
export, due and the audit report; and a completion can bring the decision afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from ledger_harness import Harness, make_details, make_result

from sharewise.domain.errors import InputError
from sharewise.domain.record import EntryKind, RecordDetails
from sharewise.domain.tree import Decision
from sharewise.reports import figures as F
from sharewise.store.base import Filters
from sharewise.store.export import FORMATS, export, render_text
from sharewise.store.verify import verify


def quick(case_ref: str = "CS-E1") -> RecordDetails:
    return RecordDetails.model_validate(
        {
            "case_ref": case_ref,
            "practitioner": {"name": "A. Carer", "role": "Nurse", "organisation": "Ward 3"},
            "information": "Called 999; told the duty team.",
        },
        context={"emergency": True},
    )


def test_an_emergency_needs_no_result_and_reads_everywhere(harness: Harness) -> None:
    with harness.open() as ledger:
        ref = ledger.record_emergency(quick())
        entry = ledger.get(ref.id)
        listed = list(ledger.entries())
        by_decision = list(ledger.entries(Filters(decision="share_urgently")))
        due = list(ledger.due(dt.date.today()))
        report = verify(ledger.backend)
        summary = F.count(ledger.backend)
    assert (entry.kind, entry.result, entry.decision) == (EntryKind.EMERGENCY, None, None)
    assert entry.details == quick()
    assert [e.id for e in listed] == [ref.id] and by_decision == []
    assert [(e.id, why) for e, why in due] == [(ref.id, "emergency record to be completed")]
    assert report.intact, report.breaks
    assert summary.awaiting == [ref.id] and summary.by(F.DECISION) == [(F.NO_DECISION, 1)]
    shown = render_text(entry)
    assert "to be completed" in shown and "Outcome:" not in shown
    for fmt in FORMATS:
        out = io.StringIO()
        assert export([entry], fmt, out) == 1
        assert "Ward 3" in out.getvalue()


def test_completion_can_bring_the_decision(harness: Harness) -> None:
    with harness.open() as ledger:
        ref = ledger.record_emergency(quick())
        done = ledger.complete(ref.id, make_details("CS-E1"), make_result(Decision.SHARE_URGENTLY))
        completion = ledger.get(done.id)
        summary = F.count(ledger.backend)
        due = list(ledger.due(dt.date(2000, 1, 1)))
        report = verify(ledger.backend)
    assert completion.kind is EntryKind.COMPLETION and completion.target == ref.id
    assert completion.decision is Decision.SHARE_URGENTLY
    assert completion.result is not None and completion.result.outcome.law.basis
    assert summary.awaiting == [] and summary.total == 1
    assert summary.by(F.DECISION) == [("share_urgently", 1)]
    assert due == [] and report.intact


def test_completion_without_a_decision_leaves_none(harness: Harness) -> None:
    with harness.open() as ledger:
        ref = ledger.record_emergency(quick())
        done = ledger.complete(ref.id, make_details("CS-E1"))
        summary = F.count(ledger.backend)
        assert ledger.get(done.id).result is None
    assert summary.awaiting == [] and summary.by(F.DECISION) == [(F.NO_DECISION, 1)]


def test_a_decided_emergency_cannot_be_given_a_second_decision(harness: Harness) -> None:
    with harness.open() as ledger:
        ref = ledger.record_emergency(quick(), make_result(Decision.SHARE_URGENTLY))
        assert ledger.get(ref.id).decision is Decision.SHARE_URGENTLY
        with pytest.raises(InputError, match="already holds a decision"):
            ledger.complete(ref.id, make_details("CS-E1"), make_result(Decision.SHARE))
        assert ledger.count() == 1


def test_records_complete_with_facts_attaches_the_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ledger_harness import DETAILS_FILE

    from sharewise.cli import main
    from sharewise.store import open_ledger

    root = Path(__file__).resolve().parents[2]
    facts = tmp_path / "facts.yaml"
    facts.write_text('immediate_danger: "yes"\n')
    data = tmp_path / "data"
    with open_ledger(data) as ledger:
        ref = ledger.record_emergency(quick("CS-2026-00417"))  # DETAILS_FILE's case
    tree = str(root / "tests" / "fixtures" / "trees" / "example.yaml")
    argv = ["--data-dir", str(data), "records", "complete", ref.id, "--record"]
    code = main([*argv, str(DETAILS_FILE), "--facts", str(facts), "--tree", tree])
    assert code == 0, capsys.readouterr().err
    assert "completion recorded" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "records", "list", "--decision", "share_urgently"]) == 0
    listed = capsys.readouterr().out.splitlines()[1:]
    # The emergency is found through the decision its completion brought.
    assert [line.split()[4:6] for line in listed] == [
        ["emergency", "share_urgently"],
        ["completion", "share_urgently"],
    ]
    assert listed[0].endswith("(completed by entry 2)")
    assert main(["--data-dir", str(data), "records", "show", ref.id]) == 0
    assert "emergency record: completed by entry 2" in capsys.readouterr().out
