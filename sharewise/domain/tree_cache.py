"""Remembering trees already validated, so deciding a case does not prove the tree again.

A tree's validity is a pure function of its bytes, the vocabulary, the registry and the code
that checks them; the cache key is the SHA-256 of all four. A hit skips the YAML parse, the
graph checks and the networkx import (about 0.25 s on the England tree, more than the rest
of `sharewise decide`). A hit builds the tree's plain nodes (`nodes.py`) straight from the
entry's JSON, without pydantic: the entry was written from a tree that passed validation and
carries the SHA-256 of its lines, and the running UI never imports pydantic before a result
is built (issue 17's memory goal). The locations are found (from the tree's bytes) only if an
error or a tool asks for one.
A failed validation is never cached, and a missing, unreadable or damaged entry is simply
validated again. Entries hold no personal data (only the tree); the folder is still kept
private (0700, files 0600) like everything sharewise writes. SHAREWISE_CACHE_DIR names
another folder, or `off`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sharewise import __version__
from sharewise.domain.code_digest import code_digest
from sharewise.domain.decide_cache import CACHE_ENV, cache_dir
from sharewise.domain.nodes import Outcome, Question, Registry, Tree, Vocabulary
from sharewise.domain.source_text import Locator, PathKey
from sharewise.private_files import make_dirs_private

__all__ = ["CACHE_ENV", "SUFFIX", "cache_dir", "cache_key", "load", "store"]

#: The layout of an entry (a line per node; see `store`). Bumped whenever it changes.
FORMAT = 5
SUFFIX = ".tree"

_HERE = Path(__file__).resolve().parent
# The modules whose code decides whether a tree is valid and what it parses to.
_CODE = (
    "tree.py",
    "graph.py",
    "validate.py",
    "strict_yaml.py",
    "source_text.py",
    "loader.py",
    "tree_cache.py",
    "nodes.py",
)


def cache_key(tree_sha256: str, vocabulary: Vocabulary, registry: Registry) -> str:
    """What a validation result depends on, as one digest."""
    key = hashlib.sha256()
    for part in (
        tree_sha256,
        code_digest(_HERE, _CODE, __version__, FORMAT),
        json.dumps(vocabulary.dump()),
        json.dumps(registry.dump()),
    ):
        key.update(part.encode())
        key.update(b"\x00")
    return key.hexdigest()


def load(key: str, file: str, source: Callable[[], bytes | None]) -> tuple[Tree, Locator] | None:
    """The validated tree stored under `key`, as plain nodes, with its locations, or None.

    Each question and outcome is built from its own JSON line, one line read at a time, and
    the tree's own fields then around those nodes: no pydantic (the entry was written from a
    validated tree, and the SHA-256 of its lines is checked), so the UI holding a cached tree
    never imports it. The locations (23,000 of them, 16 MiB as a map) are not kept in the
    entry: they are found again from the tree's own bytes (`source` gives them; their digest
    is part of the key) only if one is asked for, and deciding and walking never ask. The
    bytes are not held here: `source` asks `tree_sources`, which keeps them compressed.
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / f"{key}{SUFFIX}").open("rb") as entry:
            head = json.loads(entry.readline())
            if head["format"] != FORMAT:
                return None
            # The digest of the lines after the header: an entry cut short at the end of a
            # line would otherwise be a tree with nodes missing.
            body = hashlib.sha256(line := entry.readline())
            fields = json.loads(line)
            questions: dict[str, Question] = {}
            outcomes: dict[str, Outcome] = {}
            for line in entry:
                body.update(line)
                kind, node_id, node_json = line.split(b" ", 2)
                if kind == b"q":
                    questions[sys.intern(node_id.decode())] = Question.from_data(
                        json.loads(node_json)
                    )
                elif kind == b"o":
                    outcomes[sys.intern(node_id.decode())] = Outcome.from_data(
                        json.loads(node_json)
                    )
                else:
                    return None
        if body.hexdigest() != head["sha256"]:
            return None
        tree = Tree.from_data(fields, questions, outcomes)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return tree, _LazyLocator(file, source)


class _LazyLocator(Locator):
    """A cached tree's locations, from parsing its bytes again on first use: the same bytes
    and the same parser as when it was validated, so the same lines and columns. Bytes that
    can no longer be had (never the case for a tree loaded by `graph.load_tree`) locate
    nothing: a problem is then reported at the file, without a line."""

    def __init__(self, file: str, source: Callable[[], bytes | None]) -> None:
        self.file = file
        self._source: Callable[[], bytes | None] | None = source
        self._marks: dict[PathKey, tuple[int, int]] = {}

    @property
    def marks(self) -> dict[PathKey, tuple[int, int]]:
        if self._source is not None:
            from sharewise.domain.strict_yaml import load_yaml_bytes

            raw = self._source()
            if raw is not None:
                self._marks = load_yaml_bytes(raw, self.file)[1].marks
            self._source = None
        return self._marks

    @marks.setter
    def marks(self, value: dict[PathKey, tuple[int, int]]) -> None:
        self._source, self._marks = None, value


def store(key: str, tree: Tree) -> None:
    """Remember a tree that passed validation; any failure to write is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    # A header line, the tree's own fields, then a line per question (`q ID JSON`) and per
    # outcome (`o ID JSON`), each as pydantic's `model_dump(mode="json")` of the validated
    # model (`nodes.py` holds the two equal). Compact JSON holds no raw newline (one in a
    # string is written as an escape), and a node id no space, so each is one line split at
    # its first two spaces. The header holds the SHA-256 of all the lines after it.
    head_fields = tree.dump()
    del head_fields["questions"], head_fields["outcomes"]
    lines = [_json(head_fields)]
    for kind, group in (
        (b"q ", tree.questions.items()),
        (b"o ", tree.outcomes.items()),
    ):
        for node_id, node in group:
            lines.append(kind + node_id.encode() + b" " + _json(node.dump()))
    body = b"\n".join(lines)
    head = {"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}
    data = json.dumps(head).encode() + b"\n" + body
    with contextlib.suppress(OSError):
        make_dirs_private(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o600)
            os.replace(tmp, folder / f"{key}{SUFFIX}")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
