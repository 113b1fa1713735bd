"""Snapshots of the IG lead's dashboard over the scenario bank's ledger, in the default and
the high-contrast themes: the figures, the law by its titles, the charts readable without
colour. The day the figures are counted at is fixed, so records fall due the same way on
any day the test runs. Read the pictures after any `--snapshot-update`."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from bank_ledger import TODAY

from sharewise import paths
from sharewise.reports import figures as F
from sharewise.tui.app import create_app
from sharewise.tui.screens.dashboard import DashboardScreen
from tests.tui.conftest import ready

Snap = Callable[..., bool]
SIZE = (130, 60)


async def open_dashboard(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("d")
    for _ in range(200):  # the figures, then the chain's check (its own process)
        await ready(pilot)
        screen = pilot.app.screen
        if isinstance(screen, DashboardScreen) and screen.figures and screen.settled:
            chain = str(screen.query_one("#dashboard-chain").render())
            if "Checking" not in chain:
                break
        await pilot.pause(0.05)
    await pilot.pause()


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
def test_dashboard(
    snap_compare: Snap, bank_dir: Path, tmp_path: Path, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(F, "today", lambda: TODAY)
    data = tmp_path / "data"
    shutil.copytree(bank_dir, data)
    app = create_app(data, str(paths.default_tree_path()), theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_dashboard)
