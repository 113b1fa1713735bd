"""The UI's first screen against a bare Textual app showing one label, start to first paint."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

from bench.figures import Figure, attempt, mib, ms
from bench.measure import child_env, compare, fresh_dir, paired_ratio

PROBE = str(Path(__file__).with_name("tui_probe.py"))
NAME = "UI first screen (Home), start to first paint"
GOAL = "≤ 1.5x"


def first_screen(repeats: int) -> Figure:
    for module, what in (("sharewise.tui.app", "the UI"), ("sharewise.tui.screens.home", "Home")):
        try:
            found = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            found = None
        if found is None:
            return Figure.unavailable(NAME, GOAL, f"{what} ({module}) has not landed")
    data = fresh_dir("data-tui")
    env = child_env(data, {"BENCH_TUI_SCREEN": "HomeScreen"})
    base_env = child_env(data, {"BENCH_TUI_SCREEN": ""})
    tgt, base = compare(
        [sys.executable, PROBE, "sharewise"],
        [sys.executable, PROBE, "bare"],
        repeats=repeats,
        env=env,
        baseline_env=base_env,
    )
    ratio = paired_ratio(tgt, base)
    return Figure(
        NAME,
        ms(tgt.median),
        f"bare Textual app, one label {ms(base.median)}",
        ratio,
        GOAL,
        ratio <= 1.5,
        f"{len(tgt.runs)} pairs, spread {tgt.spread:.0%} and {base.spread:.0%}; "
        f"headless 120x40, first frame rendered to terminal text; peak RSS "
        f"{mib(tgt.peak_rss_kib)} vs {mib(base.peak_rss_kib)}",
    )


RUNNING = "UI running (tree loaded), peak memory"


def running_memory(repeats: int) -> Figure:
    """Peak RSS of the running UI, ready to use (tree loaded, a second idle), against a bare
    Textual app showing one label (goal at most 1.5x)."""
    data = fresh_dir("data-tui")
    env = child_env(data, {"BENCH_TUI_SCREEN": "HomeScreen", "BENCH_TUI_READY": "1"})
    base_env = child_env(data, {"BENCH_TUI_SCREEN": "", "BENCH_TUI_READY": "1"})
    tgt, base = compare(
        [sys.executable, PROBE, "sharewise"],
        [sys.executable, PROBE, "bare"],
        repeats=repeats,
        warmup=1,
        env=env,
        baseline_env=base_env,
    )
    mine = statistics.median(r.max_rss_kib for r in tgt.runs)
    theirs = statistics.median(r.max_rss_kib for r in base.runs)
    return Figure(
        RUNNING,
        mib(int(mine)),
        f"bare Textual app, one label {mib(int(theirs))}",
        mine / theirs,
        GOAL,
        mine / theirs <= 1.5,
        f"{len(tgt.runs)} runs each; ready in {ms(tgt.median - 1.0)} (the second idle excluded)",
    )


def main(repeats: int = 9) -> list[Figure]:
    return [
        *attempt(NAME, GOAL, lambda: [first_screen(repeats)]),
        *attempt(RUNNING, GOAL, lambda: [running_memory(max(repeats // 3, 1))]),
    ]
