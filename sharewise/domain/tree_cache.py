"""Remembering trees already validated, so deciding a case does not prove the tree again.

A tree's validity is a pure function of its bytes, the vocabulary, the registry and the code
that checks them; the cache key is the SHA-256 of all four. A hit skips the YAML parse, the
graph checks and the networkx import (about 0.25 s on the England tree, more than the rest
of `sharewise decide`); the model itself is still validated by pydantic from the cached JSON,
and the locations are found (from the tree's bytes) only if an error or a tool asks for one.
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
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from sharewise import __version__
from sharewise.domain.citations import Registry
from sharewise.domain.code_digest import code_digest
from sharewise.domain.decide_cache import CACHE_ENV, cache_dir
from sharewise.domain.facts import Vocabulary
from sharewise.domain.source_text import Locator, PathKey
from sharewise.domain.tree import Outcome, Question, TreeFile
from sharewise.private_files import make_dirs_private

__all__ = ["CACHE_ENV", "SUFFIX", "cache_dir", "cache_key", "load", "store"]

#: The layout of an entry (a line per node; see `store`). Bumped whenever it changes.
FORMAT = 4
SUFFIX = ".tree"

_HERE = Path(__file__).resolve().parent
# The modules whose code decides whether a tree is valid and what it parses to.
_CODE = (
    "tree.py",
    "validate.py",
    "strict_yaml.py",
    "source_text.py",
    "loader.py",
    "tree_cache.py",
)


def cache_key(tree_sha256: str, vocabulary: Vocabulary, registry: Registry) -> str:
    """What a validation result depends on, as one digest."""
    key = hashlib.sha256()
    for part in (
        tree_sha256,
        code_digest(_HERE, _CODE, __version__, FORMAT),
        vocabulary.model_dump_json(),
        registry.model_dump_json(),
    ):
        key.update(part.encode())
        key.update(b"\x00")
    return key.hexdigest()


def load(
    key: str, file: str, source: Callable[[], bytes | None]
) -> tuple[TreeFile, Locator] | None:
    """The validated tree stored under `key`, with its locations, or None.

    Each question and outcome is validated by pydantic straight from its own JSON line, one
    line read at a time, and the tree's own fields then around those nodes (pydantic takes
    a node already validated as it is). Validating the whole tree from one 850 KiB line held
    that line and pydantic-core's parse of all of it at once: the UI's peak memory is reached
    here, about 1.5 MiB higher that way. The locations (23,000 of them, 16 MiB as a map) are
    not kept in the entry: they are found again from the tree's own bytes (`source` gives
    them; their digest is part of the key) only if one is asked for, and deciding and walking
    never ask. The bytes are not held here: `source` asks `tree_sources`, which keeps them
    compressed.
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
            nodes: dict[bytes, dict[str, Question | Outcome]] = {b"q": {}, b"o": {}}
            for line in entry:
                body.update(line)
                kind, node_id, node_json = line.split(b" ", 2)
                node = (Question if kind == b"q" else Outcome).model_validate_json(node_json)
                nodes[kind][node_id.decode()] = node
        if body.hexdigest() != head["sha256"] or not isinstance(fields, dict):
            return None
        model = TreeFile.model_validate(
            {**fields, "questions": nodes[b"q"], "outcomes": nodes[b"o"]}
        )
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None
    return model, _LazyLocator(file, source)


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


def store(key: str, model: TreeFile) -> None:
    """Remember a tree that passed validation; any failure to write is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    # A header line, the tree's own fields, then a line per question (`q ID JSON`) and per
    # outcome (`o ID JSON`). Compact JSON holds no raw newline (one in a string is written as
    # an escape), and a node id no space, so each is one line split at its first two spaces.
    # The header holds the SHA-256 of all the lines after it.
    lines = [model.model_dump_json(exclude={"questions", "outcomes"}).encode()]
    for kind, group in ((b"q ", model.questions), (b"o ", model.outcomes)):
        for node_id, node in group.items():
            lines.append(kind + node_id.encode() + b" " + node.model_dump_json().encode())
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
