"""The IG lead's dashboard at 100,000 records: opening it, and applying a filter.

Opening is measured from pushing the screen to its figures being shown (the ledger read
compactly, counted, the charts and tables mounted), in a headless app; a filter from the
decision being chosen to the new figures shown. The baselines do the same reading and
counting with nothing of ours: sqlite3 and orjson reading every stored body and counting the
decisions (the floor of any count over the ledger), and a plain Python pass over the same
number of small tuples (the floor of counting again in memory).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.figures import Figure, attempt, ms
from bench.measure import ROOT

OPEN = "dashboard: open, figures shown"
FILTER = "dashboard: a filter applied, figures shown again"
GOAL = "< 0.5 s"


def _sqlite_orjson_floor(data_dir: Path) -> float:
    import sqlite3

    import orjson

    from sharewise.store import ledger_path

    start = time.perf_counter()
    conn = sqlite3.connect(ledger_path(data_dir))
    counts: Counter[str] = Counter()
    for (body,) in conn.execute("SELECT body FROM entries ORDER BY seq"):
        counts[orjson.loads(body).get("decision")] += 1
    conn.close()
    return time.perf_counter() - start


def _memory_floor(size: int) -> float:
    rows = [("share" if i % 3 else "seek_advice", f"2026-{i % 12 + 1:02d}") for i in range(size)]
    start = time.perf_counter()
    counts: Counter[tuple[str, str]] = Counter()
    for decision, month in rows:
        if decision == "share":
            counts[("decision", decision)] += 1
            counts[("month", month)] += 1
    return time.perf_counter() - start


async def _until(pilot: Any, done: Any, limit: float = 600.0) -> float:
    start = time.perf_counter()
    while not done():
        await asyncio.sleep(0.005)
        if time.perf_counter() - start > limit:
            raise TimeoutError("the dashboard did not show its figures")
    await pilot.pause()
    return time.perf_counter() - start


async def _measure(data_dir: Path) -> tuple[float, float]:
    from textual.widgets import Select

    from sharewise.tui.app import create_app
    from sharewise.tui.screens.dashboard import DashboardScreen

    tree = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
    app = create_app(data_dir, tree)
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.pause()
        screen = DashboardScreen()
        start = time.perf_counter()
        app.push_screen(screen)
        await _until(pilot, lambda: screen.figures is not None and screen.query(".dash-table"))
        opened = time.perf_counter() - start
        before = screen.figures
        start = time.perf_counter()
        screen.query_one("#dash-decision", Select).value = "share_urgently"
        await _until(pilot, lambda: screen.figures is not before)
        filtered = time.perf_counter() - start
    return opened, filtered


def dashboard(size: int, repeats: int, data_dir: Path | None = None) -> list[Figure]:
    """`data_dir`: an existing ledger of `size` records (default: bench_records' cached one,
    built through the store if missing)."""
    from bench.bench_records import ledger_dir

    data_dir = data_dir or ledger_dir(size)
    from sharewise.reports.figures_cache import FILE_NAME
    from sharewise.store import ledger_path

    cache = ledger_path(data_dir).parent / FILE_NAME
    # The first open reads the whole ledger into the figures' cache; later ones bring it
    # up to date (nothing to add here) and count from it. Both are reported.
    cache.unlink(missing_ok=True)
    cold, _ = asyncio.run(_measure(data_dir))
    opens, filters, floors, memory = [], [], [], []
    for _ in range(repeats):
        opened, filtered = asyncio.run(_measure(data_dir))
        opens.append(opened)
        filters.append(filtered)
        floors.append(_sqlite_orjson_floor(data_dir))
        memory.append(_memory_floor(size))
    o, f = statistics.median(opens), statistics.median(filters)
    floor, mem = statistics.median(floors), statistics.median(memory)
    return [
        Figure(
            f"{OPEN} the first time (its cache built), {size:,} records",
            ms(cold),
            f"sqlite3 + orjson reading every body, counting decisions {ms(floor)}",
            cold / floor,
            "once per ledger (no goal)",
            True,
            "1 run, headless 130x50, from push to tables mounted, no cache file beforehand",
        ),
        Figure(
            f"{OPEN}, {size:,} records",
            ms(o),
            f"sqlite3 + orjson reading every body, counting decisions {ms(floor)}",
            o / floor,
            GOAL,
            o < 0.5,
            f"{repeats} run(s), headless 130x50, from push to tables mounted, the "
            "figures' cache up to date",
        ),
        Figure(
            f"{FILTER}, {size:,} records",
            ms(f),
            f"a Python pass over {size:,} tuples, counting two keys {ms(mem)}",
            f / mem if mem else None,
            GOAL,
            f < 0.5,
            f"{repeats} run(s); the decision filter, counted again from the cache",
        ),
    ]


def main(repeats: int = 3, size: int = 100_000) -> list[Figure]:
    return attempt(OPEN, GOAL, lambda: dashboard(size, repeats))
