"""Training mode: choose a scenario, read it, walk it, and the debrief; never a record."""

from __future__ import annotations

import io
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from sharewise import paths
from sharewise.domain.decide import decide
from sharewise.domain.exercise import run_debrief
from sharewise.domain.graph import load_tree
from sharewise.domain.scenarios import Scenario, load_scenario
from sharewise.domain.walk import Walk
from sharewise.store import ledger_path
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.debrief import DebriefScreen
from sharewise.tui.screens.emergency import EmergencyScreen
from sharewise.tui.screens.scenario_brief import BriefScreen
from sharewise.tui.screens.training import TrainingScreen
from sharewise.tui.screens.walk import WalkScreen
from tests.tui.conftest import EXAMPLE_TREE, plain, ready
from tests.tui.test_flows import walk_by_facts
from tests.tui.test_screens_alone import CSS, Host

MakeApp = Callable[..., SharewiseApp]
SCENARIO_ID = "child-disclosure-at-school"
ENGLAND = str(paths.default_tree_path())


def text(pilot: Pilot[Any], selector: str) -> str:
    """What a Static shows, as plain text (the debrief's answers are a grid)."""
    return plain(pilot.app.screen.query_one(selector, Static).content)


def scenario() -> Scenario:
    return load_scenario(paths.scenarios_dir() / f"{SCENARIO_ID}.yaml")


async def test_a_perfect_run_from_the_home_screen(make_app: MakeApp, data_dir: Path) -> None:
    app = make_app(ENGLAND)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TrainingScreen)
        ids = [s.id for s in screen.scenarios]
        assert len(ids) >= 20 and SCENARIO_ID in ids
        assert screen.query_one("#training-list", OptionList).has_focus
        await pilot.press(*["down"] * ids.index(SCENARIO_ID), "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BriefScreen)
        # Outside a session nothing is kept, and the banner says so.
        assert "practice only: nothing is kept" in text(pilot, "#brief-banner")
        story = text(pilot, "#brief-narrative")
        assert "stepfather hits her" in story and "immediate_danger" not in story
        await pilot.press("s")
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen) and walk.training is not None
        assert "practice only, nothing kept" in text(pilot, "#walk-training")
        await walk_by_facts(pilot, dict(scenario().facts))
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen)
        assert "Well done" in text(pilot, "#debrief-verdict")
        assert "practice only: nothing is kept" in text(pilot, "#debrief-banner")
        assert "#debrief-divergence" not in [f"#{w.id}" for w in debrief.query(Static)]
        answers = text(pilot, "#debrief-answers")
        assert answers.count("✓ right") == len(debrief.debrief.answers) and "DIFFERS" not in answers
        assert "Consent is not needed" in text(pilot, "#debrief-points")
        law = "\n".join(str(w.render()) for w in debrief.query(".law").results(Static))
        art6 = walk.walk.tree.registry["ukgdpr.art6.1e"]
        assert art6.title in law and art6.gist[:30] in law and art6.url in law
        await pilot.press("x")
        await ready(pilot)
        assert "Exported to" in text(pilot, "#debrief-status")
        # Esc is labelled "Other scenarios": it goes to the list, not back to the story.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TrainingScreen)
        assert pilot.app.screen.query_one("#training-list", OptionList).has_focus
    (exported,) = (data_dir / "exports").glob(f"debrief-{SCENARIO_ID}-*.md")
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert "# Debrief: A nine-year-old" in exported.read_text()
    assert not ledger_path(data_dir).exists(), "training must never write to the ledger"


async def test_a_wrong_turn_started_by_scenario_id(make_app: MakeApp, data_dir: Path) -> None:
    """What `sharewise train --scenario ID` opens: straight to the story."""
    app = make_app(ENGLAND, training=SCENARIO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert isinstance(pilot.app.screen, BriefScreen)
        await pilot.press("s")
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen)
        # The emergency key still works in an exercise, and says it is one.
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EmergencyScreen)
        assert "training exercise" in text(pilot, "#emergency-training")
        await pilot.press("escape")
        await pilot.pause()
        wrong = {**scenario().facts, "sharer": "other_organisation"}
        await walk_by_facts(pilot, wrong)
        debrief = pilot.app.screen
        assert isinstance(debrief, DebriefScreen)
        # Recipient and necessity are one question now: who is sharing is the sixth.
        assert "Question 6: Who is sharing" in text(pilot, "#debrief-divergence")
        assert "DIFFERS" in text(pilot, "#debrief-answers")
        assert "public authority" in text(pilot, "#debrief-answers").lower()
        assert "UK GDPR" in text(pilot, "#debrief-cited-missing")
        # Why the scenario's answer is right: the question's "why we ask" and the law that
        # answer turns on (public task, which a public authority uses), on screen.
        why = text(pilot, "#debrief-why")
        assert "The scenario's answer: A public authority" in why
        first = debrief.debrief.first_divergence
        assert first is not None
        sharer = walk.walk.tree.question(first.node)
        assert sharer.why.startswith("Who you are decides the lawful basis")
        assert f"Why we ask: {sharer.why}" in why.replace("\n", " ")
        assert "The law it turns on: UK GDPR Art 6(1)(e) - public task" in why
        assert "why:" in text(pilot, "#debrief-answers")
        assert "law:" in text(pilot, "#debrief-answers")
        await pilot.press("a")  # try again: back to the first question
        await pilot.pause()
        walk = pilot.app.screen
        assert isinstance(walk, WalkScreen) and walk.walk.answers == []
    assert not ledger_path(data_dir).exists()


def example_debrief() -> tuple[Scenario, Any, Any]:
    tree = load_tree(Path(EXAMPLE_TREE))
    s = Scenario.model_validate(
        {
            "id": "charity-disclosure",
            "title": "A youth club hears a disclosure",
            "theme": "Sharing information in a timely and appropriate way",
            "narrative": "A volunteer at a charity youth club hears a disclosure.\x1b[2J",
            "facts": {
                "immediate_danger": "no",
                "identifiable": "yes",
                "sharer": "other_organisation",
            },
            "expect": {"decision": ["share"]},
            "learning_points": ["Charities rely on legitimate interests, not public task."],
        }
    )
    walk = Walk(tree)
    for value in ("no", "yes", "public_authority"):
        walk.answer(value)
    return s, run_debrief(tree, s, walk.result()), tree.registry


async def test_debrief_alone_marks_answers_and_exports(tmp_path: Path) -> None:
    s, d, registry = example_debrief()
    app = Host(DebriefScreen(s, d, registry))
    app.data_dir = tmp_path  # type: ignore[attr-defined]
    async with app.run_test(size=(110, 50)) as pilot:
        await pilot.pause()
        assert "different route" in text(pilot, "#debrief-verdict")
        assert "Question 3: Who is sharing?" in text(pilot, "#debrief-divergence")
        assert "public task" in text(pilot, "#debrief-points")
        await pilot.press("x")
        await ready(pilot)
        (path,) = (tmp_path / "exports").glob("debrief-charity-disclosure-*.md")
        body = path.read_text()
        # Trainer-written text is made inert, in the file as on screen.
        assert "\x1b" not in body and "\\x1b[2J" in body
        assert "## Where you first went a different way" in body


def test_debrief_snapshot(snap_compare: Callable[..., bool]) -> None:
    s, d, registry = example_debrief()

    class SnapHost(App[None]):
        CSS_PATH = str(CSS)

        def on_mount(self) -> None:
            self.push_screen(DebriefScreen(s, d, registry))

    assert snap_compare(SnapHost(), terminal_size=(110, 60))


def test_train_plain_perfect_run_by_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.cli import main
    from sharewise.cli.common import load_tree_arg
    from sharewise.domain.decide import decide

    tree = load_tree_arg(None)
    facts = scenario().facts
    # The number typed at each question: one per question, even where an answer settles two
    # facts; the keys are worked out on a walk, and that walk must match the model path.
    walk = Walk(tree)
    numbers: list[int] = []
    while not walk.finished:
        numbers.append(walk.index_for(facts) + 1)
        walk.choose(walk.choices()[numbers[-1] - 1])
    # (a fact the scenario leaves out, answered at its vocabulary default, is not in the path
    # `decide` gives, which holds only what the facts said)
    assert [s for s in walk.result().path if s.fact in facts] == decide(tree, facts).path
    typed = "\n".join(["help", *map(str, numbers), "yes"]) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), "train", "--plain", "--scenario", SCENARIO_ID])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "TRAINING: practice only: nothing you do here is kept" in out
    assert "stepfather hits her" in out and "What this means" in out
    assert "Well done: the same outcome as the model path." in out
    assert f"{len(numbers)} of {len(numbers)} match the scenario" in out
    assert "Saved to" in out
    (path,) = (data / "exports").glob("debrief-*.md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not ledger_path(data).exists()


def test_train_plain_lists_and_chooses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("99\nquit\n"))
    assert main(["--data-dir", str(tmp_path), "train", "--plain"]) == 1
    out = capsys.readouterr().out
    assert "A nine-year-old says her stepfather hits her" in out
    assert "Please type a number from 1 to" in out


def test_train_unknown_scenario_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.cli import main

    assert main(["--data-dir", str(tmp_path), "train", "--scenario", "no-such"]) == 2
    assert "use one of:" in capsys.readouterr().err


async def test_a_trainers_own_folder_and_a_broken_file(make_app: MakeApp, tmp_path: Path) -> None:
    """`train --scenarios DIR`: the trainer's files; one typo does not stop the class."""
    import yaml

    s, _, _ = example_debrief()
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml.safe_dump(s.model_dump(mode="json")))
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    app = make_app()
    app.scenarios_dir = folder
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TrainingScreen)
        assert [x.id for x in screen.scenarios] == ["charity-disclosure"]
        assert "1 file(s) could not be read" in text(pilot, "#training-status")
        assert "broken.yaml" in text(pilot, "#training-status")
        await pilot.press("enter", "s")
        await pilot.pause()
        await walk_by_facts(pilot, dict(s.facts))
        assert isinstance(pilot.app.screen, DebriefScreen)


def test_the_same_outcome_with_a_wrong_answer_is_not_well_done() -> None:
    from sharewise.cli.common import load_tree_arg
    from sharewise.domain.exercise import verdict

    tree = load_tree_arg(None)
    walk = Walk(tree)
    facts = {**scenario().facts, "necessary": "less_would_do"}
    while not walk.finished:
        q = walk.question
        assert q is not None
        walk.answer_from(facts)
    d = run_debrief(tree, scenario(), walk.result())
    # On the England tree "less would do" still ends at the same outcome (with its advice to
    # share less), so the outcome alone would say "well done".
    assert d.same_outcome and d.correct_count == len(d.answers) - 1
    assert verdict(d).startswith("The same outcome as the model path, but 1 answer(s) differ")


def test_the_markdown_debrief_says_why_the_model_answer_is_right() -> None:
    """The export and `train --plain` print what the screen shows: for an answer that
    differs, why the question is asked and the law the scenario's answer turns on."""
    from sharewise.domain.exercise import debrief_markdown
    from sharewise.domain.training import render_debrief

    tree = load_tree(paths.default_tree_path())
    s = scenario()
    wrong = {**s.facts, "sharer": "other_organisation"}
    d = run_debrief(tree, s, decide(tree, wrong))
    first = d.first_divergence
    assert first is not None and first.fact == "sharer"
    why = tree.question(first.node).why
    # Public task is what a public authority relies on; a charity's route cannot reach it.
    assert "ukgdpr.art6.1e" in first.turns_on
    assert "ukgdpr.art6.1ea" not in first.turns_on  # the trainee's law, not the model's
    md = debrief_markdown(s, d, tree.registry)
    assert f"   - why we ask: {why}" in md
    assert "   - the law it turns on: UK GDPR Art 6(1)(e) - public task (`ukgdpr.art6.1e`)" in md
    assert f"Why we ask: {why}" in md.split("## Where you first went a different way")[1]
    assert "The law it turns on:" in md
    plain_text = render_debrief(d, {c: v.title for c, v in tree.registry.root.items()})
    assert (
        f"why we ask: {why}" in plain_text
        and "the law it turns on: UK GDPR Art 6(1)(e)" in plain_text
    )
