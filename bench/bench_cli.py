"""Command-line start-up: `--version`, `decide --facts` and `tree check`, against baselines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from bench.figures import Figure, attempt, ms
from bench.measure import (
    ROOT,
    NotAvailable,
    Series,
    child_env,
    compare,
    fresh_dir,
    paired_ratio,
    sharewise_command,
)

SHIPPED = ROOT / "decision_trees"
TREE = SHIPPED / "england.yaml"
IMPORTS = "import pydantic, yaml, networkx"


SCENARIO = "child-disclosure-at-school.yaml"  # the same one every run, while it is shipped


def _scenario() -> Path:
    """A shipped scenario file (a facts file with its expected outcome)."""
    found = sorted((SHIPPED / "scenarios").glob("**/*.yaml"))
    if not found:
        raise NotAvailable("no scenario file in decision_trees/scenarios/")
    return next((f for f in found if f.name == SCENARIO), found[0])


def _shipped_tree() -> Path:
    if not TREE.exists():
        raise NotAvailable("decision_trees/england.yaml has not landed")
    return TREE


def _noise(tgt: Series, base: Series) -> str:
    return f"{len(tgt.runs)} pairs; spread (IQR/median) {tgt.spread:.0%} and {base.spread:.0%}"


def version(repeats: int) -> Figure:
    """`sharewise --version` against `python -c pass` (goal at most 3x)."""
    env = child_env(fresh_dir("data-version"))
    tgt, base = compare(
        [*sharewise_command(), "--version"],
        [sys.executable, "-c", "pass"],
        repeats=repeats,
        env=env,
    )
    ratio = paired_ratio(tgt, base)
    return Figure(
        "`sharewise --version`",
        ms(tgt.median),
        f"`python -c pass` {ms(base.median)}",
        ratio,
        "≤ 3x",
        ratio <= 3.0,
        _noise(tgt, base),
    )


def decide(repeats: int, *, cold: bool = False) -> Figure:
    """`decide --facts` on the shipped tree and a shipped scenario, against importing the
    three libraries it needs (goal at most 1.5x). Cold: with the tree cache off, as on the
    first run after installing or changing a tree (reported, no goal)."""
    name = "`decide --facts` (England tree, shipped scenario)"
    goal = "≤ 1.5x"
    if cold:
        name, goal = "`decide --facts`, first run (tree cache off)", "(no goal: reported)"
    try:
        tree, scenario = _shipped_tree(), _scenario()
    except NotAvailable as exc:
        return Figure.unavailable(name, goal, str(exc))
    env = child_env(fresh_dir("data-decide"), {"SHAREWISE_CACHE_DIR": "off"} if cold else None)
    argv = [*sharewise_command(), "decide", "--tree", str(tree), "--facts", str(scenario)]
    tgt, base = compare(argv, [sys.executable, "-c", IMPORTS], repeats=repeats, env=env)
    ratio = paired_ratio(tgt, base)
    return Figure(
        name,
        ms(tgt.median),
        f'`python -c "{IMPORTS}"` {ms(base.median)}',
        ratio,
        goal,
        None if cold else ratio <= 1.5,
        f"scenario {scenario.relative_to(ROOT)}; {_noise(tgt, base)}",
    )


def tree_check(repeats: int) -> Figure:
    """`tree check` of the shipped tree with every invariant (goal under 0.5 s)."""
    name = "`tree check` (England tree, every invariant)"
    goal = "< 0.5 s"
    try:
        tree = _shipped_tree()
        if importlib.util.find_spec("sharewise.domain.invariants") is None:
            raise NotAvailable("sharewise.domain.invariants has not landed")
    except NotAvailable as exc:
        return Figure.unavailable(name, goal, str(exc))
    env = child_env(fresh_dir("data-check"))
    argv = [*sharewise_command(), "tree", "check", str(tree)]
    tgt, base = compare(argv, [sys.executable, "-c", IMPORTS], repeats=repeats, env=env)
    return Figure(
        name,
        ms(tgt.median),
        f'`python -c "{IMPORTS}"` {ms(base.median)}',
        paired_ratio(tgt, base),
        goal,
        tgt.median < 0.5,
        _noise(tgt, base),
    )


def main(repeats: int = 15) -> list[Figure]:
    return [
        *attempt("`sharewise --version`", "≤ 3x", lambda: [version(repeats)]),
        *attempt("`decide --facts`", "≤ 1.5x", lambda: [decide(repeats)]),
        *attempt("`decide --facts`, cold", "", lambda: [decide(max(repeats // 2, 1), cold=True)]),
        *attempt("`tree check`", "< 0.5 s", lambda: [tree_check(max(repeats // 2, 3))]),
    ]
