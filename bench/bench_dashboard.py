"""The IG lead's dashboard at 100,000 records: opening it, and applying a filter.

Each run is a fresh interpreter running the app headless at 130x50, as an IG lead starts
sharewise: once the home screen is ready (the tree loaded, nothing running), `d` is pressed,
and the clock runs from that key to the first frame the app sends to its terminal (forced
to terminal text, as bench/tui_probe.py does, since a headless app skips that step) that
shows the figures: the status line with the number of records, and the overview table.
So the opening includes importing the dashboard's code, reading the figures' cache (brought
up to date), counting, and laying out and drawing the screen.

What that first frame does not hold, said plainly: the charts. Each chart's place is kept
(its height reserved) and says "Drawing the chart…"; the charts in view are drawn just after
(textual-plotext is imported then, the first time), and the time to the frame showing them
is reported in the notes. The filter bar's three drop-down lists are put in just after the
figures too, and the ledger's hash chain is checked (its own process) after that.

A filter is timed from the decision being chosen to the first frame showing the new figures
(the same two marks), with the chain's check finished; the same filter chosen while the
check is still running is in the notes.

The baselines do the same reading and counting with nothing of ours: sqlite3 and orjson
reading every stored body and counting the decisions (the floor of any count over the
ledger), and a plain Python pass over the same number of small tuples (the floor of
counting again in memory).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.figures import Figure, attempt, ms
from bench.measure import ROOT, child_env

OPEN = "dashboard: open, figures shown"
FILTER = "dashboard: a filter applied, figures shown again"
GOAL = "< 0.5 s"
SIZE = (130, 50)


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


# -- in the child: the app, its frames, and the clock ----------------------------------------


class _Frames:
    """Every frame the app sends to its terminal: when (wall and CPU), the screen's state
    then, and its text."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[dict[str, Any]] = []
        self._display = app._display
        app._display = self._hook

    def _hook(self, screen: Any, renderable: Any) -> None:
        self._display(screen, renderable)
        if renderable is None or self.app._batch_count:
            return
        render = getattr(renderable, "render_segments", None)
        text = render(self.app.console) if render is not None else ""
        self.seen.append(
            {
                "at": time.perf_counter(),
                "cpu": time.process_time(),
                "screen": screen,
                "figures": getattr(screen, "figures", None),
                "charts": _charts_drawn(screen),
                "text": text,
            }
        )

    def first(self, since: int, test: Any) -> dict[str, Any] | None:
        return next((f for f in self.seen[since:] if test(f)), None)


def _charts_drawn(screen: Any) -> bool | None:
    """Whether every chart in view is drawn (None: no dashboard, or no chart in view)."""
    from sharewise.tui.screens.dashboard import DashboardScreen
    from sharewise.tui.widgets.bar_chart import ChartSlot

    if not isinstance(screen, DashboardScreen):
        return None
    slots = [w for w in screen._compositor.visible_widgets if isinstance(w, ChartSlot)]
    if not slots:
        return None
    return all(s.chart is not None and not s.chart.waiting for s in slots)


def _shows(frame: dict[str, Any], figures: Any) -> bool:
    """The frame shows these figures: the status line's count and the overview table."""
    return (
        frame["figures"] is figures
        and f"{figures.total:,} record(s)" in frame["text"]
        and "Records in the period" in frame["text"]
    )


async def _until(test: Any, limit: float = 600.0) -> None:
    start = time.perf_counter()
    while not test():
        await asyncio.sleep(0.005)
        if time.perf_counter() - start > limit:
            raise TimeoutError("the dashboard did not show its figures")


async def _measure(data_dir: Path) -> dict[str, float]:
    from textual.widgets import Select

    from sharewise.tui.app import create_app

    tree = str(ROOT / "tests" / "fixtures" / "trees" / "example.yaml")
    app = create_app(data_dir, tree)
    frames = _Frames(app)
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: app.decision_tree is not None or app.tree_error is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await asyncio.sleep(0.2)  # idle, as a person is before pressing a key
        mark, start, cpu = len(frames.seen), time.perf_counter(), time.process_time()
        await pilot.press("d")

        def opened() -> dict[str, Any] | None:
            figures = getattr(app.screen, "figures", None)
            return None if figures is None else frames.first(mark, lambda f: _shows(f, figures))

        await _until(lambda: opened() is not None)
        frame = opened()
        assert frame is not None
        out["open"], out["open_cpu"] = frame["at"] - start, frame["cpu"] - cpu
        screen = app.screen
        await _until(lambda: getattr(screen, "settled", False))
        try:
            await _until(lambda: frames.first(mark, lambda f: f["charts"]) is not None, 60)
        except TimeoutError:
            out["charts"] = -1.0  # no chart in view (a ledger too small to chart)
        else:
            drawn = frames.first(mark, lambda f: f["charts"])
            assert drawn is not None
            out["charts"] = drawn["at"] - start

        async def choose(decision: str) -> tuple[float, float]:
            await pilot.pause()
            before = screen.figures
            mark, start, cpu = len(frames.seen), time.perf_counter(), time.process_time()
            screen.query_one("#dash-decision", Select).value = decision

            def shown() -> dict[str, Any] | None:
                now = screen.figures
                if now is before or now is None or now.scope.decision != decision:
                    return None
                return frames.first(mark, lambda f: _shows(f, now))

            await _until(lambda: shown() is not None)
            frame = shown()
            assert frame is not None
            return frame["at"] - start, frame["cpu"] - cpu

        checking = bool(app.workers._workers)  # the chain's check, most likely still running
        out["filter_checking"], _ = await choose("share")
        out["checking"] = float(checking)
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["filter"], out["filter_cpu"] = await choose("share_urgently")
    return out


def _child(data_dir: str) -> None:
    print(json.dumps(asyncio.run(_measure(Path(data_dir)))))


def _run(data_dir: Path) -> dict[str, float]:
    """One opening and its filters, in a fresh interpreter."""
    code = f"from bench.bench_dashboard import _child; _child({str(data_dir)!r})"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise RuntimeError("the dashboard's run failed: " + " / ".join(tail))
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


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
    load = [os.getloadavg()[0]]
    cold = _run(data_dir)
    runs, floors, memory = [], [], []
    for _ in range(repeats):
        runs.append(_run(data_dir))
        floors.append(_sqlite_orjson_floor(data_dir))
        memory.append(_memory_floor(size))
    load.append(os.getloadavg()[0])

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    o, f = med("open"), med("filter")
    floor, mem = statistics.median(floors), statistics.median(memory)
    each = ", ".join(ms(r["open"]) for r in runs)
    during = ", ".join(ms(r["filter_checking"]) for r in runs if r["checking"])
    busy = f"load average {load[0]:.1f} to {load[1]:.1f}"
    return [
        Figure(
            f"{OPEN} the first time (its cache built), {size:,} records",
            ms(cold["open"]),
            f"sqlite3 + orjson reading every body, counting decisions {ms(floor)}",
            cold["open"] / floor,
            "once per ledger (no goal)",
            True,
            "1 run, no cache file beforehand; from the key `d` to the figures' frame",
        ),
        Figure(
            f"{OPEN}, {size:,} records",
            ms(o),
            f"sqlite3 + orjson reading every body, counting decisions {ms(floor)}",
            o / floor,
            GOAL,
            o < 0.5,
            f"{repeats} run(s), each a fresh app, headless {SIZE[0]}x{SIZE[1]}, the figures' "
            f"cache up to date; from the key `d` to the first frame sent to the terminal "
            f"showing the figures ({each}; CPU {ms(med('open_cpu'))}); the charts in view "
            f"are drawn after that frame, at {ms(med('charts'))}; {busy}",
        ),
        Figure(
            f"{FILTER}, {size:,} records",
            ms(f),
            f"a Python pass over {size:,} tuples, counting two keys {ms(mem)}",
            f / mem if mem else None,
            GOAL,
            f < 0.5,
            f"{repeats} run(s); a decision chosen, to the first frame showing its figures "
            f"(CPU {ms(med('filter_cpu'))}); charts drawn after; the chain's check done"
            + (f" (chosen while it ran: {during})" if during else ""),
        ),
    ]


def main(repeats: int = 3, size: int = 100_000) -> list[Figure]:
    return attempt(OPEN, GOAL, lambda: dashboard(size, repeats))
