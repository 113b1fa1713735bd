"""A snapshot of the trainer's summary screen: table, charts and the questions to debrief.

The attempts are written out here, not decided on the shipped tree, so the picture changes
only when the screen does (update with --snapshot-update, then look at it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sharewise.domain.session import Answer, Attempt, Ending
from sharewise.domain.tree import Decision
from sharewise.store.training import SessionFiles
from sharewise.tui.app import create_app
from tests.tui.conftest import EXAMPLE_TREE, FakeStore, ready

Snap = Callable[..., bool]
SESSION = "Year 7 team"

DANGER = ("immediate_danger", "Is anyone in immediate danger?", "Danger comes first.")
WHO = ("identifiable", "Could it identify a living person?", "The law covers living people.")


def _answer(q: tuple[str, str, str], given: str | None, model: str) -> Answer:
    return Answer(
        fact=q[0], question=q[1], why=q[2],
        given=given, given_label=given and given.capitalize(),
        model=model, model_label=model.capitalize(),
    )  # fmt: skip


def _attempt(n: int, trainee: str, scenario: str, danger: str, who: str | None) -> Attempt:
    share = Ending(outcome="o1", decision=Decision.SHARE, title="Share", citations=["a", "b"])
    advice = Ending(outcome="o2", decision=Decision.SEEK_ADVICE, title="Ask", citations=["c"])
    return Attempt(
        id=f"attempt-{n}", session=SESSION, trainee=trainee,
        at=dt.datetime(2026, 12, 1, 9, n, tzinfo=dt.UTC),
        scenario=scenario, scenario_title=f"The {scenario} case",
        theme="Critical thinking and challenge",
        tree="england", tree_version="1", tree_sha256="0" * 64,
        trainee_ending=share if danger == "no" else advice, model_ending=share,
        answers=[_answer(DANGER, danger, "no"), _answer(WHO, who, "yes")],
        model_path=["immediate_danger", "identifiable"],
    )  # fmt: skip


def test_session_summary(snap_compare: Snap, tmp_path: Path) -> None:
    files = SessionFiles(tmp_path / "training")
    rows = [
        ("Ann", "first", "no", "yes"),
        ("Ben", "first", "unsure", None),
        ("Cat", "first", "no", "yes"),
        ("Ann", "second", "no", "yes"),
        ("Ben", "second", "no", "yes"),
        ("Cat", "second", "unsure", None),
    ]
    for n, row in enumerate(rows):
        files.add(_attempt(n, *row))
    app = create_app(tmp_path, EXAMPLE_TREE, store=FakeStore(), training="")
    app.training_session, app.trainee = SESSION, "Ann"

    async def summary(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await ready(pilot)

    assert snap_compare(app, terminal_size=(110, 60), run_before=summary)
