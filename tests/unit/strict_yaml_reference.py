"""The strict YAML loader as it was before it built data from libyaml's events in one pass
(composing nodes, then building from them): the reference `test_strict_yaml_events.py`
holds the new loader to, result for result and message for message."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sharewise.domain.errors import Location, Problem
from sharewise.domain.strict_yaml import (
    _IMPLICIT_OK,
    _LOADER,
    Locator,
    PathKey,
    StrictYAMLError,
    _loc,
)


class _Builder:
    """Turns a composed node graph into plain data, refusing anything ambiguous."""

    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.locator = Locator(file)
        self.problems: list[Problem] = []

    def fail(self, node: Any, message: str, fix: str) -> None:
        self.problems.append(Problem(_loc(self.file, node), message, fix))

    def build(self, node: Node, path: PathKey) -> Any:
        mark = node.start_mark
        self.locator.marks[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        tag = node.tag
        if tag == "tag:yaml.org,2002:bool":
            return node.value == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        ):
            try:
                return self.loader.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError):
                self.fail(node, f"cannot read {node.value!r}", "quote it to make it text")
                return node.value
        return node.value

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[Hashable, Any]:
        result: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "merge keys (<<) are not allowed", "write the keys out in full")
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be plain text", "use a simple word as the key")
                continue
            key = key_node.value
            if key in result:
                self.fail(
                    key_node,
                    f"duplicate key {key!r}",
                    "remove or rename one of them: YAML would silently keep only the last",
                )
                continue
            self.locator.marks[("#key", *path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, (*path, key))
        return result


def _check_events(file: str, text: str) -> list[Problem]:
    """Refuse anchors, aliases and explicit tags before any node is built."""
    problems: list[Problem] = []
    for event in yaml.parse(text, Loader=_LOADER):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                Problem(
                    _loc(file, event),
                    f"alias *{anchor} is not allowed",
                    "write the value out in full",
                )
            )
        elif anchor is not None:
            problems.append(
                Problem(
                    _loc(file, event),
                    f"anchor &{anchor} is not allowed",
                    "remove the anchor and write values out in full",
                )
            )
        tag = getattr(event, "tag", None)
        if tag not in _IMPLICIT_OK and not isinstance(event, yaml.DocumentStartEvent):
            problems.append(
                Problem(
                    _loc(file, event),
                    f"tag {tag} is not allowed",
                    "remove the tag; quote the value if it must be text",
                )
            )
    return problems


def reference_load(text: str, file: str = "<text>") -> tuple[Any, Locator]:
    """Parse one strict YAML document; raise StrictYAMLError listing every problem found."""
    if "\x00" in text:
        raise StrictYAMLError(
            Problem(
                Location(file, 1, 1), "the file contains a NUL byte", "save it as plain UTF-8 text"
            )
        )
    try:
        problems = _check_events(file, text)
        if problems:
            raise StrictYAMLError(problems)
        loader = _LOADER(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        raise StrictYAMLError(
            Problem(
                _loc(file, mark),
                f"YAML syntax: {what}",
                "check indentation, colons and quotes on this line",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise StrictYAMLError(
            Problem(Location(file, 1, 1), f"YAML syntax: {exc}", "check the file is YAML")
        ) from None
    except RecursionError:
        raise StrictYAMLError(
            Problem(
                Location(file, 1, 1), "the document is nested too deeply", "flatten the structure"
            )
        ) from None
    if root is None:
        raise StrictYAMLError(
            Problem(Location(file, 1, 1), "the file is empty", "write the document's keys")
        )
    builder = _Builder(file, _LOADER(""))
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise StrictYAMLError(
            Problem(
                Location(file, 1, 1), "the document is nested too deeply", "flatten the structure"
            )
        ) from None
    if builder.problems:
        raise StrictYAMLError(builder.problems)
    return data, builder.locator
