"""Strict YAML for files people write: one meaning per line, or an error that says where.

Plain PyYAML turns `yes`, `no`, `on` into booleans (silently losing an answer), follows
anchors and aliases (billion-laughs), honours tags and keeps the last of duplicate keys.
Here only `true`/`false` are booleans, and everything else in that list is refused with the
file, line and column. Alongside the data, a `Locator` maps each path into the document
(`("questions", "danger", "options", 0, "next")`) to where it was written, so that later
schema and graph errors can point at the line too.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sharewise.domain.errors import InputError, Location, Problem

MAX_BYTES = 1024 * 1024
PathKey = tuple[str | int, ...]


class StrictYAMLError(InputError):
    """A file that is not strict YAML; always names the file, line and column."""


# libyaml's C parser (shipped in PyYAML's wheels) parses the England tree about ten times
# faster than the pure-Python one; the strict checks below work on its events and nodes alike.
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _strict_loader_class() -> type[yaml.SafeLoader]:
    """A SafeLoader whose implicit resolvers treat only true/false as booleans."""

    class _Loader(_BASE):  # type: ignore[valid-type,misc]
        pass

    resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:bool"]
        resolvers[first] = kept
    _Loader.yaml_implicit_resolvers = resolvers
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
    )
    return _Loader


_LOADER = _strict_loader_class()
_IMPLICIT_OK = {None, "!"}


@dataclass
class Locator:
    """Where each part of a document was written, for errors found after parsing."""

    file: str
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Sequence[str | int] = ()) -> Location:
        """The location of `path`, or of its nearest written ancestor."""
        key = tuple(path)
        while key:
            if key in self.marks:
                line, col = self.marks[key]
                return Location(self.file, line, col)
            key = key[:-1]
        line, col = self.marks.get((), (1, 1))
        return Location(self.file, line, col)

    def within(self, prefix: Sequence[str | int]) -> Locator:
        """The part of the document under `prefix`, as a locator of its own (a scenario's
        `facts:` block for `decide`, which locates problems relative to a facts mapping)."""
        n = len(prefix)
        head, key_head = tuple(prefix), ("#key", *prefix)
        marks = {k[n:]: v for k, v in self.marks.items() if k[:n] == head}
        marks |= {("#key", *k[n + 1 :]): v for k, v in self.marks.items() if k[: n + 1] == key_head}
        return Locator(self.file, marks)

    def key_at(self, path: Sequence[str | int]) -> Location:
        """The location of a mapping key (where a person would look for a misspelt key)."""
        key = ("#key", *path)
        if key in self.marks:
            line, col = self.marks[key]
            return Location(self.file, line, col)
        return self.at(path)


def _loc(file: str, node_or_mark: Any) -> Location:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    if mark is None:
        return Location(file, 1, 1)
    return Location(file, mark.line + 1, mark.column + 1)


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


def load_yaml_text(text: str, file: str = "<text>") -> tuple[Any, Locator]:
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


@dataclass(frozen=True, slots=True)
class GivenText:
    """Input the caller has already read (the command line's `-`: standard input), with the
    name errors should give it; every loader that takes a path takes this in its place, so
    reading standard input stays at the boundary and nothing here touches `sys.stdin`."""

    name: str
    data: bytes

    def __str__(self) -> str:
        return self.name


#: What every file loader accepts: a path, or text already read from standard input.
Source = str | Path | GivenText


def _too_big(name: str, size: int) -> StrictYAMLError:
    return StrictYAMLError(
        Problem(
            Location(name),
            f"the file is {'more than ' if size == MAX_BYTES + 1 else ''}"
            f"{min(size, MAX_BYTES) if size == MAX_BYTES + 1 else size} bytes, over the "
            f"{MAX_BYTES}-byte limit",
            "split it, or check it is the right file",
        )
    )


def read_source(path: Source) -> bytes:
    """Read a file a person wrote, refusing oversized files with a clear, located error."""
    name = str(path)
    if isinstance(path, GivenText):
        if len(path.data) > MAX_BYTES:
            raise _too_big(name, len(path.data))
        return path.data
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(name, size)
        # Read at most one byte past the limit: st_size says nothing about a device
        # (/dev/zero is "0 bytes" and endless) or a pipe (`<(...)`), so it cannot be trusted.
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _too_big(name, len(data))
        return data
    except FileNotFoundError:
        raise InputError(Problem(Location(name), "no such file", "check the path")) from None
    except IsADirectoryError:
        raise InputError(
            Problem(Location(name), "this is a folder, not a file", "name a YAML file")
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(
                Location(name),
                f"cannot read the file ({exc.strerror})",
                "check the path and its permissions",
            )
        ) from None


def load_yaml_bytes(raw: bytes, file: str) -> tuple[Any, Locator]:
    """Decode UTF-8 (with or without a BOM) and parse strictly."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise StrictYAMLError(
            Problem(Location(file, line, 1), "the file is not UTF-8 text", "save it as UTF-8")
        ) from None
    return load_yaml_text(text, file)


def load_yaml_file(path: Source) -> tuple[Any, Locator]:
    """Read and parse a strict YAML file, refusing oversized and non-UTF-8 files."""
    return load_yaml_bytes(read_source(path), str(path))
