"""The IG lead's dashboard over PostgreSQL after an entry's body is edited in place: no
figures cache is kept there (`LedgerStore.held` reads the ledger into memory), and the
figures under the chain's warning are the ledger's as it now is, as `audit report` counts
them. The SQLite half, where the cache is what had to change, is in test_dashboard.py."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from sharewise.cli import main
from sharewise.reports.figures import Held
from sharewise.tui.app import SharewiseApp
from tests.tui.test_dashboard import SIZE, cells, open_dashboard

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from tests.store.pg_harness import Cluster

    started = Cluster.start(Path())
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def bank_pg(cluster: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The scenario bank filed in a PostgreSQL database of its own, which the app reads."""
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from bank_ledger import build

    from tests.store.pg_harness import PostgresHarness

    harness = PostgresHarness(cluster)
    with harness.open() as ledger:
        build(ledger)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", harness.url)
    try:
        yield harness
    finally:
        harness.close()


def _report_rows(out: Path) -> dict[str, str]:
    assert main(["audit", "report", "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()))
    return {r[1]: f"{int(r[3]):,}" for r in rows[1:] if r[0] == "Overview"}


async def test_a_body_edited_in_place_shows_the_ledgers_figures_on_postgresql(
    make_app: Callable[..., SharewiseApp], bank_pg: Any, tmp_path: Path
) -> None:
    without = "Shared without consent being sought"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        before = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert isinstance(screen.held, Held)  # no cache on PostgreSQL
    bank_pg.drop_guards()
    ((body,),) = bank_pg.sql("SELECT body FROM entries WHERE seq = 12")
    assert b'"consent":{"sought":true' in body
    changed = body.replace(b'"consent":{"sought":true', b'"consent":{"sought":false', 1)
    bank_pg.sql("UPDATE entries SET body = ? WHERE seq = 12", (changed,))
    report = _report_rows(tmp_path / "report.csv")
    assert int(report[without]) == int(before[without]) + 1
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        banner = screen.query_one("#dashboard-chain", Static)
        assert "BROKEN" in str(banner.render()) and banner.has_class("-error")
        overview = dict((r[0], r[1]) for r in cells(screen, "dash-table-overview"))
        assert {k: overview.get(k) for k in report} == report
        shown = str(screen.query_one("#dashboard-status", Static).render())
        assert shown.startswith(f"{report['Records in the period']} record(s)"), shown
    assert not list(tmp_path.rglob("figures-cache.sqlite3"))
