"""Strict YAML: one meaning per line, or an error with the file, line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharewise.domain.errors import InputError
from sharewise.domain.strict_yaml import (
    MAX_BYTES,
    StrictYAMLError,
    load_yaml_file,
    load_yaml_text,
)


def test_only_true_and_false_are_booleans() -> None:
    data, _ = load_yaml_text("a: yes\nb: no\nc: on\nd: off\ne: true\nf: false\ng: Yes\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False, "g": "Yes"}


def test_numbers_dates_and_null_keep_their_types() -> None:
    data, _ = load_yaml_text("n: 3\nx: 1.5\nd: 2026-11-29\nz: ~\ns: '3'\n")
    assert data == {"n": 3, "x": 1.5, "d": dt.date(2026, 11, 29), "z": None, "s": "3"}


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("a: 1\na: 2\n", "t.yaml:2:1", "duplicate key 'a'"),
        ("a: &x 1\n", "t.yaml:1:4", "anchor &x"),
        ("a: 1\nb: *x\n", "t.yaml:2:4", "alias *x"),
        ("<<: {a: 1}\n", "t.yaml:1:1", "merge keys"),
        ("a: !!python/name:os.system x\n", "t.yaml:1:4", "tag"),
        ("a: !custom x\n", "t.yaml:1:4", "tag !custom"),
        ("a: [1, 2\n", "t.yaml:2:1", "YAML syntax"),
        ("", "t.yaml", "empty"),
        ("a: 1\n---\nb: 2\n", "t.yaml:2:1", "YAML syntax"),
        ("a: \x00\n", "t.yaml:1:1", "NUL"),
    ],
)
def test_refusals_name_the_place(text: str, where: str, fragment: str) -> None:
    with pytest.raises(StrictYAMLError) as info:
        load_yaml_text(text, "t.yaml")
    rendered = info.value.render()
    assert rendered.startswith(where), rendered
    assert fragment in rendered
    assert "(fix: " in rendered


def test_every_problem_is_reported_not_just_the_first() -> None:
    with pytest.raises(StrictYAMLError) as info:
        load_yaml_text("a: &x 1\nb: *x\nc: !t 3\n", "t.yaml")
    assert [p.location.line for p in info.value.problems] == [1, 2, 3]  # anchor, alias, tag


def test_locator_points_at_values_and_keys() -> None:
    _, loc = load_yaml_text("top:\n  items:\n    - {next: here}\n", "t.yaml")
    assert str(loc.at(("top", "items", 0, "next"))) == "t.yaml:3:14"
    assert str(loc.key_at(("top", "items"))) == "t.yaml:2:3"
    # An unknown path falls back to its nearest written ancestor.
    assert str(loc.at(("top", "items", 0, "missing"))) == "t.yaml:3:7"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * MAX_BYTES + "\n")
    with pytest.raises(StrictYAMLError, match="over the"):
        load_yaml_file(big)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(StrictYAMLError) as info:
        load_yaml_file(bad)
    assert info.value.render().startswith(f"{bad}:2:1: the file is not UTF-8")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_yaml_file(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="folder"):
        load_yaml_file(tmp_path)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(StrictYAMLError):
        load_yaml_text("[" * 5000 + "]" * 5000)


# Random text, and random text built from YAML's own punctuation, never raises anything but
# the loader's own error type.
yamlish = st.text(
    alphabet=st.sampled_from([*"abcxyz019 :-[]{},&*!|>'\"#%@`\n\t?<=~.", "\u00e9", "\x07"]),
    max_size=200,
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(yamlish, st.text(max_size=200)))
def test_random_text_only_raises_strict_errors(text: str) -> None:
    try:
        load_yaml_text(text, "r.yaml")
    except StrictYAMLError as exc:
        assert exc.render().startswith("r.yaml")


# PyYAML itself does not round-trip line separators and other control characters.
_PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85\ufeff"
)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(_PRINTABLE, max_size=20)),
        lambda kids: st.one_of(
            st.lists(kids, max_size=4),
            st.dictionaries(st.text(_PRINTABLE, min_size=1, max_size=8), kids, max_size=4),
        ),
        max_leaves=20,
    )
)
def test_round_trip_of_plain_data(value: object) -> None:
    """Whatever safe_dump writes (no anchors: the data has no shared parts) reads back as-is."""
    import yaml

    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    data, _ = load_yaml_text(text)
    assert data == {"v": value}
