"""A record of a decision to share must name its recipient, whichever way it is recorded
(issue 11): `decide --record`, the plain walk and the ledger itself refuse it with one
message (the UI's form is tested with the other screens)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import yaml

from sharewise.cli import main
from sharewise.domain.errors import InputError
from sharewise.domain.graph import load_tree
from sharewise.domain.record import RECIPIENT_NEEDED, RecordDetails
from sharewise.domain.walk import Walk
from sharewise.store import open_ledger

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
DETAILS = ROOT / "tests" / "fixtures" / "record-details.yaml"
SHARE = {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}


def without_recipient(tmp_path: Path) -> Path:
    data = yaml.safe_load(DETAILS.read_text(encoding="utf-8"))
    del data["recipient"]
    path = tmp_path / "details.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_decide_record_refuses_a_disclosure_without_a_recipient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(SHARE), encoding="utf-8")
    details = without_recipient(tmp_path)
    argv = ["--data-dir", str(tmp_path / "data"), "decide", "--facts", str(facts)]
    code = main([*argv, "--tree", str(TREE), "--record", str(details)])
    err = capsys.readouterr().err
    assert code == 2
    assert RECIPIENT_NEEDED in err and str(details) in err
    assert not (tmp_path / "data" / "ledger").exists()


def test_the_ledger_refuses_it_too(tmp_path: Path) -> None:
    walk = Walk(load_tree(TREE))
    for value in SHARE.values():
        walk.answer(value)
    data = yaml.safe_load(DETAILS.read_text(encoding="utf-8"))
    del data["recipient"]
    details = RecordDetails.model_validate(data)
    with open_ledger(tmp_path, create=True) as ledger:
        with pytest.raises(InputError, match="must name its recipient"):
            ledger.record_decision(walk.result(), details)
        assert not list(ledger.entries())


def test_the_plain_walk_asks_for_the_recipient_of_a_disclosure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["2", "1", "1", "yes", "CS-1", "J. Okafor", "Teacher", "Riverside Primary"]
    lines += ["", "quit"]  # no recipient: refused, then stop
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["--data-dir", str(tmp_path), "walk", "--plain", "--tree", str(TREE)])
    assert code == 0
    text = out.getvalue()
    assert "Shared with: organisation: " in text  # not "(Enter to skip)"
    assert RECIPIENT_NEEDED in text
    assert not (tmp_path / "ledger").exists()
