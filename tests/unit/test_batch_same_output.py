"""`decide --batch` remembers answers per node and results per route; its output must stay
byte for byte what deciding each line afresh wrote. The old loop is kept here as the
reference and both run over the same lines: every shipped scenario, each with facts left
out, changed or misspelt, random cases, and lines that are not cases at all."""

from __future__ import annotations

import contextlib
import io
import json
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise import paths
from sharewise.cli import decide_cmd
from sharewise.domain.decide import decide
from sharewise.domain.errors import SharewiseError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.safe_text import safe_json
from sharewise.domain.scenarios import load_scenario, scenario_files
from sharewise.domain.strict_yaml import Locator


@cache
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


def old_batch(lines: list[str], tree: CompiledTree, name: str = "cases.jsonl") -> str:
    """The loop `decide --batch` ran before: `decide` and `json.dumps` on every line."""
    out = io.StringIO()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            # A key given twice is refused (issue 14), as the YAML loaders refuse it.
            facts = json.loads(line, object_pairs_hook=decide_cmd._no_repeats)
            if not isinstance(facts, dict):
                raise ValueError("a line must be a JSON object of fact: value")
            payload = decide(tree, facts, Locator(name, {(): (number, 1)})).to_json_dict()
        except SharewiseError as exc:
            payload = {"line": number, "error": decide_cmd._one_line(exc.render())}
        except ValueError as exc:
            payload = {"line": number, "error": f"not a JSON object: {exc}"}
        out.write(safe_json(json.dumps(payload, ensure_ascii=False)) + "\n")
    return out.getvalue()


def new_batch(lines: list[str], tree: CompiledTree, folder: Path) -> str:
    source = folder / "cases.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out):
        decide_cmd._run_batch("cases.jsonl", tree)
    return out.getvalue()


def scenario_facts() -> list[dict[str, str]]:
    return [load_scenario(p).facts for p in scenario_files(paths.scenarios_dir())]


def variants(facts: dict[str, str]) -> list[dict[str, object]]:
    """The case, each fact left out in turn, one value changed, one name misspelt."""
    tree = england()
    found: list[dict[str, object]] = [facts]
    for name in facts:
        found.append({k: v for k, v in facts.items() if k != name})
        values = list(tree.vocabulary[name].values) if name in tree.vocabulary else []
        other = next((v for v in values if v != facts[name]), None)
        if other is not None:
            found.append({**facts, name: other})
    first = next(iter(facts))
    found.append({**{k: v for k, v in facts.items() if k != first}, first + "x": facts[first]})
    return found


ODD_LINES = [
    "",
    "   ",
    "[1, 2]",
    '"facts"',
    "{not json",
    '{"immediate_danger": NaN}',
    '{"immediate_danger": 1}',
    '{"immediate_danger": "yes", "immediate_danger": "no"}',
    '{"immediate_danger": "\\ud800"}',
    "{}",
    '{"unknown": "x"}',
]


def test_every_scenario_and_its_variants_come_out_the_same(tmp_path: Path) -> None:
    tree = england()
    cases = [c for facts in scenario_facts() for c in variants(facts)]
    lines = [json.dumps(c, ensure_ascii=False) for c in cases] * 2 + ODD_LINES
    old, new = old_batch(lines, tree), new_batch(lines, tree, tmp_path)
    assert new == old
    decided = [line for line in new.splitlines() if '"decision"' in line]
    assert len(decided) > len(scenario_facts())  # most lines really were decided


@st.composite
def random_cases(draw: st.DrawFn) -> list[str]:
    tree = england()
    names = tree.vocabulary.names()
    cases = []
    for _ in range(draw(st.integers(1, 8))):
        chosen = draw(st.lists(st.sampled_from(names), unique=True, min_size=len(names) // 2))
        cases.append({n: draw(st.sampled_from(list(tree.vocabulary[n].values))) for n in chosen})
    return [json.dumps(c) for c in cases]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=random_cases())
def test_random_cases_come_out_the_same(tmp_path: Path, lines: list[str]) -> None:
    tree = england()
    assert new_batch(lines, tree, tmp_path) == old_batch(lines, tree)
