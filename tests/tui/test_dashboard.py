"""The IG lead's dashboard: opened from home and the palette, filtered, every figure opening
the records behind it, and loud about a broken chain. Figures come from the ledger built
from the scenario bank, compared with the store's own count."""

from __future__ import annotations

import gc
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from sharewise.reports import figures as F
from sharewise.store import ledger_path, open_ledger
from sharewise.tui.app import SharewiseApp
from sharewise.tui.screens.dashboard import DashboardScreen
from sharewise.tui.screens.records import RecordsScreen
from sharewise.tui.widgets.figure_table import FigureTable
from tests.store.ledger_harness import make_details, make_result
from tests.tui.conftest import ready

SIZE = (130, 50)


@pytest.fixture
def filled(bank_dir: Path, data_dir: Path) -> Path:
    shutil.copytree(bank_dir, data_dir, dirs_exist_ok=True)
    return data_dir


def figures(data_dir: Path, scope: F.Scope) -> F.Figures:
    with open_ledger(data_dir, create=False) as ledger:
        return F.count(ledger.backend, scope)


async def open_dashboard(pilot: Any) -> DashboardScreen:
    """The dashboard once settled: its figures shown and the chain's check started (after
    the first paint, so `ready` alone may return before that check's worker exists)."""
    await ready(pilot)
    await pilot.press("d")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    for _ in range(100):
        if screen.settled and screen.query("#dash-reviewed"):  # the last thing before it
            break
        await pilot.pause(0.02)
    await pilot.pause()
    await ready(pilot)
    return screen


def status(screen: DashboardScreen) -> str:
    return str(screen.query_one("#dashboard-status", Static).render())


def cells(screen: DashboardScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", FigureTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def in_order(screen: DashboardScreen) -> None:
    """What a filter left on screen is what a fresh mount of its parts would show, in order
    (a filter removes and mounts only the parts that differ)."""
    body = screen.query_one("#dashboard-body")
    assert list(body.children) == screen._mounted
    assert screen.figures is not None
    fresh = [shape for shape, _ in screen._parts(screen.figures)]
    assert fresh == screen._shapes
    for widget, (kind, ident) in zip(body.children, fresh, strict=True):
        if kind in ("table", "cells"):
            assert widget.id == ident
        elif kind == "label":
            assert str(widget.render()) == ident


async def test_opens_from_home_with_the_ledgers_figures(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    want = figures(filled, F.Scope())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert f"{want.total:,} record(s)" in status(screen)
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert overview["Records in the period"] == f"{want.total:,}"
        assert overview["Shared without consent being sought"] == str(want.count(F.WITHOUT_CONSENT))
        assert overview["Records due for review"] == str(want.count(F.DUE))
        decisions = [int(r[1]) for r in cells(screen, "dash-table-decision")]
        assert decisions == [n for _, n in want.by(F.DECISION)]
        # Law by its title, never a bare id.
        basis = [r[0] for r in cells(screen, "dash-table-basis")]
        assert basis and all(" " in label and "." not in label.split()[0] for label in basis)
        assert screen.query(".dash-chart")  # charts drawn
        assert "intact" in str(screen.query_one("#dashboard-chain", Static).render())


async def test_opens_from_the_command_palette(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Dashboard")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_filters_count_again(make_app: Callable[..., SharewiseApp], filled: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        screen.query_one("#dash-decision", Select).value = "share"
        await ready(pilot)
        want = figures(filled, F.Scope(decision="share"))
        assert f"{want.total:,} record(s)" in status(screen) and want.total > 0
        # the tables show the filtered figures too, not only the status line
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert overview["Records in the period"] == f"{want.total:,}"
        assert overview["Records due for review"] == str(want.count(F.DUE))
        for table, figure in (("team", F.TEAM), ("sharer", F.SHARER), ("review", F.REVIEW)):
            shown = [int(r[1]) for r in cells(screen, f"dash-table-{table}")]
            assert shown == [n for _, n in want.by(figure)], table
        in_order(screen)
        screen.query_one("#dash-decision", Select).clear()
        screen.query_one("#dash-emergency", Select).value = "yes"
        screen.query_one("#dash-from", Input).value = "2026-09-01"
        screen.query_one("#dash-from", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        want = figures(filled, F.Scope(date_from=F.dt.date(2026, 9, 1), emergency=True))
        assert f"{want.total:,} record(s)" in status(screen)
        in_order(screen)
        screen.query_one("#dash-team", Input).value = "Nobody's Team"
        screen.query_one("#dash-team", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert "No records" in status(screen)


async def test_reading_again_updates_the_figures_in_place(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    """A filter or a fresh read that leaves the same sections updates the tables and charts
    where they are (mounting them anew is what a filter used to wait for), with the new
    figures in them."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        table = screen.query_one("#dash-table-overview", FigureTable)
        with open_ledger(filled, create=False) as ledger:
            ledger.record_decision(make_result(), make_details("CS-NEW-1"))
        await pilot.press("g")
        await ready(pilot)
        assert screen.query_one("#dash-table-overview", FigureTable) is table
        want = figures(filled, F.Scope())
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert overview["Records in the period"] == f"{want.total:,}"
        assert f"{want.total:,} record(s)" in status(screen)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("2026-02-30", "", "write a real date"), ("2026-09-01", "2026-08-01", "swap the two dates")],
)
async def test_impossible_dates_are_explained(
    make_app: Callable[..., SharewiseApp], filled: Path, start: str, end: str, message: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        before = cells(screen, "dash-table-overview")
        screen.query_one("#dash-from", Input).value = start
        screen.query_one("#dash-to", Input).value = end
        screen.query_one("#dash-to", Input).focus()
        await pilot.press("enter")
        await ready(pilot)
        assert message in status(screen)
        assert cells(screen, "dash-table-overview") == before  # the figures stay


async def test_a_figure_opens_the_records_behind_it(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.held is not None
        table = screen.query_one("#dash-table-decision", FigureTable)
        table.focus()
        await pilot.press("down")  # the second decision
        await pilot.press("enter")
        await ready(pilot)
        records = app.screen
        assert isinstance(records, RecordsScreen) and records.behind is not None
        key = screen.keys["dash-table-decision"]["1"]
        want = screen.held.behind(F.Scope(), key)
        shown = sorted(e.seq for e in records.entries.values())
        assert shown == want and len(want) == int(cells(screen, "dash-table-decision")[1][1])
        await pilot.press("escape")
        await ready(pilot)
        assert app.screen is screen


async def test_a_question_cell_opens_its_records(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        rows = cells(screen, "dash-table-questions")
        at = next(i for i, row in enumerate(rows) if int(row[1]) > 0)  # a "not sure" count
        table = screen.query_one("#dash-table-questions", FigureTable)
        table.focus()
        await pilot.press(*["down"] * at, "right", "enter")
        await ready(pilot)
        records = app.screen
        assert isinstance(records, RecordsScreen) and records.behind is not None
        assert len(records.entries) == int(rows[at][1])
        assert "Not sure" in records.behind.title and rows[at][0] in records.behind.title
        await pilot.press("escape")
        await ready(pilot)
        at = next(i for i, row in enumerate(rows) if int(row[3]) > 0)  # a "changed" count
        table = screen.query_one("#dash-table-questions", FigureTable)
        table.focus()
        table.move_cursor(row=at, column=3)
        await pilot.press("enter")
        await ready(pilot)
        records = app.screen
        assert isinstance(records, RecordsScreen) and records.behind is not None
        assert len(records.entries) == int(rows[at][3]) and "Changed" in records.behind.title


async def test_empty_ledger(make_app: Callable[..., SharewiseApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert "No records" in status(screen)
        assert "intact" in str(screen.query_one("#dashboard-chain", Static).render())


async def test_a_broken_chain_is_shown_loudly(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    conn = sqlite3.connect(ledger_path(filled))
    for (name,) in list(conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(
        "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'Yes', 'No') AS BLOB)"
        " WHERE seq = 7"
    )
    conn.execute("UPDATE entries SET body = CAST('{broken' AS BLOB) WHERE seq = 9")
    conn.commit()
    conn.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        banner = screen.query_one("#dashboard-chain", Static)
        text = str(banner.render())
        assert "BROKEN" in text and banner.has_class("-error")
        affected = text.split("Entries affected: ")[1].split(".")[0]
        assert "7" in affected.split(", ") and "9" in affected.split(", ")
        # The figures are still shown, and the unreadable entry is named.
        assert screen.query_one("#dash-table-overview", FigureTable).row_count
        assert "could not be read" in str(screen.query_one(".dash-alarm", Static).render())


async def test_filters_chosen_quickly_show_the_last_ones(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    """Counting is in a worker: a count for filters changed since it started is never shown
    (nor left on screen), whatever order the workers end in."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        decision = screen.query_one("#dash-decision", Select)
        decision.value = "share"
        decision.value = "seek_advice"
        await ready(pilot)
        want = figures(filled, F.Scope(decision="seek_advice"))
        assert screen.figures is not None and screen.figures.scope.decision == "seek_advice"
        assert f"{want.total:,} record(s)" in status(screen)
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert overview["Records in the period"] == f"{want.total:,}"


async def test_painting_and_garbage_collection_resume_once_the_figures_are_shown(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    """The first paint waits for the figures, and the cyclic collector is held off until
    they are shown: both must be back on afterwards, and when the screen is left."""
    assert gc.isenabled()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.figures is not None and screen.settled
        assert gc.isenabled() and not app._batch_count
        screen.query_one("#dash-decision", Select).value = "share"
        await ready(pilot)
        assert gc.isenabled() and not app._batch_count
        await pilot.press("escape")
        await ready(pilot)
        assert not isinstance(app.screen, DashboardScreen)
        assert gc.isenabled() and not app._batch_count


def _tamper_consent(data_dir: Path, seq: int) -> None:
    """Entry `seq`'s body edited in place, its stored hash left alone, as someone with the
    database file would: every guard dropped, "consent sought" turned from yes to no."""
    conn = sqlite3.connect(ledger_path(data_dir))
    for (name,) in list(conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")):
        conn.execute(f"DROP TRIGGER {name}")
    (body,) = conn.execute("SELECT body FROM entries WHERE seq = ?", (seq,)).fetchone()
    text = bytes(body).decode()
    assert '"consent":{"sought":true' in text
    changed = text.replace('"consent":{"sought":true', '"consent":{"sought":false', 1)
    conn.execute("UPDATE entries SET body = ? WHERE seq = ?", (changed.encode(), seq))
    conn.commit()
    conn.close()


def _report_rows(data_dir: Path) -> dict[str, str]:
    """`audit report`'s overview (the board paper counts from the ledger itself)."""
    import csv

    from sharewise.cli import main

    out = data_dir.parent / "report.csv"
    args = ["--data-dir", str(data_dir), "audit", "report", "--format", "csv", "--out", str(out)]
    assert main(args) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()))
    return {r[1]: f"{int(r[3]):,}" for r in rows[1:] if r[0] == "Overview"}


async def test_a_body_edited_in_place_after_the_cache_shows_the_ledgers_figures(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    """The cache checks the last entry it read, not the bodies before it: an earlier body
    edited in place (its hash left alone) passes. The chain's check finds it, and the
    figures under the banner are then the ledger's as it now is, as `audit report` counts
    them, not the cache's; no cache is kept from the broken ledger."""
    from sharewise.reports.figures_cache import FILE_NAME

    cache = ledger_path(filled).parent / FILE_NAME
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        before = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
    assert cache.exists()
    _tamper_consent(filled, 12)
    report = _report_rows(filled)
    without = "Shared without consent being sought"
    assert int(report[without]) == int(before[without]) + 1  # the edit shows in the paper
    for _ in range(2):  # the first opening after the edit, and the one after that
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_dashboard(pilot)
            await ready(pilot)
            banner = screen.query_one("#dashboard-chain", Static)
            assert "BROKEN" in str(banner.render()) and banner.has_class("-error")
            overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
            assert overview[without] == report[without]
            assert {k: overview.get(k) for k in report} == report
            assert screen.held is not None and screen.figures is not None
            assert screen.figures.count(F.WITHOUT_CONSENT) == int(report[without])
            assert status(screen).startswith(f"{report['Records in the period']} record(s)")
            # g (Read again) on a broken chain reads the ledger, not a cache built from it
            await pilot.press("g")
            await ready(pilot)
            again = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
            assert again[without] == report[without]
        assert not (cache.exists() and _cache_rows(cache))  # no cache from a broken ledger


def _cache_rows(cache: Path) -> int:
    conn = sqlite3.connect(cache)
    try:
        (n,) = conn.execute("SELECT count(*) FROM rec").fetchone()
    finally:
        conn.close()
    return int(n)


async def test_a_cache_no_check_vouched_for_is_counted_again_from_the_ledger(
    make_app: Callable[..., SharewiseApp], filled: Path
) -> None:
    """A cache read from a tampered ledger by a session that closed before its chain check
    ended, the ledger then restored from its backup: the last entry's hash matches again and
    the chain is intact, yet the cache counts the edit. It was never vouched for, so once
    the check ends the figures are read again from the ledger."""
    from sharewise.reports.figures_cache import FILE_NAME, cached

    ledger_file = ledger_path(filled)
    backup = ledger_file.with_name("backup.sqlite3")
    shutil.copy2(ledger_file, backup)
    _tamper_consent(filled, 12)
    tampered = _report_rows(filled)
    with open_ledger(filled, create=False) as ledger:  # the session that never checked
        cached(ledger.backend, ledger_file.parent)
    shutil.copy2(backup, ledger_file)  # restored from the backup
    report = _report_rows(filled)
    without = "Shared without consent being sought"
    assert tampered[without] != report[without]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        await ready(pilot)
        banner = screen.query_one("#dashboard-chain", Static)
        assert "intact" in str(banner.render()) and not banner.has_class("-error")
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert {k: overview.get(k) for k in report} == report
    assert _cache_rows(ledger_file.parent / FILE_NAME)  # rebuilt, and kept
