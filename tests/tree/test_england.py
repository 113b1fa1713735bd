"""The shipped England tree: valid, every invariant proved, few questions, kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharewise import paths
from sharewise.authoring.docs import docs_sections, render_docs
from sharewise.authoring.project import RulesPackage, load_rules
from sharewise.cli import main
from sharewise.domain.graph import CompiledTree
from sharewise.domain.invariants import check_invariants, path_lengths, question_stats

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_invariant_holds_on_every_path(england: CompiledTree) -> None:
    assert [p.render() for p in check_invariants(england)] == []


def test_questions_per_path_within_limits(england: CompiledTree) -> None:
    fewest, median, most = question_stats(england)
    assert most <= 11
    assert fewest >= 1
    assert median <= 9


def test_tree_check_passes_and_prints_stats(
    england: CompiledTree, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tree", "check", str(paths.default_tree_path())]) == 0
    out = capsys.readouterr().out
    assert "questions per path: fewest" in out


def test_every_question_offers_not_sure(england: CompiledTree) -> None:
    for qid in england.model.questions:
        values = {c.value for c in england.choices(qid)}
        assert "unsure" in values, f"{qid} offers no 'not sure'"


def test_emergency_comes_first(england: CompiledTree) -> None:
    assert england.question(england.start).fact == "immediate_danger"


def test_legal_requirement_before_recipient_role(england: CompiledTree) -> None:
    for path in england.paths():
        facts = [s.fact for s in path.steps]
        if "recipient_role" in facts and "identifiable" in facts:
            assert "legal_requirement" in facts[: facts.index("recipient_role")]


def test_no_question_is_pointless(england: CompiledTree) -> None:
    """Every question has answers leading to different places (else it cannot matter)."""
    for qid in england.model.questions:
        targets = {c.next for c in england.choices(qid)}
        assert len(targets) > 1, qid


def test_outcomes_are_complete(england: CompiledTree) -> None:
    # Information only about the dead is not personal data: no Art 6 basis applies to it.
    personal = {
        p.outcome for p in england.paths() if p.answers().get("identifiable") != "deceased_only"
    }
    for oid, o in england.model.outcomes.items():
        assert o.summary and o.actions, oid
        if o.decision.value == "seek_advice":
            assert o.advice is not None and o.advice.whom and o.advice.ask, oid
        if o.decision.shares and oid in personal:
            assert o.law.basis, oid


def _rules() -> RulesPackage:
    return load_rules(ROOT / "decision_trees" / "england")


def test_yaml_is_current_with_its_rules() -> None:
    """england.yaml is generated: editing it by hand, or the rules without regenerating, fails."""
    assert _rules().is_current(), "run: sharewise tree build decision_trees/england"


def test_path_lengths_cover_every_path(england: CompiledTree) -> None:
    assert len(path_lengths(england)) == sum(1 for _ in england.paths())


def test_docs_show_the_current_tree() -> None:
    """docs/tree.md's diagram and statistics are the generated ones for this england.yaml."""
    doc = (ROOT / "docs" / "tree.md").read_text(encoding="utf-8")
    assert render_docs(doc, docs_sections(_rules().output)) == doc, (
        "run: .venv/bin/sharewise tree build decision_trees/england --docs docs/tree.md"
    )
