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


CHANGED = ROOT / "tests" / "fixtures" / "trees" / "example-changed.yaml"
SCENARIOS = ROOT / "tests" / "fixtures" / "diff-scenarios"
OTHER = 'immediate_danger: "no"\nidentifiable: "yes"\nsharer: other_organisation\n'
ANONYMOUS = 'immediate_danger: "no"\nidentifiable: "no"\n'


def _lands_differently(answers: dict[str, str]) -> bool:
    """The oracle: decide the answers in full on both trees (`decide`, not the diff's own
    replay) and compare what a practitioner would be told."""
    from sharewise.domain.decide import decide
    from sharewise.domain.graph import load_tree

    was, now = (decide(load_tree(t), answers) for t in (EXAMPLE, CHANGED))
    return (was.decision, was.outcome.title, set(was.citations)) != (
        now.decision,
        now.outcome.title,
        set(now.citations),
    )


def _ledger_of_three(capsys: pytest.CaptureFixture[str], data: Path) -> dict[str, str]:
    """Records on the example tree: two that the changed tree decides otherwise, one not."""
    return {
        "other": record_on(capsys, data, EXAMPLE, OTHER, "CS-OTHER")["id"],
        "public": record_on(capsys, data, EXAMPLE, PUBLIC, "CS-PUBLIC")["id"],
        "anonymous": record_on(capsys, data, EXAMPLE, ANONYMOUS, "CS-ANON")["id"],
    }


def test_tree_diff_reports_exactly_what_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sharewise.domain.graph import load_tree

    data = tmp_path / "data"
    ids = _ledger_of_three(capsys, data)
    code, out, err = sw(
        capsys, data, "tree", "diff", str(EXAMPLE), str(CHANGED), "--ledger",
        "--scenarios", str(SCENARIOS), "--json",
    )  # fmt: skip
    assert code == 1, err
    report = json.loads(out)
    paths = [p for g in report["groups"] for p in g["paths"]]
    every = [p.answers() for t in (EXAMPLE, CHANGED) for p in load_tree(t).paths()]
    expected = [a for a in every if _lands_differently(a)]
    assert len(paths) == len({frozenset(p.items()) for p in paths})  # each path once
    assert {frozenset(p.items()) for p in paths} == {frozenset(a.items()) for a in expected}
    assert paths and len(paths) < len(every)
    scenarios = sorted(s for g in report["groups"] for s in g["scenarios"])
    assert scenarios == ["other-organisation", "public-authority"]
    records = sorted(r["id"] for g in report["groups"] for r in g["records"])
    assert records == sorted([ids["other"], ids["public"]])
    assert report["totals"]["record"] == {"changed": 2, "total": 3}
    assert report["totals"]["scenario"] == {"changed": 2, "total": 3}
    assert [q["fact"] for q in report["questions"]] == ["sharer"]
    # The decision that changed is told apart from the law that changed.
    by_scenario = {g["scenarios"][0]: g for g in report["groups"]}
    assert by_scenario["other-organisation"]["decision_changed"] is True
    assert by_scenario["public-authority"]["decision_changed"] is False
    assert by_scenario["public-authority"]["citations_added"] == ["guidance.wt2023"]
    assert by_scenario["public-authority"]["citations_removed"] == ["guidance.hmg2024"]


def test_tree_diff_text_is_grouped_and_readable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _ledger_of_three(capsys, data)
    code, out, _ = sw(
        capsys, data, "tree", "diff", str(EXAMPLE), str(CHANGED), "--ledger",
        "--scenarios", str(SCENARIOS),
    )  # fmt: skip
    assert code == 1
    assert "reworded (sharer): Who is sharing?" in out
    assert "1. share -> seek_advice: 1 path, 1 scenario, 1 record" in out
    assert "sharer = other_organisation" in out
    assert "no longer cites: guidance.hmg2024" in out
    assert "Changed: 2 of 9 paths; 2 of 3 scenarios; 2 of 3 records" in out


def test_an_identical_tree_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _ledger_of_three(capsys, data)
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(EXAMPLE.read_bytes())
    code, out, _ = sw(
        capsys, data, "tree", "diff", str(EXAMPLE), str(copy), "--ledger",
        "--scenarios", str(SCENARIOS),
    )  # fmt: skip
    assert code == 0
    assert "no change" in out and "0 of 3 records" in out


def test_tree_diff_bad_input_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, _, err = sw(capsys, data, "tree", "diff", str(EXAMPLE), str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXAMPLE.read_text().replace("start: danger", "start: nowhere"))
    code, _, err = sw(capsys, data, "tree", "diff", str(EXAMPLE), str(broken))
    assert code == 2 and "broken.yaml:" in err
    code, _, err = sw(capsys, data, "tree", "diff", str(EXAMPLE), str(EXAMPLE), "--scenarios",
                      str(tmp_path / "none-here"))  # fmt: skip
    assert code == 2 and "none-here" in err


def test_replay_one_record_says_the_tree_differs_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    ids = _ledger_of_three(capsys, data)
    code, out, _ = sw(capsys, data, "records", "replay", ids["other"], "--tree", str(CHANGED))
    assert code == 1
    assert "the tree differs from the record's" in out
    assert "now:      seek_advice" in out
    code, out, _ = sw(capsys, data, "records", "replay", ids["anonymous"], "--tree", str(CHANGED))
    assert code == 0 and "no change" in out
    code, out, _ = sw(capsys, data, "records", "replay", ids["other"], "--tree", str(EXAMPLE))
    assert code == 0 and "replayed on the tree the record was decided on" in out


def test_a_record_replays_on_its_own_kept_tree_after_the_tree_file_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The file the record was decided on is overwritten by the new version (as an update
    replaces the shipped tree); the ledger's copy still gives the original decision."""
    data = tmp_path / "data"
    shipped = tmp_path / "shipped.yaml"
    shipped.write_bytes(EXAMPLE.read_bytes())
    ref = record_on(capsys, data, shipped, OTHER)
    shipped.write_bytes(CHANGED.read_bytes())
    code, out, _ = sw(capsys, data, "records", "replay", ref["id"], "--tree", str(shipped))
    assert code == 1 and "now:      seek_advice" in out
    code, out, _ = sw(capsys, data, "records", "replay", ref["id"], "--own-tree", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["tree_differs"] is False and report["tree_held"] is True
    assert report["now"]["decision"] == report["original"]["decision"] == "share"
    assert report["now"]["tree"]["sha256"] == report["original"]["tree"]["sha256"]


def test_replay_all_since_and_case(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    ids = _ledger_of_three(capsys, data)
    code, out, _ = sw(capsys, data, "records", "replay", "--all", "--tree", str(CHANGED))
    assert code == 1
    assert "replayed 3 records on example 1.1" in out
    assert "example 1.0" in out and "the tree differs; copy held" in out
    assert "Changed: 2 of 3 records" in out
    code, out, _ = sw(
        capsys, data, "records", "replay", "--case", "CS-ANON", "--tree", str(CHANGED), "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["totals"]["record"] == {"changed": 0, "total": 1}
    code, out, _ = sw(capsys, data, "records", "replay", "--case", "CS-OTHER", "--tree",
                      str(CHANGED), "--json")  # fmt: skip
    assert code == 1
    assert [r["id"] for r in json.loads(out)["groups"][0]["records"]] == [ids["other"]]
    code, out, _ = sw(capsys, data, "records", "replay", "--since", "2999-01-01")
    assert code == 0 and "no records to replay" in out
    code, out, _ = sw(capsys, data, "records", "replay", "--all", "--own-tree")
    assert code == 0 and "each on its own tree" in out and "0 of 3 records" in out
