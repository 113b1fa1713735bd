"""Command-line start-up: `--version`, `decide --facts` and `tree check`, against baselines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from bench.figures import Figure, attempt, ms
from bench.measure import (
    ROOT,
    WORK,
    NotAvailable,
    Series,
    child_env,
    compare,
    compile_package,
    fresh_dir,
    paired_ratio,
    run_once,
    sharewise_command,
)

SHIPPED = ROOT / "decision_trees"
TREE = SHIPPED / "england.yaml"
IMPORTS = "import pydantic, yaml, networkx"
#: The first round's floor for a warm `decide --facts` (what it imported then: the tree came
#: from the validated-tree cache, so networkx never loaded). Reported beside the real floor.
DECIDE_IMPORTS = "import pydantic, yaml"
#: Lines in the `decide --batch` benchmark: enough that start-up is a small part.
BATCH_LINES = 60_000


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


def _imports_of(argv: list[str], env: dict[str, str]) -> list[str]:
    """Every module not of ours that `argv` (a console script and its arguments) imports,
    read from `python -X importtime`: what an honest floor of its start-up imports."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-X", "importtime", *(argv[1:] if argv[0] == sys.executable else argv)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found: list[str] = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package" and not name.startswith("sharewise"):
                found.append(name)
    return list(dict.fromkeys(found))


# Imports each module the command imported, in the order it did (a name that does not
# exist here, such as Windows' `nt` that a library tries first, is skipped as it was there).
_IMPORT_FLOOR = """
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
"""

# `tree check`'s floor: what it imports, then the same file read and parsed by libyaml's C
# loader and its questions and outcomes counted, as the plainest script that could print
# "ok - N questions, M outcomes" would (without proving anything about the tree).
_PARSE_FLOOR = (
    _IMPORT_FLOOR.replace("sys.argv[1:]", "sys.argv[2:]")
    + """
import yaml
with open(sys.argv[1], "rb") as f:
    tree = yaml.load(f, Loader=yaml.CSafeLoader)
print(f"{sys.argv[1]}: ok - {len(tree['questions'])} questions, {len(tree['outcomes'])} outcomes")
"""
)


def decide(repeats: int, *, cold: bool = False) -> list[Figure]:
    """`decide --facts` on the shipped tree and a shipped scenario, against importing what
    it really imports (goal at most 1.5x). Warm, the compiled tree (`decide_cache`) means
    pydantic and networkx are not imported: the floor is every module not of ours that the
    warm run imports, listed by `python -X importtime` in the same run. Cold: with the tree
    cache off, as on the first run after installing or changing a tree (reported, no goal)."""
    name = "`decide --facts` (England tree, shipped scenario)"
    goal = "≤ 1.5x"
    if cold:
        name, goal = "`decide --facts`, first run (tree cache off)", "(no goal: reported)"
    try:
        tree, scenario = _shipped_tree(), _scenario()
    except NotAvailable as exc:
        return [Figure.unavailable(name, goal, str(exc))]
    env = child_env(fresh_dir("data-decide"), {"SHAREWISE_CACHE_DIR": "off"} if cold else None)
    argv = [*sharewise_command(), "decide", "--tree", str(tree), "--facts", str(scenario)]
    if cold:
        tgt, base = compare(argv, [sys.executable, "-c", IMPORTS], repeats=repeats, env=env)
        ratio = paired_ratio(tgt, base)
        return [
            Figure(
                name,
                ms(tgt.median),
                f'`python -c "{IMPORTS}"` (what it imports) {ms(base.median)}',
                ratio,
                goal,
                None,
                f"scenario {scenario.relative_to(ROOT)}; {_noise(tgt, base)}",
            )
        ]
    run_once(argv, env)  # leaves the compiled tree behind
    modules = _imports_of(argv, env)
    heavy = [m for m in ("pydantic", "networkx") if m in modules]
    floor = [sys.executable, "-c", _IMPORT_FLOOR, *modules]
    yaml_only = [sys.executable, "-c", "import yaml"]
    old_floor = [sys.executable, "-c", DECIDE_IMPORTS]
    tgt, base = compare(argv, floor, repeats=repeats, env=env)
    ratio = paired_ratio(tgt, base)
    # The same run, two more baselines for the reader: the yaml library alone (all the
    # warm path needs that is not the standard library) and the first round's floor.
    yaml_t, yaml_b = compare(argv, yaml_only, repeats=repeats, env=env, warmup=1)
    old_t, old_b = compare(argv, old_floor, repeats=repeats, env=env, warmup=1)
    third = sorted({m.split(".")[0] for m in modules} - set(sys.stdlib_module_names))
    return [
        Figure(
            name,
            ms(tgt.median),
            f"importing the {len(modules)} modules it imports, none of ours "
            f"(from `python -X importtime`; not the standard library: {', '.join(third)}) "
            f"{ms(base.median)}",
            ratio,
            goal,
            ratio <= 1.5 and not heavy,
            f"scenario {scenario.relative_to(ROOT)}; {_noise(tgt, base)}"
            + (f"; IMPORTS {', '.join(heavy)}" if heavy else "; neither pydantic nor networkx"),
        ),
        Figure(
            "`decide --facts` warm, against `import yaml` alone",
            ms(yaml_t.median),
            f'`python -c "import yaml"` {ms(yaml_b.median)}',
            paired_ratio(yaml_t, yaml_b),
            "(reported)",
            None,
            "the standard library modules it imports (argparse, dataclasses, json, hashlib, "
            f"pathlib, typing) counted as ours; {_noise(yaml_t, yaml_b)}",
        ),
        Figure(
            f"`decide --facts` warm, against the first round's floor `{DECIDE_IMPORTS}`",
            ms(old_t.median),
            f'`python -c "{DECIDE_IMPORTS}"` {ms(old_b.median)}',
            paired_ratio(old_t, old_b),
            "(reported)",
            None,
            f"for comparison with the issue's 3.4x; {_noise(old_t, old_b)}",
        ),
    ]


# The floor of `decide --batch`: the same output bytes with nothing decided. It reads each
# line and parses it as the command must, and writes the answer already known for it.
_BATCH_FLOOR = """
import sys, orjson
answers = open(sys.argv[2], encoding="utf-8").read().splitlines(keepends=True)
out = sys.stdout
with open(sys.argv[1], encoding="utf-8") as lines:
    for line, answer in zip(lines, answers):
        orjson.loads(line)
        out.write(answer)
"""


def _batch_lines(count: int) -> list[str]:
    """Cases as a case system would send them: the shipped scenarios, each time with one
    fact changed (a different value of the vocabulary), so most lines differ."""
    import json
    import random

    from sharewise.domain.graph import load_tree
    from sharewise.domain.scenarios import load_scenario, scenario_files

    tree = load_tree(_shipped_tree())
    scenarios = [load_scenario(p).facts for p in scenario_files(SHIPPED / "scenarios")]
    names = tree.vocabulary.names()
    pick = random.Random(17)
    lines = []
    for i in range(count):
        facts = dict(scenarios[i % len(scenarios)])
        name = pick.choice(names)
        facts[name] = pick.choice(list(tree.vocabulary[name].values))
        lines.append(json.dumps(facts) + "\n")
    return lines


def batch(repeats: int, lines: int = BATCH_LINES) -> Figure:
    """`decide --batch` over realistic cases: decisions a second (goal at least 20,000), by
    CPU time, against writing the same bytes with nothing decided."""
    name = f"`decide --batch`, {lines:,} cases"
    source, answers = WORK / "batch.jsonl", WORK / "batch-answers.jsonl"
    source.write_text("".join(_batch_lines(lines)), encoding="utf-8")
    env = child_env(fresh_dir("data-batch"))
    argv = [*sharewise_command(), "decide", "--batch", str(source), "--tree", str(_shipped_tree())]
    run_once(argv, env, stdout=answers, check=False)  # the answers (exit 2 if a line fails)
    floor = [sys.executable, "-c", _BATCH_FLOOR, str(source), str(answers)]
    mine = WORK / "batch-out.jsonl"
    tgt, base = Series(), Series()
    for i in range(repeats):
        steps = [
            lambda: tgt.runs.append(run_once(argv, env, stdout=mine, check=False)),
            lambda: base.runs.append(run_once(floor, env, stdout=WORK / "batch-floor.jsonl")),
        ]
        for step in steps if i % 2 == 0 else reversed(steps):
            step()
    same = mine.read_bytes() == answers.read_bytes() == (WORK / "batch-floor.jsonl").read_bytes()
    # Half a gigabyte of outputs, gone before the next figure: their writeback to disk would
    # otherwise land in whatever is measured next.
    for done in (source, answers, mine, WORK / "batch-floor.jsonl"):
        done.unlink(missing_ok=True)
    cpu = sorted(r.cpu_seconds for r in tgt.runs)[len(tgt.runs) // 2]
    floor_cpu = sorted(r.cpu_seconds for r in base.runs)[len(base.runs) // 2]
    rate = lines / cpu
    return Figure(
        name,
        f"{rate:,.0f} decisions/s",
        f"same bytes, nothing decided (read, parse, write): {lines / floor_cpu:,.0f}/s",
        cpu / floor_cpu,
        "≥ 20,000/s",
        rate >= 20_000 and same,
        f"CPU time, start-up included ({ms(cpu)}; wall {ms(tgt.median)}); "
        + ("output identical run to run" if same else "OUTPUT DIFFERS between runs"),
    )


def tree_check(repeats: int) -> list[Figure]:
    """`tree check` of the shipped tree with every invariant: the goal of an earlier issue,
    under 0.5 s, and (the same runs) against importing what it imports, none of ours.

    The floor is every module not of ours that the command imports, listed by `python -X
    importtime` in the same run (as for `decide`): `import pydantic` alone imports only
    pydantic's lazy front, not the machinery `BaseModel` brings, and networkx is not
    imported at all any more. A goal in seconds moves with the machine's load, so the ratio
    to that floor has a goal of its own (2x: the work itself, parsing 0.9 MB of YAML and
    proving every invariant on every path, on top of the imports it needs)."""
    name = "`tree check` (England tree, every invariant)"
    goal = "< 0.5 s"
    try:
        tree = _shipped_tree()
        if importlib.util.find_spec("sharewise.domain.invariants") is None:
            raise NotAvailable("sharewise.domain.invariants has not landed")
    except NotAvailable as exc:
        return [Figure.unavailable(name, goal, str(exc))]
    env = child_env(fresh_dir("data-check"))
    argv = [*sharewise_command(), "tree", "check", str(tree)]
    modules = _imports_of(argv, env)
    heavy = [m for m in ("networkx", "textual") if m in modules]
    floor = [sys.executable, "-c", _IMPORT_FLOOR, *modules]
    tgt, base = compare(argv, floor, repeats=repeats, env=env)
    ratio = paired_ratio(tgt, base)
    third = sorted({m.split(".")[0] for m in modules} - set(sys.stdlib_module_names))
    floor_text = (
        f"importing the {len(modules)} modules it imports, none of ours (from `python -X "
        f"importtime`; not the standard library: {', '.join(third)}) {ms(base.median)}"
    )
    noise = _noise(tgt, base) + (f"; IMPORTS {', '.join(heavy)}" if heavy else "")
    parse = [sys.executable, "-c", _PARSE_FLOOR, str(tree), *modules]
    tgt2, base2 = compare(argv, parse, repeats=repeats, env=env)
    ratio2 = paired_ratio(tgt2, base2)
    return [
        Figure(name, ms(tgt.median), floor_text, ratio, goal, tgt.median < 0.5, noise),
        Figure(
            "`tree check` against importing what it imports and parsing the same tree",
            ms(tgt2.median),
            f"the same imports, then the tree read and parsed by libyaml's C loader and its "
            f"questions and outcomes counted (no checks) {ms(base2.median)}",
            ratio2,
            "≤ 2x",
            ratio2 <= 2.0 and not heavy,
            "the work beyond the floor: locating every value for error messages, validating "
            "the models, proving every invariant on every path; " + _noise(tgt2, base2),
        ),
    ]


def main(repeats: int = 15) -> list[Figure]:
    compile_package()
    return [
        *attempt("`sharewise --version`", "≤ 3x", lambda: [version(repeats)]),
        *attempt("`decide --facts`", "≤ 1.5x", lambda: decide(repeats)),
        *attempt("`decide --facts`, cold", "", lambda: decide(max(repeats // 2, 1), cold=True)),
        *attempt("`tree check`", "< 0.5 s", lambda: tree_check(max(repeats // 2, 3))),
        *attempt(
            "`decide --batch`",
            "≥ 20,000/s",
            lambda: [batch(3 if repeats > 1 else 1, 60_000 if repeats > 1 else 300)],
        ),
    ]
