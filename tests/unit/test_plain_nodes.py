"""A loaded tree's plain nodes (`sharewise/domain/nodes.py`) are the validated models' data.

The pydantic models stay the schema tree authors' files are validated against; a loaded tree,
the vocabulary and the registry are held as plain classes, built from a validated model or
from the tree cache's JSON of one. These tests hold the two equal on every node of the
England tree, field for field, so that neither the cache nor the plain classes can drift
from the schema: a field added to a model and not to its plain class fails here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from sharewise import paths
from sharewise.domain import citations, facts, nodes, result, tree, tree_cache, walk
from sharewise.domain.citations import load_registry
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.graph import load_tree
from sharewise.domain.loader import validate_data
from sharewise.domain.strict_yaml import load_yaml_bytes

PAIRS: list[tuple[type[Any], type[BaseModel]]] = [
    (nodes.Option, tree.Option),
    (nodes.Question, tree.Question),
    (nodes.Law, tree.Law),
    (nodes.Advice, tree.Advice),
    (nodes.Outcome, tree.Outcome),
    (nodes.Tree, tree.TreeFile),
    (nodes.Fact, facts.Fact),
    (nodes.Citation, citations.Citation),
    # The trail a person sees as they walk, and the steps of the result it becomes.
    (walk.TrailStep, result.Step),
]


def _validated_england() -> tree.TreeFile:
    data, locator = load_yaml_bytes(paths.default_tree_path().read_bytes(), "england")
    return validate_data(data, locator, tree.TreeFile, "decision tree")


def _same(plain: object, model: object) -> None:
    """Every field of `plain` has the model's value (a tuple where the model has a list)."""
    if isinstance(model, BaseModel):
        assert [f.name for f in dataclasses.fields(plain)] == list(type(model).model_fields)  # type: ignore[arg-type]
        for name in type(model).model_fields:
            _same(getattr(plain, name), getattr(model, name))
    elif isinstance(model, list):
        assert isinstance(plain, tuple) and len(plain) == len(model)
        for p, m in zip(plain, model, strict=True):
            _same(p, m)
    elif isinstance(model, dict):
        assert isinstance(plain, dict) and list(plain) == list(model)
        for key in model:
            _same(plain[key], model[key])
    else:
        assert plain == model and type(plain) is type(model)


@pytest.mark.parametrize(("plain", "model"), PAIRS, ids=lambda c: c.__name__)
def test_each_plain_class_has_its_model_s_fields_in_order(
    plain: type[Any], model: type[BaseModel]
) -> None:
    assert [f.name for f in dataclasses.fields(plain)] == list(model.model_fields)


def test_every_node_of_the_england_tree_is_its_validated_model_s_data() -> None:
    """From the cache and from a fresh validation, every question, option, outcome, law and
    advice holds exactly the validated model's values."""
    model = _validated_england()
    fresh = load_tree(paths.default_tree_path(), use_cache=False).model
    load_tree(paths.default_tree_path())  # stores the entry
    cached = load_tree(paths.default_tree_path()).model
    for plain in (fresh, cached):
        assert isinstance(plain, nodes.Tree)
        _same(plain, model)
        assert plain.dump() == model.model_dump(mode="json")
    assert len(cached.questions) > 300 and len(cached.outcomes) > 200


def test_the_vocabulary_and_registry_are_the_validated_files_data() -> None:
    vocabulary = load_vocabulary(paths.facts_path())
    registry = load_registry(paths.citations_path())
    tree_ = load_tree(paths.default_tree_path())
    again = load_tree(paths.default_tree_path())  # both from the model cache now
    for held in (tree_, again):
        assert held.vocabulary.dump() == vocabulary.model_dump(mode="json")
        assert held.registry.dump() == registry.model_dump(mode="json")
        for name, fact in vocabulary.root.items():
            _same(held.vocabulary[name], fact)
        for cid, citation in registry.root.items():
            _same(held.registry[cid], citation)


def test_an_entry_with_a_good_digest_but_a_wrong_shape_is_a_miss(
    example_tree_path: Path, tmp_path: Path
) -> None:
    """The cache is not validated by pydantic on a hit: a node of the wrong shape (a
    number for a label, an unknown key, an unknown decision) under a correct digest is
    still a miss, and the tree is validated again."""
    first = load_tree(example_tree_path)
    folder = tree_cache.cache_dir()
    assert folder is not None
    (entry,) = folder.glob(f"*{tree_cache.SUFFIX}")
    _head, fields, *lines = entry.read_bytes().split(b"\n")
    question = next(i for i, line in enumerate(lines) if line.startswith(b"q "))
    outcome = next(i for i, line in enumerate(lines) if line.startswith(b"o "))

    def node(i: int) -> tuple[bytes, dict[str, Any]]:
        kind, node_id, body = lines[i].split(b" ", 2)
        return kind + b" " + node_id + b" ", json.loads(body)

    damaged = []
    lead, q = node(question)
    q["options"][0]["label"] = 3
    damaged.append((question, lead + json.dumps(q).encode()))
    lead, q = node(question)
    q["colour"] = "red"
    damaged.append((question, lead + json.dumps(q).encode()))
    lead, o = node(outcome)
    o["decision"] = "shrug"
    damaged.append((outcome, lead + json.dumps(o).encode()))
    for i, line in damaged:
        body = b"\n".join([fields, *lines[:i], line, *lines[i + 1 :]])
        forged = {"format": tree_cache.FORMAT, "sha256": hashlib.sha256(body).hexdigest()}
        entry.write_bytes(json.dumps(forged).encode() + b"\n" + body)
        assert tree_cache.load(entry.stem, "x", lambda: None) is None
        assert load_tree(example_tree_path).model == first.model  # validated again


def test_a_model_cache_entry_of_the_wrong_shape_is_validated_again(tmp_path: Path) -> None:
    from sharewise.domain import model_cache

    model_cache.plain_vocabulary.cache_clear()
    copy = tmp_path / "facts.yaml"
    copy.write_bytes(paths.facts_path().read_bytes())
    fresh = model_cache.plain_vocabulary(copy)  # validates, and stores the entry
    folder = model_cache.cache_dir()
    assert folder is not None
    entry = folder / f"{model_cache.key(copy.read_bytes(), nodes.Vocabulary.MODEL)}.model"
    data = json.loads(entry.read_bytes())
    assert nodes.Vocabulary.from_data(data) == fresh
    name = next(iter(data))
    for damage in ({"ask": 3}, {"scope": "planet"}, {"values": {}}, {"extra": "x"}):
        entry.write_text(json.dumps({**data, name: {**data[name], **damage}}))
        model_cache.plain_vocabulary.cache_clear()
        assert model_cache.plain_vocabulary(copy) == fresh
