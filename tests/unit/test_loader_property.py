"""Property tests: whatever a tree file says, loading it ends in a tree or in our own error.

Random mutations of a valid tree (keys dropped or renamed, values swapped for other types,
targets pointed elsewhere) reach every layer: YAML, schema, graph checks.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise import paths
from sharewise.domain.citations import load_registry
from sharewise.domain.errors import InputError
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.graph import compile_tree
from sharewise.domain.loader import validate_data
from sharewise.domain.strict_yaml import load_yaml_text
from sharewise.domain.tree import TreeFile

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "trees" / "example.yaml"
BASE: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(
        [
            "act_now",
            "ask_now",
            "danger",
            "sharer",
            "yes",
            "no",
            "unsure",
            "share",
            "ukgdpr.art6.1e",
            "2026-01-01",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_trees(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        targets = _paths(data)[1:]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "rename"]))
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(key)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_trees())
def test_mutated_trees_load_or_fail_cleanly(data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        parsed, locator = load_yaml_text(text, "m.yaml")
        model = validate_data(parsed, locator, TreeFile, "decision tree")
        vocabulary = load_vocabulary(paths.facts_path())
        registry = load_registry(paths.citations_path())
        compile_tree(model, locator, vocabulary, registry, "m.yaml", "0" * 64)
    except InputError as exc:
        rendered = exc.render()
        assert rendered.startswith("m.yaml")
        assert "Traceback" not in rendered


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_as_a_tree_file(text: str) -> None:
    try:
        parsed, locator = load_yaml_text(text, "r.yaml")
        validate_data(parsed, locator, TreeFile, "decision tree")
    except InputError as exc:
        assert exc.render().startswith("r.yaml")
