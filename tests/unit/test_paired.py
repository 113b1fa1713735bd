"""Paired questions: one answer settles two facts (a tree's `also`).

tests/fixtures/trees/paired.yaml asks who shares and whether as a care professional in one
question; the capacity matters only for special category data.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise.cli import main
from sharewise.domain.decide import decide
from sharewise.domain.errors import FactsError, InputError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.replay import replay
from sharewise.domain.walk import Walk

PAIRED = Path(__file__).resolve().parents[1] / "fixtures" / "trees" / "paired.yaml"

# Ordinary data: whether the sharer is a care professional cannot change the outcome.
ORDINARY = {"immediate_danger": "no", "sharer": "public_authority", "special_category": "no"}
# Health data: a care professional has the health condition, anyone else the safeguarding one.
HEALTH = {
    "immediate_danger": "no",
    "sharer": "public_authority",
    "special_category": "yes",
    "apd_in_place": "yes",
}
SCHOOL = {"sharer": "public_authority", "care_professional": "no"}


@pytest.fixture(scope="module")
def tree() -> CompiledTree:
    return load_tree(PAIRED)


def asked(out: str, number: int, text: str) -> int:
    """How often question `number` was put (with its "of at most N"), its text starting so."""
    return len(
        re.findall(
            rf"Question {number} of at most \d+(?:, for the record)?: " + re.escape(text), out
        )
    )


def _facts(tmp_path: Path, facts: dict[str, str]) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in facts.items()))
    return path


# --- deciding ---------------------------------------------------------------------------------
def test_both_facts_given_records_both_at_one_question(tree: CompiledTree) -> None:
    result = decide(tree, {**HEALTH, "care_professional": "yes"})
    assert result.outcome.id == "share_health"
    assert [(s.node, s.fact, s.answer) for s in result.path] == [
        ("danger", "immediate_danger", "no"),
        ("sharer", "sharer", "public_authority"),
        ("sharer", "care_professional", "yes"),
        ("special_care", "special_category", "yes"),
    ]


def test_an_omitted_paired_fact_that_cannot_matter_is_not_needed(tree: CompiledTree) -> None:
    result = decide(tree, ORDINARY)
    assert result.outcome.id == "share_public"
    assert {s.fact: s.answer for s in result.path} == ORDINARY  # nothing added, nothing lost
    assert "care_professional" not in [s.fact for s in result.path]
    # The same outcome as with any value of the omitted fact.
    for value in ("yes", "no", "unsure"):
        with_it = decide(tree, {**ORDINARY, "care_professional": value})
        assert with_it.outcome.id == result.outcome.id


def test_an_omitted_paired_fact_that_matters_is_named(tree: CompiledTree) -> None:
    with pytest.raises(FactsError) as info:
        decide(tree, HEALTH)
    text = info.value.render()
    assert "missing fact 'care_professional', which the tree asks at 'sharer'" in text
    assert "yes, no, unsure" in text


def test_decide_cli_with_a_paired_fact_omitted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree_arg = ["--tree", str(PAIRED)]
    assert main(["decide", "--facts", str(_facts(tmp_path, ORDINARY)), *tree_arg, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"]["id"] == "share_public"
    assert [p["fact"] for p in data["path"]] == ["immediate_danger", "sharer", "special_category"]

    code = main(["decide", "--facts", str(_facts(tmp_path, HEALTH)), *tree_arg])
    assert code == 2
    err = capsys.readouterr().err
    assert "missing fact 'care_professional'" in err and "Traceback" not in err


def test_decide_batch_with_a_paired_fact_omitted(tmp_path: Path) -> None:
    lines = [ORDINARY, HEALTH, {**HEALTH, "care_professional": "no"}]
    proc = subprocess.run(
        [sys.executable, "-m", "sharewise", "decide", "--batch", "-", "--tree", str(PAIRED)],
        input="\n".join(json.dumps(x) for x in lines) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    first, second, third = (json.loads(x) for x in proc.stdout.splitlines())
    assert first["outcome"]["id"] == "share_public"
    assert "care_professional" not in [p["fact"] for p in first["path"]]
    assert second["line"] == 2 and "missing fact 'care_professional'" in second["error"]
    assert third["outcome"]["id"] == "share_safeguarding"
    assert [p["node"] for p in third["path"] if p["fact"] in SCHOOL] == ["sharer", "sharer"]


# --- replaying --------------------------------------------------------------------------------
def test_replay_of_a_record_without_the_paired_fact(tree: CompiledTree) -> None:
    original = decide(tree, ORDINARY)
    again = replay(tree, original)
    assert again.result is not None and again.same_tree and not again.changed
    assert again.result.path == original.path


def test_replay_of_an_older_record_stops_where_the_paired_fact_matters(
    tree: CompiledTree, tmp_path: Path
) -> None:
    """A record made before the capacity was asked holds the sharer alone."""
    text = _cut(PAIRED.read_text(), "      - value: public_authority\n", "      - {value: other")
    text = text.replace("      - {value: other", ONE_SHARER + "      - {value: other")
    # Without the capacity, the health condition's question and outcome cannot be reached.
    text = _cut(_cut(text, "  special_care:\n", "  special:\n"), "  share_health:", "  share_s")
    older = tmp_path / "older.yaml"
    older.write_text(text)
    old_tree = load_tree(older)
    original = decide(old_tree, HEALTH)
    assert "care_professional" not in [s.fact for s in original.path]
    again = replay(tree, original)
    assert again.result is None and again.changed
    assert again.unanswered_fact == "care_professional"
    assert again.unanswered_question == tree.question("sharer").text
    # On ordinary data the older record replays on the paired tree all the same.
    ordinary = replay(tree, decide(old_tree, ORDINARY))
    assert ordinary.result is not None and ordinary.result.outcome.id == "share_public"


ONE_SHARER = '      - {value: public_authority, label: "A public authority", next: special}\n'


def _cut(text: str, start: str, end: str) -> str:
    """`text` without the part from `start` up to (not including) `end`."""
    i = text.index(start)
    return text[:i] + text[text.index(end, i) :]


# --- walking with settled answers --------------------------------------------------------------
def test_both_paired_facts_preset_answer_the_question_as_settled(tree: CompiledTree) -> None:
    walk = Walk(tree, preset=SCHOOL)
    walk.answer("no")
    assert walk.node == "special"
    trail = walk.trail()
    assert [(s.node, s.preset) for s in trail] == [("danger", False), ("sharer", True)]
    assert [(s.fact, s.answer) for s in walk.steps() if s.preset] == list(SCHOOL.items())
    walk.answer("no")
    result = walk.result()
    assert [s.preset for s in result.path] == [False, True, True, False]


def test_one_paired_fact_preset_is_asked(tree: CompiledTree) -> None:
    walk = Walk(tree, preset={"sharer": "public_authority"})
    walk.answer("no")
    assert walk.node == "sharer"
    assert not any(a.preset for a in walk.answers)
    choice = walk.choices()[walk.index_for(SCHOOL)]
    walk.choose(choice)
    assert walk.node == "special"
    assert [s.preset for s in walk.steps()] == [False, False, False]


def test_going_back_to_a_settled_paired_answer_overrides_both_presets(
    tree: CompiledTree,
) -> None:
    walk = Walk(tree, preset={**SCHOOL, "apd_in_place": "yes"})
    walk.answer("no")
    position = next(i for i, s in enumerate(walk.trail()) if s.node == "sharer")
    assert [a.node for a in walk.would_clear(position)] == ["sharer"]
    cleared = walk.jump_back(position)
    assert [a.node for a in cleared] == ["sharer"] and cleared[0].preset
    assert walk.node == "sharer"
    assert walk.settled == {"apd_in_place": "yes"}  # both paired facts are this case's now
    walk.answer_from({"sharer": "public_authority", "care_professional": "yes"})
    walk.answer("yes")
    assert walk.outcome is not None and walk.result().outcome.id == "share_health"
    assert not any(s.preset for s in walk.steps())


def test_answering_a_paired_question_by_value_alone_says_which_fact_to_give(
    tree: CompiledTree,
) -> None:
    walk = Walk(tree)
    walk.answer("no")
    with pytest.raises(InputError) as info:
        walk.answer("public_authority")
    text = info.value.render()
    assert "'public_authority' does not settle 'sharer' alone" in text
    assert "give care_professional as well" in text
    assert walk.node == "sharer"  # nothing was answered
    walk.answer("other_organisation")  # a value no other fact goes with is enough
    assert walk.outcome is not None and walk.result().outcome.id == "share_other"


def test_answer_from_names_the_paired_fact_it_lacks(tree: CompiledTree) -> None:
    walk = Walk(tree)
    walk.answer("no")
    with pytest.raises(InputError) as info:
        walk.answer_from({"sharer": "public_authority"})
    assert "care_professional not given, which 'sharer' also settles" in info.value.render()
    with pytest.raises(InputError):
        walk.index_for({"sharer": "public_authority"})


# --- the plain walk ----------------------------------------------------------------------------
def _plain(
    lines: list[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    argv = ["--data-dir", str(data_dir), "walk", "--plain", "--tree", str(PAIRED), *extra]
    return main(argv), out.getvalue()


def test_plain_walk_offers_each_paired_answer_by_its_own_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No danger; a public authority, not as a care professional (the 2nd of three); health
    # data; a policy document.
    code, out = _plain(["2", "2", "1", "1"], tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert "  2. A public authority, not as a health or social care professional" in out
    assert asked(out, 4, "Does your organisation have an appropriate policy document?")
    assert "Share under public task and the safeguarding condition" in out


def test_plain_walk_says_a_settled_paired_answer_once_and_change_asks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sharewise import paths
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import save_settings

    save_settings(tmp_path, SCHOOL, load_vocabulary(paths.facts_path()))
    code, out = _plain(["2", "1", "1"], tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert out.count("Answered from your settings:") == 1
    assert (
        "Answered from your settings: Who is sharing, and in what capacity? - A public "
        "authority, not as a health or social care professional. Type 'change'"
    ) in out
    assert asked(out, 3, "Is any of it health")  # the settled question keeps its number
    assert "Share under public task and the safeguarding condition" in out

    # `change` at the next question answers the pair yourself: as a care professional now.
    code, out = _plain(["2", "change", "1", "1"], tmp_path, monkeypatch, "--no-record")
    assert code == 0, out
    assert asked(out, 2, "Who is sharing, and in what capacity?")
    assert "Share under public task and the health condition" in out
