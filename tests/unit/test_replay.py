"""Replaying stored answers on a changed tree shows exactly what changed."""

from __future__ import annotations

from pathlib import Path

from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.domain.replay import replay


def _variant(tmp_path: Path, example: Path, old: str, new: str) -> Path:
    text = example.read_text()
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new))
    return path


def test_same_tree_same_result(example_tree_path: Path) -> None:
    tree = load_tree(example_tree_path)
    original = decide(
        tree, {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}
    )
    r = replay(tree, original)
    assert r.same_tree and not r.changed
    assert r.added_citations == [] and r.removed_citations == []


def test_changed_citations_are_listed(example_tree_path: Path, tmp_path: Path) -> None:
    tree = load_tree(example_tree_path)
    original = decide(
        tree, {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}
    )
    changed = load_tree(
        _variant(
            tmp_path,
            example_tree_path,
            "law: {basis: [ukgdpr.art6.1e], supporting: [guidance.hmg2024]}",
            "law: {basis: [ukgdpr.art6.1e], supporting: [guidance.wt2023]}",
        )
    )
    r = replay(changed, original)
    assert not r.same_tree and not r.decision_changed and r.changed
    assert r.added_citations == ["guidance.wt2023"]
    assert r.removed_citations == ["guidance.hmg2024"]


def test_a_new_question_stops_the_replay(example_tree_path: Path, tmp_path: Path) -> None:
    tree = load_tree(example_tree_path)
    original = decide(tree, {"immediate_danger": "no", "identifiable": "no"})
    # In the variant, anonymous information also needs the sharer's status.
    text = example_tree_path.read_text()
    text = text.replace(
        '{value: "no", label: "No", next: anonymous}', '{value: "no", label: "No", next: sharer}'
    )
    text = text.replace(
        '{value: unsure, label: "Not sure", next: ask_now}',
        '{value: unsure, label: "Not sure", next: anonymous}',
    )
    path = tmp_path / "variant.yaml"
    path.write_text(text)
    changed = load_tree(path)
    r = replay(changed, original)
    assert r.result is None and r.changed and r.decision_changed
    assert r.unanswered_fact == "sharer"
