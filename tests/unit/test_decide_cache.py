"""The compiled tree behind a warm `decide --facts` (`decide_cache`): the same bytes as the
full path for every path of the England tree and every shipped scenario, and a stale,
forged or damaged entry never changes a decision (it is a miss, and the full path decides).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import stat
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharewise import paths
from sharewise.cli import decide_cmd, main
from sharewise.domain import decide_cache
from sharewise.domain.decide import decide
from sharewise.domain.errors import SharewiseError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.scenarios import scenario_files


@cache
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


@cache
def compiled() -> decide_cache.Compiled:
    """The England tree compiled as `decide` stores it, read back through the file format."""
    folder = Path(os.environ[decide_cache.CACHE_ENV])
    key = "0" * 64
    decide_cache.store(key, decide_cache.build(england(), decide_cmd.render_text))
    found = decide_cache.load(key)
    assert found is not None
    (folder / f"{key}.decide").unlink()
    return found


def reference(facts: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """What the full path prints (text, JSON object), or None where it refuses the facts."""
    try:
        result = decide(england(), facts)
    except SharewiseError:
        return None
    return decide_cmd.render_text(result), result.to_json_dict()


def quick(facts: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    text, found = compiled().text(facts), compiled().json_dict(facts)
    assert (text is None) == (found is None)
    return None if text is None or found is None else (text, found)


def test_every_path_of_the_tree_decides_the_same() -> None:
    tree = england()
    count = 0
    for path in tree.paths():
        facts: dict[str, Any] = dict(path.answers())
        assert quick(facts) == reference(facts), path.describe()
        count += 1
    assert count > 1000  # the England tree's every combination of answers


def test_facts_out_of_the_ordinary_go_to_the_full_path() -> None:
    """Anything `decide` refuses, the compiled tree does not answer (the full path words the
    error); a case it answers is answered the same."""
    tree = england()
    names = tree.vocabulary.names()
    for path in itertools.islice(tree.paths(), 0, None, 97):
        facts: dict[str, Any] = dict(path.answers())
        first = next(iter(facts))
        variants: list[dict[str, Any]] = [
            {k: v for k, v in facts.items() if k != first},  # a fact left out
            {**facts, "no_such_fact": "yes"},  # an unknown fact
            {**facts, first: "no_such_value"},  # a value the fact does not have
            {**facts, first: 3},  # not text
            {**facts, first: ["yes"]},  # a list
            {**facts, **{n: next(iter(tree.vocabulary[n].values)) for n in names}},  # all
        ]
        for variant in variants:
            assert quick(variant) == reference(variant)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_cases_decide_the_same(data: st.DataObject) -> None:
    tree = england()
    facts: dict[str, Any] = {}
    for name in data.draw(st.lists(st.sampled_from(tree.vocabulary.names()), unique=True)):
        facts[name] = data.draw(st.sampled_from(list(tree.vocabulary[name].values)))
    got = quick(facts)
    assert got is None or got == reference(facts)


def _decide(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["decide", *argv])
    return code, out.getvalue()


def _entries() -> list[Path]:
    return sorted(Path(os.environ[decide_cache.CACHE_ENV]).glob("*.decide"))


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_every_scenario_prints_the_same_bytes_warm_and_cold(
    as_json: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = ["--json"] if as_json else []
    files = scenario_files(paths.scenarios_dir())
    assert len(files) > 20
    for number, scenario in enumerate(files):
        cold = _decide("--facts", str(scenario), *flags)
        assert len(_entries()) == 1  # left behind by the first (cold) run
        if number == 0:
            with monkeypatch.context() as m:
                m.setenv(decide_cache.CACHE_ENV, "off")
                assert _decide("--facts", str(scenario), *flags) == cold
        assert _decide("--facts", str(scenario), *flags) == cold, scenario.name


def test_entries_are_private(example_tree_path: Path) -> None:
    facts = Path(__file__).parents[2] / "docs" / "examples" / "facts-child-disclosure.yaml"
    _decide("--facts", str(facts))
    (entry,) = _entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def _one_scenario() -> Path:
    return next(f for f in scenario_files(paths.scenarios_dir()) if "disclosure" in f.name)


@pytest.mark.parametrize(
    "damage",
    [
        "a byte of an outcome changed",
        "a byte of the routing changed",
        "the header's digest changed",
        "truncated",
        "not JSON",
        "empty",
    ],
)
def test_a_damaged_entry_never_changes_a_decision(damage: str) -> None:
    scenario = _one_scenario()
    cold = _decide("--facts", str(scenario))
    (entry,) = _entries()
    raw = entry.read_bytes()
    head, body = raw.split(b"\n", 1)
    header = json.loads(head)
    text = cold[1].encode()
    if damage == "a byte of an outcome changed":
        # The outcome this scenario reaches, its wording altered in place.
        at = body.index(json.dumps(text.decode()[:40], ensure_ascii=False)[1:-1].encode())
        body = body[:at] + b"X" + body[at + 1 :]
    elif damage == "a byte of the routing changed":
        at = body.index(b'"start":"') + len(b'"start":"')
        body = body[:at] + b"X" + body[at + 1 :]
    elif damage == "the header's digest changed":
        header["routing"][2] = "0" * 64
        head = json.dumps(header).encode()
    if damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "not JSON":
        entry.write_bytes(b"\x00not json\n\x00")
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.write_bytes(head + b"\n" + body)
        assert entry.read_bytes() != raw
    if damage in ("a byte of the routing changed", "the header's digest changed", "not JSON"):
        assert decide_cache.load(entry.name.removesuffix(".decide")) is None
    assert _decide("--facts", str(scenario)) == cold


def test_a_forged_entry_for_an_outcome_is_refused_by_its_digest() -> None:
    """A changed outcome whose part is read only when reached: its digest is checked then."""
    scenario = _one_scenario()
    code, cold = _decide("--facts", str(scenario))
    (entry,) = _entries()
    raw = entry.read_bytes()
    first_line = cold.splitlines()[0]
    assert raw.count(first_line.encode()) >= 1
    entry.write_bytes(raw.replace(first_line.encode(), first_line.upper().encode()))
    assert _decide("--facts", str(scenario)) == (code, cold)


def test_the_key_names_the_tree_the_vocabulary_the_registry_and_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = paths.default_tree_path().read_bytes()
    base = decide_cache.key(raw)
    assert base is not None and base == decide_cache.key(raw)
    assert decide_cache.key(raw + b"\n# a comment\n") != base  # the tree's bytes
    for name in ("facts_path", "citations_path"):
        original = getattr(paths, name)()
        copy = tmp_path / original.name
        copy.write_bytes(original.read_bytes() + b"\n")
        with monkeypatch.context() as m:
            m.setattr(paths, name, lambda copy=copy: copy)
            assert decide_cache.key(raw) != base, name  # the vocabulary's, the registry's
            copy.unlink()
            assert decide_cache.key(raw) is None  # unreadable: no key, the full path
    with monkeypatch.context() as m:
        m.setattr(decide_cache, "__version__", "0.0.0-other")
        assert decide_cache.key(raw) != base  # the package version
    with monkeypatch.context() as m:
        m.setattr(decide_cache, "FORMAT", decide_cache.FORMAT + 1)
        assert decide_cache.key(raw) != base  # the entry's format
    assert decide_cache.key(raw) == base


def test_a_changed_tree_is_decided_afresh(tmp_path: Path) -> None:
    """An entry stored for one tree is never used for another: the same facts on a tree
    whose outcome reads differently print the new words, warm or cold."""
    scenario = _one_scenario()
    tree = tmp_path / "tree.yaml"
    tree.write_bytes(paths.default_tree_path().read_bytes())
    code, before = _decide("--tree", str(tree), "--facts", str(scenario))
    assert _decide("--tree", str(tree), "--facts", str(scenario)) == (code, before)
    title = before.splitlines()[0].split(" - ", 1)[1]
    text = tree.read_text(encoding="utf-8")
    assert f"title: {title}\n" in text
    tree.write_text(text.replace(f"title: {title}\n", "title: A changed title\n"), "utf-8")
    changed = _decide("--tree", str(tree), "--facts", str(scenario))
    assert changed[1].splitlines()[0].endswith(" - A changed title")
    assert _decide("--tree", str(tree), "--facts", str(scenario)) == changed
    assert len(_entries()) == 2


def test_a_warm_decide_imports_neither_pydantic_nor_networkx() -> None:
    facts = Path(__file__).parents[2] / "docs" / "examples" / "facts-child-disclosure.yaml"
    code = (
        "import sys\n"
        "from sharewise.cli import main\n"
        f"assert main(['decide', '--facts', {str(facts)!r}]) == 0\n"
        "print(sorted(m for m in ('pydantic', 'networkx') if m in sys.modules))\n"
    )
    env = dict(os.environ)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.strip().endswith("['pydantic']")  # cold: validated (no networkx)
    assert runs[1].stdout.strip().endswith("[]")  # warm: the compiled tree
    assert runs[0].stdout == runs[1].stdout.replace("[]", "['pydantic']")
