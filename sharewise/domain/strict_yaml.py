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
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from sharewise.domain.errors import Location, Problem
from sharewise.domain.source_text import MAX_BYTES as MAX_BYTES
from sharewise.domain.source_text import GivenText as GivenText
from sharewise.domain.source_text import Locator as Locator
from sharewise.domain.source_text import PathKey as PathKey
from sharewise.domain.source_text import Source as Source
from sharewise.domain.source_text import StrictYAMLError as StrictYAMLError
from sharewise.domain.source_text import read_source as read_source

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


def _loc(file: str, node_or_mark: Any) -> Location:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    if mark is None:
        return Location(file, 1, 1)
    return Location(file, mark.line + 1, mark.column + 1)


#: Deeper nesting than this is refused ("nested too deeply"); the tree files nest six deep.
#: (The recursive builder this replaced ran out of stack at about 490 levels.)
MAX_DEPTH = 400
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_CONSTRUCTED = frozenset(
    {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
)
#: In place of a mapping's next key: the value coming is skipped (its key was refused).
_SKIP = object()
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: list(entries) + list(_LOADER.yaml_implicit_resolvers.get(None, []))
    for first, entries in _LOADER.yaml_implicit_resolvers.items()
    if first is not None
}


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag `_LOADER.resolve(ScalarNode, value, implicit)` gives a scalar with no tag of
    its own (or `!`): only a plain scalar is resolved, by the patterns for its first
    character; anything else is text."""
    if implicit[0]:
        for tag, pattern in _RESOLVERS.get(value[:1], ()):
            if pattern.match(value):
                return tag
    return _STR


class _Frame:
    """A mapping or sequence being built, or a part of the document being skipped."""

    __slots__ = ("container", "depth", "key", "path")

    def __init__(self, container: Any, path: PathKey, depth: int = 0) -> None:
        self.container = container
        self.path = path
        #: A mapping's key whose value comes next, None when a key comes next, or _SKIP.
        self.key: Any = None
        #: For a skipped part: how many collections deep inside it the events are.
        self.depth = depth


def _event_problems(file: str, event: Any) -> list[Problem]:
    """Anchors, aliases and explicit tags: refused wherever they are."""
    problems: list[Problem] = []
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        problems.append(
            Problem(
                _loc(file, event), f"alias *{anchor} is not allowed", "write the value out in full"
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


def _scalar(file: str, event: Any, constructor: Any, built: list[Problem]) -> Any:
    """A scalar's value: only true/false are booleans; numbers and dates as YAML reads them."""
    value = event.value
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolve(value, event.implicit)
    if tag == _BOOL:
        return value == "true"
    if tag == _NULL:
        return None
    if tag in _CONSTRUCTED:
        try:
            node = ScalarNode(tag, value, event.start_mark, event.end_mark)
            return constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            built.append(
                Problem(_loc(file, event), f"cannot read {value!r}", "quote it to make it text")
            )
    return value


def _load_events(file: str, text: str) -> tuple[Any, Locator]:
    """Parse one strict YAML document in one pass over libyaml's events.

    Refuses, with the messages and in the order that composing nodes and then building data
    from them did: anchors, aliases and explicit tags (anywhere in the stream), then a
    document nested too deeply, then a second document, then an empty file, then merge
    keys, keys that are not plain text, duplicate keys and numbers or dates that cannot be
    read (in the first document, in order). Building from the events skips the node
    objects, which cost more than the parse itself on the England tree.
    """
    problems: list[Problem] = []  # anchors, aliases, tags: checked on every event
    built: list[Problem] = []  # what building the first document found
    locator = Locator(file)
    marks = locator.marks
    stack: list[_Frame] = []
    skipping: _Frame | None = None
    root: Any = None
    documents = 0
    another: Any = None  # where a second document starts
    too_deep = False
    constructor = _LOADER("")
    loader = _LOADER(text)
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        get = loader.get_event
        scalar_event = yaml.ScalarEvent
        while True:
            event = get()  # type: ignore[no-untyped-call]
            kind = type(event)
            # The common case first, taken the same way below (tests/unit/
            # test_strict_yaml_events.py holds both to the loader this replaced): plain text
            # with no anchor or tag, as a new key or as a value that resolves to text.
            if (
                kind is scalar_event
                and stack
                and skipping is None
                and not too_deep
                and documents == 1
                and event.anchor is None
                and event.tag is None
            ):
                top = stack[-1]
                container = top.container
                value = event.value
                mark = event.start_mark
                if type(container) is list:
                    if not (event.implicit[0] and value[:1] in _RESOLVERS):
                        marks[(*top.path, len(container))] = (mark.line + 1, mark.column + 1)
                        container.append(value)
                        continue
                elif top.key is None:
                    if value[:1] != "<" and value not in container:
                        marks[("#key", *top.path, value)] = (mark.line + 1, mark.column + 1)
                        top.key = value
                        continue
                elif top.key is not _SKIP and not (event.implicit[0] and value[:1] in _RESOLVERS):
                    marks[(*top.path, top.key)] = (mark.line + 1, mark.column + 1)
                    container[top.key] = value
                    top.key = None
                    continue
            if (
                kind is yaml.AliasEvent
                or event.__dict__.get("anchor") is not None
                or event.__dict__.get("tag") not in _IMPLICIT_OK
            ):
                problems += _event_problems(file, event)
            if kind is yaml.StreamEndEvent:
                break
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    another = event.start_mark
                continue
            if documents != 1 or too_deep or kind in (yaml.DocumentEndEvent, yaml.StreamStartEvent):
                continue
            # -- building the first document ------------------------------------------------
            if skipping is not None:
                if kind in starts:
                    skipping.depth += 1
                elif kind in ends:
                    skipping.depth -= 1
                if skipping.depth == 0:
                    skipping = None
                    # A refused key has been passed: its value is skipped next. A refused
                    # key's value has been passed: a key comes next.
                    stack[-1].key = _SKIP if stack[-1].key is None else None
                continue
            if kind in ends:
                stack.pop()
                continue
            parent = stack[-1] if stack else None
            if parent is None:
                path: PathKey = ()
            elif type(parent.container) is list:
                path = (*parent.path, len(parent.container))
            elif parent.key is None:  # this event is a key
                if kind is yaml.ScalarEvent:
                    key = event.value
                    if event.tag in _IMPLICIT_OK and _resolve(key, event.implicit) == _MERGE:
                        built.append(
                            Problem(
                                _loc(file, event),
                                "merge keys (<<) are not allowed",
                                "write the keys out in full",
                            )
                        )
                        parent.key = _SKIP
                    elif key in parent.container:
                        built.append(
                            Problem(
                                _loc(file, event),
                                f"duplicate key {key!r}",
                                "remove or rename one of them: YAML would silently keep only "
                                "the last",
                            )
                        )
                        parent.key = _SKIP
                    else:
                        mark = event.start_mark
                        marks[("#key", *parent.path, key)] = (mark.line + 1, mark.column + 1)
                        parent.key = key
                elif kind in starts:
                    built.append(
                        Problem(
                            _loc(file, event),
                            "a key must be plain text",
                            "use a simple word as the key",
                        )
                    )
                    skipping = _Frame(None, (), depth=1)
                else:  # an alias as a key (refused above)
                    parent.key = _SKIP
                continue
            elif parent.key is _SKIP:  # the value of a refused key
                if kind in starts:
                    skipping = _Frame(None, (), depth=1)
                else:
                    parent.key = None
                continue
            else:
                path = (*parent.path, parent.key)
            mark = event.start_mark
            marks[path] = (mark.line + 1, mark.column + 1)
            opened = None
            if kind is yaml.ScalarEvent:
                node: Any = _scalar(file, event, constructor, built)
            elif kind is yaml.MappingStartEvent:
                node = {}
                opened = _Frame(node, path)
            elif kind is yaml.SequenceStartEvent:
                node = []
                opened = _Frame(node, path)
            else:  # an alias (refused above): nothing to build
                node = None
            if parent is None:
                root = node
            elif type(parent.container) is list:
                parent.container.append(node)
            else:
                parent.container[parent.key] = node
                parent.key = None
            if opened is not None:
                stack.append(opened)
                too_deep = len(stack) > MAX_DEPTH
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
    finally:
        loader.dispose()
    if problems:
        raise StrictYAMLError(problems)
    if too_deep:
        raise StrictYAMLError(
            Problem(
                Location(file, 1, 1), "the document is nested too deeply", "flatten the structure"
            )
        )
    if another is not None:
        # What composing said: a file holds one document.
        raise StrictYAMLError(
            Problem(
                _loc(file, another),
                "YAML syntax: but found another document",
                "check indentation, colons and quotes on this line",
            )
        )
    if documents == 0:
        raise StrictYAMLError(
            Problem(Location(file, 1, 1), "the file is empty", "write the document's keys")
        )
    if built:
        raise StrictYAMLError(built)
    return root, locator


def load_yaml_text(text: str, file: str = "<text>") -> tuple[Any, Locator]:
    """Parse one strict YAML document; raise StrictYAMLError listing every problem found."""
    if "\x00" in text:
        raise StrictYAMLError(
            Problem(
                Location(file, 1, 1), "the file contains a NUL byte", "save it as plain UTF-8 text"
            )
        )
    return _load_events(file, text)


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
