"""The debrief compares each answer with the scenario and cites the law of both outcomes."""

from __future__ import annotations

from pathlib import Path

from sharewise.domain.graph import load_tree
from sharewise.domain.training import debrief, render_debrief
from sharewise.domain.walk import Walk

FACTS = {"immediate_danger": "no", "identifiable": "yes", "sharer": "other_organisation"}


def _walk(tree_path: Path, *answers: str) -> Walk:
    walk = Walk(load_tree(tree_path))
    for a in answers:
        walk.answer(a)
    return walk


def test_a_perfect_walk(example_tree_path: Path) -> None:
    walk = _walk(example_tree_path, "no", "yes", "other_organisation")
    d = debrief(walk.tree, FACTS, walk.result(), ["Charities use (ea), not (e)."])
    assert d.same_outcome and d.correct_count == 3 and d.first_divergence is None
    assert d.missed == [] and d.citations_missed == []
    text = render_debrief(d, {"ukgdpr.art6.1ea": "UK GDPR Art 6(1)(ea)"})
    assert "Answers matching the scenario: 3 of 3" in text
    assert "UK GDPR Art 6(1)(ea) [ukgdpr.art6.1ea]" in text
    assert "Charities use (ea), not (e)." in text


def test_a_wrong_turn_is_named_with_the_law_missed(example_tree_path: Path) -> None:
    walk = _walk(example_tree_path, "no", "yes", "public_authority")
    d = debrief(walk.tree, FACTS, walk.result())
    assert not d.same_outcome and d.same_decision
    assert d.correct_count == 2
    assert d.first_divergence is not None and d.first_divergence.fact == "sharer"
    assert d.first_divergence.expected_label == "Another organisation"
    assert d.citations_missed == ["ukgdpr.art6.1ea", "ukgdpr.annex1.para6"]
    assert "ukgdpr.art6.1e" in d.citations_extra
    assert "XX 3. Who is sharing?" in render_debrief(d, {})


def test_questions_never_reached_are_listed(example_tree_path: Path) -> None:
    walk = _walk(example_tree_path, "unsure")
    d = debrief(walk.tree, FACTS, walk.result())
    assert not d.same_decision
    assert d.missed == ["Does the information identify a living person?", "Who is sharing?"]
