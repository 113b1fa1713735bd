"""A training session in the UI: three trainees on their own machines, two scenarios each,
their files merged, and the trainer's summary screen checked figure by figure.

The trainees' answers are the table in tests/unit/test_training_session.py (WRONG); every
figure on the summary screen is recounted from those answers there.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.store import ledger_path
from sharewise.store.training import open_training
from sharewise.tui.app import create_app
from sharewise.tui.screens.debrief import DebriefScreen
from sharewise.tui.screens.scenario_brief import BriefScreen
from sharewise.tui.screens.session import JoinSessionScreen, SessionSummaryScreen
from sharewise.tui.screens.training import TrainingScreen
from tests.tui.conftest import plain, ready
from tests.tui.test_flows import walk_by_facts
from tests.unit.test_training_session import (
    COURT,
    SCHOOL,
    SESSION,
    WRONG,
    check_every_question,
    scenario,
)

ENGLAND = str(paths.default_tree_path())
ONLY = [COURT, SCHOOL]


@pytest.fixture(scope="module")
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    box = pilot.app.screen.query_one(selector, Input)
    box.value = ""
    box.focus()
    await pilot.press(*text)


async def do_scenario(pilot: Pilot[Any], trainee: str, sid: str) -> None:
    """From the session's list: open the scenario, answer as `trainee` does, see the debrief."""
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    assert [s.id for s in screen.scenarios] == ONLY  # the session's chosen set only
    screen.query_one("#training-list", OptionList).focus()
    await pilot.press("home", *["down"] * ONLY.index(sid), "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BriefScreen)
    # Every banner says the attempt is kept for the trainer (never "nothing is recorded").
    kept = f"kept for your trainer (session {SESSION}, as {trainee})"
    assert kept in banner(pilot, "#brief-banner")
    await pilot.press("s")
    await pilot.pause()
    assert f"kept for your trainer as {trainee}" in banner(pilot, "#walk-training")
    await walk_by_facts(pilot, {**scenario(sid).facts, **WRONG[(trainee, sid)]})
    assert isinstance(pilot.app.screen, DebriefScreen)
    assert kept in banner(pilot, "#debrief-banner")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("escape")  # "Other scenarios": back to the list
    await ready(pilot)


def banner(pilot: Pilot[Any], selector: str) -> str:
    text = plain(pilot.app.screen.query_one(selector, Static).content)
    assert "nothing" not in text.lower(), text
    return text


async def join(pilot: Pilot[Any], trainee: str, session: str | None = None) -> None:
    """Join with the trainee's name (and the session's, if not given by `train --session`)."""
    screen = pilot.app.screen
    if not isinstance(screen, JoinSessionScreen):
        assert isinstance(screen, TrainingScreen)
        await pilot.press("n")
        await pilot.pause()
    if session is not None:
        await type_into(pilot, "#join-session", session)
    assert pilot.app.screen.query_one("#join-session", Input).value == SESSION
    await type_into(pilot, "#join-trainee", trainee)
    await pilot.press("enter")
    await ready(pilot)
    line = plain(pilot.app.screen.query_one("#training-session", Static).content)
    assert f"Session: {SESSION}" in line and f"you are {trainee}" in line


def check_private(data: Path) -> Path:
    (kept,) = (data / "training").glob("*.jsonl")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert not ledger_path(data).exists(), "training must never write to the ledger"
    return kept


async def test_three_trainees_two_scenarios_and_the_trainers_summary(
    tmp_path: Path, england: CompiledTree
) -> None:
    """Ann and Ben share a laptop (a session started in the UI, n to change name); Cat has
    her own machine (`train --session`), where the trainer merges the laptop's file and reads
    the summary."""
    trainees = ["Ann Example", "Ben Sample", "Cat Person"]
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    app = create_app(laptop, ENGLAND, training="")
    app.training_only = list(ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await join(pilot, "Ann Example", session=SESSION)
        for sid in ONLY:
            await do_scenario(pilot, "Ann Example", sid)
        await join(pilot, "Ben Sample")
        for sid in ONLY:
            await do_scenario(pilot, "Ben Sample", sid)
    laptop_file = check_private(laptop)

    app = create_app(desk, ENGLAND, training="")
    app.training_only = list(ONLY)
    app.training_session = SESSION  # what `sharewise train --session NAME` sets
    async with app.run_test(size=(120, 60)) as pilot:
        await ready(pilot)
        await join(pilot, "Cat Person")
        for sid in ONLY:
            await do_scenario(pilot, "Cat Person", sid)
        check_private(desk)
        # (The running app holds standard output, so the merge is checked by what it kept.)
        assert main(["--data-dir", str(desk), "train", "merge", str(laptop_file)]) == 0
        assert len(open_training(desk).read(SESSION).attempts) == 6
        await pilot.press("s")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SessionSummaryScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        s = screen.summary
        assert s is not None and s.trainees == trainees and s.attempts == 6
        court, school = sorted(s.scenarios, key=lambda x: ONLY.index(x.scenario))
        assert (court.trainees, court.same_law, court.retries) == (3, 1, 0)
        assert (school.trainees, school.same_law, school.decisions["do_not_share"]) == (3, 1, 1)
        for sc in (court, school):
            check_every_question(england, sc.scenario, sc.questions, walked=True)
        # What the screen shows is those figures.
        status = plain(screen.query_one("#summary-status", Static).content)
        assert "3 trainee(s), 6 attempt(s)" in status
        shown = plain(screen.query_one("#summary-scenarios", Static).content)
        for sc in (court, school):
            assert f"{sc.same_decision} of 3" in shown and f"{sc.same_law} of 3" in shown
        questions = " ".join(plain(screen.query_one("#summary-questions", Static).content).split())
        for _, q in s.questions_by_difference():
            assert f"{q.differed} of {q.answered} answered differently" in questions
            assert " ".join(q.why.split())[:40] in questions
        await pilot.press("x")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    (report,) = (desk / "exports").glob("training-*.html")
    assert "Ann Example" in report.read_text(encoding="utf-8")


async def test_a_trainer_chooses_the_sessions_scenarios_on_the_training_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """c on the training screen: the trainer names the session and ticks its scenarios; a
    trainee who joins it later on this machine (UI or plain) is offered only those."""
    import io
    import json
    import sys

    from textual.widgets import SelectionList

    from sharewise.tui.screens.session import StartSessionScreen

    data = tmp_path / "laptop"
    app = create_app(data, ENGLAND, training="")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        training = pilot.app.screen
        assert isinstance(training, TrainingScreen)
        whole = len(training.scenarios)
        await pilot.press("c")
        await pilot.pause()
        start = pilot.app.screen
        assert isinstance(start, StartSessionScreen)
        await type_into(pilot, "#start-session", SESSION)
        await pilot.press("ctrl+s")  # nothing ticked yet: said, not started
        await pilot.pause()
        assert "Tick at least one scenario" in plain(start.query_one("#start-error").content)
        ticks = start.query_one("#start-scenarios", SelectionList)
        ids = [s.id for s in training.bank]
        for sid in ONLY:
            ticks.highlighted = ids.index(sid)
            await pilot.press("space")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert pilot.app.screen is training
        assert {s.id for s in training.scenarios} == set(ONLY)
        status = plain(training.query_one("#training-status", Static).content)
        assert f"2 scenarios (chosen for this session, of {whole})" in status
        line = plain(training.query_one("#training-session", Static).content)
        assert f"Session: {SESSION} · n to give your name" in line
    (kept,) = (data / "training").glob("*.scenarios.json")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert json.loads(kept.read_text())["scenarios"] == [i for i in ids if i in ONLY]

    # Later, on the same machine, a trainee joins the session by name.
    app = create_app(data, ENGLAND, training="")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        training = pilot.app.screen
        assert isinstance(training, TrainingScreen)
        assert len(training.scenarios) == whole, "outside the session: the whole bank"
        await join(pilot, "Dan Example", session=SESSION)
        await ready(pilot)
        assert {s.id for s in training.scenarios} == set(ONLY)

    # And `train --plain --session` offers the same two.
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))
    argv = ["--data-dir", str(data), "train", "--plain", "--session", SESSION]
    assert main([*argv, "--trainee", "Dan Example"]) == 1
    listed = [
        line for line in capsys.readouterr().out.splitlines() if line[:4].strip(" .").isdigit()
    ]
    assert len(listed) == 2, listed


def test_a_broken_scenario_list_is_named_with_its_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session's kept choice that cannot be read stops `train` with the file, line and
    column and what to do, not a traceback (and not the whole bank, silently)."""
    from sharewise.store.training import SessionFiles, training_folder

    files = SessionFiles(training_folder(tmp_path))
    files.choose(SESSION, [COURT])
    assert files.chosen(SESSION) == [COURT]
    assert files.chosen("Another session") == []
    kept = files.set_path(SESSION)
    kept.write_text('{"session": "Year 7 team",\n  "scenarios": [oops]}\n')
    argv = ["--data-dir", str(tmp_path), "train", "--plain", "--session", SESSION]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{kept}:2:17" in err
    assert "choose the scenarios again" in err and "Traceback" not in err
