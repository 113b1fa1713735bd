"""A tree change that breaks a scenario's model answer is reported by `tree diff` and by
`scenarios check` on the new tree, so it is seen before the tree reaches a class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sharewise.cli import main

ROOT = Path(__file__).resolve().parents[2]
OLD = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
NEW = str(ROOT / "tests" / "fixtures" / "trees" / "example-changed.yaml")
BANK = str(ROOT / "tests" / "fixtures" / "diff-scenarios")


def test_tree_diff_names_the_scenario_the_new_tree_breaks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scenarios", "check", BANK, "--tree", OLD]) == 0  # all met before
    capsys.readouterr()
    assert main(["tree", "diff", OLD, NEW, "--scenarios", BANK, "--json"]) == 1
    failing = json.loads(capsys.readouterr().out)["scenarios_failing"]
    # public-authority changes its law only, which its expectation allows; anonymous is
    # decided the same way: only other-organisation's model answer is broken.
    assert [(f["scenario"], f["failing_before"]) for f in failing] == [
        ("other-organisation", False)
    ]
    assert failing[0]["failures"][0].startswith("decision is seek_advice")
    assert main(["tree", "diff", OLD, NEW, "--scenarios", BANK]) == 1
    text = capsys.readouterr().out
    assert (
        "scenarios whose expectation the new tree does not meet: 1\n  other-organisation\n" in text
    )
    assert main(["scenarios", "check", BANK, "--tree", NEW]) == 1
    assert "FAIL other-organisation" in capsys.readouterr().out


def test_a_scenario_failing_on_both_trees_is_said_to_be(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = Path(BANK) / "anonymous.yaml"
    (tmp_path / "anonymous.yaml").write_text(
        source.read_text(encoding="utf-8").replace("- no_personal_data", "- share"),
        encoding="utf-8",
    )
    # Same tree both sides: nothing changed, so exit 0, but the broken scenario is shown.
    assert main(["tree", "diff", OLD, OLD, "--scenarios", str(tmp_path)]) == 0
    assert "anonymous (the old tree failed it too)" in capsys.readouterr().out
