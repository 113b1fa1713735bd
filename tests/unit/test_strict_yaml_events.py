"""The strict YAML loader builds data from libyaml's events in one pass; these tests hold it
to the loader it replaced (`strict_yaml_reference`: compose nodes, then build), on every
YAML file in the repository, on awkward documents, and on random text: the same data, the
same places (the locator) and the same problems, word for word, in the same order."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strict_yaml_reference import reference_load

from sharewise.domain.strict_yaml import MAX_DEPTH, StrictYAMLError, load_yaml_text

ROOT = Path(__file__).resolve().parents[2]


def _outcome(load: Any, text: str) -> tuple[str, Any, Any]:
    try:
        data, locator = load(text, "t.yaml")
    except StrictYAMLError as exc:
        return ("error", [p.render() for p in exc.problems], None)
    return ("ok", _comparable(data), locator.marks)


def _comparable(value: Any) -> Any:
    """NaN is not equal to itself; everything else compares as it is (with its type)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return [(k, _comparable(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return (type(value).__name__, value)


def _same(text: str) -> None:
    assert _outcome(load_yaml_text, text) == _outcome(reference_load, text)


FILES = sorted(
    p
    for pattern in ("decision_trees/**/*.yaml", "tests/fixtures/**/*.yaml", "docs/**/*.yaml")
    for p in ROOT.glob(pattern)
)


def test_there_are_files_to_compare() -> None:
    assert len(FILES) > 50 and ROOT / "decision_trees" / "england.yaml" in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_in_the_repository(path: Path) -> None:
    _same(path.read_bytes().decode("utf-8-sig"))


AWKWARD = [
    "",
    "# only a comment\n",
    "---\n",
    "--- \n...\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n--- &x\nb: *x\n",
    "a: &x 1\nb: *x\nc: !t 3\n",
    "a: !!str 3\n",
    "a: ! 3\n",
    "!!map {a: 1}\n",
    "a: yes\nb: no\nc: on\nd: off\ne: true\nf: false\ng: True\nh: FALSE\n",
    "n: 3\nx: 1.5\nd: 2026-11-29\nt: 2026-11-29 10:00:00\nz: ~\ne:\nN: null\ns: '3'\n",
    "a: 0x1F\nb: 0o17\nc: 1_000\nd: .inf\ne: -.inf\nf: .nan\ng: 1e3\nh: +12\ni: 0b101\n",
    "d: 2026-13-45\nt: 2026-02-30\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\na:\n  c: {d: 2026-99-99}\n",
    "<<: {a: 1}\nb: 2\n",
    "a: <<\n",
    "? [a, b]\n: 1\nc: 2\n",
    "? {a: 1}\n: {b: [1, 2, {c: 3}]}\nd: 4\n",
    "{[1]: x, y: 2}\n",
    "[a, [b, [c, {d: e}]], {f: [g]}]\n",
    "a: [1, 2\n",
    "a: 'x\n",
    "a:\n- b\n - c\n",
    "key: value: other\n",
    "1: a\ntrue: b\n~: c\n'x': d\n\"y\": e\n",
    "a: |\n  text\n  more\nb: >\n  folded\n  text\n",
    'a: "\\u00e9\\x41"\n',
    "- 1\n- - 2\n  - 3\n- a: b\n  c: d\n",
    "=: 1\nv: =\n",
    "a: %x\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
    "a: 2026-11-29T10:00:00Z\nb: 2026-11-29t10:00:00.5+01:00\n",
    "\ufeffa: 1\n",
    "a: b\n\tc: d\n",
    "[1, 2]: 3\n",
    "a: {b: 1, b: 2, c: [x, y]}\n",
    "a: 1\n? b\n",
    "- &a x\n- *a\n",
    "a: *nowhere\n",
    "[" * 450 + "]" * 450,
    "[" * 350 + "]" * 350,
    "{a: " * 300 + "1" + "}" * 300,
    "[" * 5000 + "]" * 5000,
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_documents(text: str) -> None:
    if text.count("[") > MAX_DEPTH and text.count("[") < 1000:
        # The old loader's limit was its stack (about 490 levels); this one's is MAX_DEPTH.
        with pytest.raises(StrictYAMLError, match="nested too deeply"):
            load_yaml_text(text, "t.yaml")
        return
    _same(text)


def test_nesting_up_to_the_limit_is_read() -> None:
    data, _ = load_yaml_text("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    depth = 0
    while data:
        data, depth = data[0], depth + 1
    assert depth == MAX_DEPTH - 1


yamlish = st.lists(
    st.sampled_from(
        [*"abcxyz019 :-[]{},&*!|>'\"#%@`\n?<=~.", "  ", "\n  ", "- ", ": ", "2026-01-02", "\u00e9"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(yamlish)
def test_random_yamlish_text(text: str) -> None:
    _same(text)


_PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85\ufeff"
)
_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.dates(min_value=dt.date(1900, 1, 1)),
        st.text(_PRINTABLE, max_size=20),
    ),
    lambda kids: st.one_of(
        st.lists(kids, max_size=4),
        st.dictionaries(st.text(_PRINTABLE, min_size=1, max_size=8), kids, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from([None, True, False]))
def test_random_documents_in_every_style(value: object, flow: bool | None) -> None:
    import yaml

    _same(yaml.safe_dump({"v": value}, allow_unicode=True, default_flow_style=flow))
