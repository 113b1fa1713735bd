"""The validated-tree cache: a hit is the same tree, a bad entry is ignored, errors never cached."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.domain import tree_cache
from sharewise.domain.errors import TreeError
from sharewise.domain.graph import load_tree


def _entries() -> list[Path]:
    folder = tree_cache.cache_dir()
    assert folder is not None
    return sorted(folder.glob(f"*{tree_cache.SUFFIX}")) if folder.exists() else []


def test_a_hit_is_the_same_tree(example_tree_path: Path) -> None:
    first = load_tree(example_tree_path)
    assert len(_entries()) == 1
    second = load_tree(example_tree_path)
    assert second.model == first.model
    assert second.locator.marks == first.locator.marks
    assert str(second.outcome_location("act_now")) == str(first.outcome_location("act_now"))
    assert list(second.paths()) == list(first.paths())
    assert second.reachable_outcomes("identifiable") == first.reachable_outcomes("identifiable")


def test_entries_are_private(example_tree_path: Path) -> None:
    load_tree(example_tree_path)
    entry = _entries()[0]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def test_a_changed_file_is_validated_again(example_tree_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tree.yaml"
    copy.write_bytes(example_tree_path.read_bytes())
    load_tree(copy)
    copy.write_text(copy.read_text().replace("next: identifiable}", "next: nowhere}"))
    with pytest.raises(TreeError, match="'nowhere'"):
        load_tree(copy)
    assert len(_entries()) == 1  # the failure was not cached


def test_a_damaged_entry_is_ignored(example_tree_path: Path) -> None:
    load_tree(example_tree_path)
    _entries()[0].write_text('{"model": {"id": 3}, "marks": []}')
    assert load_tree(example_tree_path).model.id == "example"
    _entries()[0].write_bytes(b"\x00not json")
    assert load_tree(example_tree_path).model.id == "example"
    head, fields, *nodes = _entries()[0].read_bytes().split(b"\n")
    for damaged in (
        [head, fields, *nodes[:-1], b"o nospace"],  # a node line cut short
        [head, fields, *nodes, b""],  # a line too many
        [head, b"[]", *nodes],  # the tree's fields not a mapping
        [head, fields, *nodes[:-1]],  # cut short at the end of a line: an outcome missing
        [head, fields, *nodes[1:]],  # a question missing (the start)
    ):
        _entries()[0].write_bytes(b"\n".join(damaged))
        again = load_tree(example_tree_path).model
        assert again == load_tree(example_tree_path, use_cache=False).model
        assert len(again.outcomes) == len(nodes) - len(again.questions)


def test_off_means_off(example_tree_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tree_cache.CACHE_ENV, "off")
    assert tree_cache.cache_dir() is None
    load_tree(example_tree_path)
    assert tree_cache.load("0" * 64, "x", lambda: b"") is None


def test_an_unwritable_cache_is_not_an_error(
    example_tree_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(tree_cache.CACHE_ENV, str(blocker / "cache"))
    assert load_tree(example_tree_path).model.id == "example"


def test_deciding_does_not_import_networkx() -> None:
    """Neither validating a tree (the first decide) nor the cache needs networkx: the
    graph checks work on plain dictionaries (networkx is for diagrams and cycles only)."""
    facts = Path(__file__).parents[2] / "docs" / "examples" / "facts-child-disclosure.yaml"
    code = (
        "import sys\n"
        "from sharewise.cli import main\n"
        f"assert main(['decide', '--facts', {str(facts)!r}]) == 0\n"
        "print('networkx' in sys.modules)\n"
    )
    env = dict(os.environ)
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    again = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert first.stdout.strip().endswith("False")  # validated
    assert again.stdout.strip().endswith("False")  # cached
    assert paths.default_tree_path().exists()


def test_tree_check_always_validates(example_tree_path: Path, tmp_path: Path) -> None:
    """A stale or forged cache entry cannot make `tree check` pass a broken tree."""
    copy = tmp_path / "tree.yaml"
    copy.write_bytes(example_tree_path.read_bytes())
    good = load_tree(copy)
    (entry,) = _entries()
    copy.write_text(copy.read_text().replace("next: identifiable}", "next: nowhere}"))
    # Forge an entry: the good tree stored under the broken file's key.
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    key = tree_cache.cache_key(digest, good.vocabulary, good.registry)
    (entry.parent / f"{key}{tree_cache.SUFFIX}").write_bytes(entry.read_bytes())
    assert load_tree(copy).model == good.model  # the cache is trusted for deciding...
    with pytest.raises(TreeError, match="'nowhere'"):
        load_tree(copy, use_cache=False)  # ...but never for checking


def test_tree_check_leaves_nothing_in_the_cache(example_tree_path: Path, tmp_path: Path) -> None:
    """Checking is not remembering: a tree checked valid is not stored for deciding."""
    copy = tmp_path / "tree.yaml"
    copy.write_bytes(example_tree_path.read_bytes())
    load_tree(copy, use_cache=False)
    assert _entries() == []
    load_tree(copy)
    assert len(_entries()) == 1


def test_an_entry_holds_the_model_and_no_locations(example_tree_path: Path) -> None:
    """Locations are found again from the tree's bytes when asked for (none are in the
    entry, which the UI would otherwise read and hold), and they are the same."""
    first = load_tree(example_tree_path)
    (entry,) = _entries()
    head, fields, *nodes = entry.read_bytes().split(b"\n")
    assert json.loads(head)["format"] == tree_cache.FORMAT
    held = {**json.loads(fields), "questions": {}, "outcomes": {}}
    for line in nodes:  # one line per question and per outcome, in the tree's order
        kind, node_id, body = line.split(b" ", 2)
        held["questions" if kind == b"q" else "outcomes"][node_id.decode()] = json.loads(body)
    dumped = first.model.dump()  # the validated model's data (test_plain_nodes.py)
    assert held == dumped
    assert list(held["questions"]) == list(dumped["questions"])
    again = load_tree(example_tree_path)
    assert again.locator.marks == first.locator.marks
    assert len(again.locator.marks) > 100


def test_the_england_tree_from_the_cache_is_the_validated_tree() -> None:
    """The cache's nodes are built from JSON, the full path's from the model validated from
    YAML: the shipped tree must come out the same either way, locations included."""
    fresh = load_tree(paths.default_tree_path(), use_cache=False)
    load_tree(paths.default_tree_path())  # stores the entry
    cached = load_tree(paths.default_tree_path())
    assert cached.model == fresh.model
    assert cached.model.dump() == fresh.model.dump()
    assert cached.locator.marks == fresh.locator.marks
    assert str(cached.question_location(cached.start)) == str(fresh.question_location(fresh.start))


def test_walking_a_cached_tree_never_reads_its_locations() -> None:
    """The UI holds a cached tree for the whole session: its 23,000 locations (16 MiB as a
    map) are left unparsed by a whole walk to a result, on the England tree."""
    from sharewise.domain.walk import Walk

    load_tree(paths.default_tree_path())  # stores the entry
    tree = load_tree(paths.default_tree_path())
    assert isinstance(tree.locator, tree_cache._LazyLocator)
    walk = Walk(tree)
    while not walk.finished:
        walk.reachable_outcomes()
        walk.citations_in_play()
        walk.choose(walk.choices()[-1])
    assert walk.result().outcome
    assert tree.locator._source is not None  # still not parsed
    assert tree.locator.marks  # and found when asked for
    assert tree.locator._source is None


def test_a_cached_tree_s_bytes_are_held_compressed_and_come_back_exact() -> None:
    """The UI holds the England tree all session but needs its bytes only to keep them with
    a record: they are held compressed, and what comes back is exactly what was loaded."""
    from sharewise.domain import tree_sources

    raw = paths.default_tree_path().read_bytes()
    load_tree(paths.default_tree_path())  # stores the entry
    tree = load_tree(paths.default_tree_path())
    assert tree_sources.source(tree.sha256) == raw
    assert len(tree_sources._SOURCES[tree.sha256]) < len(raw) // 5
    assert tree.locator.marks  # the locations still found from them


def test_bytes_that_do_not_match_their_digest_are_never_given_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sharewise.domain import tree_sources

    monkeypatch.setitem(tree_sources._SOURCES, "0" * 64, tree_sources.pack(b"questions: {}\n"))
    assert tree_sources.source("0" * 64) is None


def test_nodes_that_set_the_same_fields_share_one_set_of_their_names() -> None:
    """Each pydantic instance would hold a set of its own (0.85 MiB on the England tree):
    nodes share them, and each still says which fields it was given. (A loaded tree holds
    plain nodes; the models are what `tree check` and a first load validate.)"""
    from sharewise.domain.loader import validate_data
    from sharewise.domain.strict_yaml import load_yaml_bytes
    from sharewise.domain.tree import TreeFile

    data, locator = load_yaml_bytes(paths.default_tree_path().read_bytes(), "england")
    model = validate_data(data, locator, TreeFile, "decision tree")
    options = [o for q in model.questions.values() for o in q.options]
    nodes = [*model.questions.values(), *model.outcomes.values(), *options]
    assert len({id(n.model_fields_set) for n in nodes}) < 20 < len(nodes)
    # From YAML, as written: an optional field a node leaves out (`otherwise`) is not set.
    unset = [(n, f) for n in nodes for f in type(n).model_fields if f not in n.model_fields_set]
    node, field = unset[0]
    sharing = [n for n in nodes if n.model_fields_set is node.model_fields_set]
    assert len(sharing) > 1
    assert field not in node.model_dump(exclude_unset=True)
    copied = node.model_copy(update={field: getattr(node, field)})
    assert field in copied.model_fields_set
    assert all(field not in n.model_fields_set for n in sharing)  # the shared set untouched


def test_tree_check_keeps_no_copy_of_the_trees_bytes(tmp_path: Path) -> None:
    """A check records nothing, so it does not compress the tree's bytes to keep them for a
    record (tree_sources); loading a tree to decide on it does."""
    from sharewise.cli import main
    from sharewise.domain import tree_sources

    copy = tmp_path / "england.yaml"
    copy.write_bytes(paths.default_tree_path().read_bytes())
    sha = tree_sources.digest(copy.read_bytes())
    tree_sources._SOURCES.pop(sha, None)
    assert main(["tree", "check", str(copy)]) == 0
    assert sha not in tree_sources._SOURCES
    load_tree(copy, use_cache=False)
    assert tree_sources.source(sha) == copy.read_bytes()
