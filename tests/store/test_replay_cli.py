"""Replaying stored records from the command line: on their own kept tree, on a new one,
one record or many (`records replay`), and `records show` saying whether the tree is held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ledger_harness import DETAILS_FILE

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"


def sw(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def record_on(
    capsys: pytest.CaptureFixture[str], data: Path, tree: Path, facts: str, case: str = ""
) -> dict:
    folder = data.parent
    facts_file = folder / "facts.yaml"
    facts_file.write_text(facts)
    details = DETAILS_FILE
    if case:
        details = folder / f"details-{case}.yaml"
        details.write_text(
            DETAILS_FILE.read_text().replace("CS-2026-00417", case, 1), encoding="utf-8"
        )
    code, out, err = sw(
        capsys, data, "decide", "--facts", str(facts_file), "--tree", str(tree),
        "--record", str(details), "--json",
    )  # fmt: skip
    assert code == 0, err
    ref: dict = json.loads(out)["record"]
    return ref


PUBLIC = 'immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n'


def test_show_says_whether_the_tree_is_held(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    ref = record_on(capsys, data, EXAMPLE, PUBLIC)
    code, out, _ = sw(capsys, data, "records", "show", ref["id"])
    assert code == 0 and "Copy of the tree: held in the ledger" in out
    code, out, _ = sw(capsys, data, "records", "show", ref["id"], "--json")
    assert json.loads(out)["tree_held"] is True
