"""Remembering trees already validated, so deciding a case does not prove the tree again.

A tree's validity is a pure function of its bytes, the vocabulary, the registry and the code
that checks them; the cache key is the SHA-256 of all four. A hit skips the YAML parse, the
graph checks and the networkx import (about 0.25 s on the England tree, more than the rest
of `sharewise decide`); the model itself is still validated by pydantic from the cached JSON.
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
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sharewise import __version__
from sharewise.domain.citations import Registry
from sharewise.domain.decide_cache import CACHE_ENV, cache_dir
from sharewise.domain.facts import Vocabulary
from sharewise.domain.strict_yaml import Locator
from sharewise.domain.tree import TreeFile
from sharewise.private_files import make_dirs_private

__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "load", "store"]

_HERE = Path(__file__).resolve().parent
# The modules whose code decides whether a tree is valid and what it parses to.
_CODE = ("tree.py", "validate.py", "strict_yaml.py", "loader.py", "tree_cache.py")
_code_digest: str | None = None


def cache_key(tree_sha256: str, vocabulary: Vocabulary, registry: Registry) -> str:
    """What a validation result depends on, as one digest."""
    global _code_digest
    if _code_digest is None:
        code = hashlib.sha256(__version__.encode())
        for name in _CODE:
            code.update((_HERE / name).read_bytes())
        _code_digest = code.hexdigest()
    key = hashlib.sha256()
    for part in (
        tree_sha256,
        _code_digest,
        vocabulary.model_dump_json(),
        registry.model_dump_json(),
    ):
        key.update(part.encode())
        key.update(b"\x00")
    return key.hexdigest()


def load(key: str, file: str) -> tuple[TreeFile, Locator] | None:
    """The validated tree stored under `key`, with its locations, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        payload = json.loads((folder / f"{key}.json").read_bytes())
        model = TreeFile.model_validate(payload["model"])
        marks = {tuple(path): (line, col) for path, line, col in payload["marks"]}
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None
    return model, Locator(file, marks)


def store(key: str, model: TreeFile, locator: Locator) -> None:
    """Remember a tree that passed validation; any failure to write is ignored."""
    folder = cache_dir()
    if folder is None:
        return
    payload: dict[str, Any] = {
        "model": model.model_dump(mode="json"),
        "marks": [[list(path), line, col] for path, (line, col) in locator.marks.items()],
    }
    with contextlib.suppress(OSError):
        make_dirs_private(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                # dumps, not dump: json.dump streams through the pure-Python encoder,
                # about 0.1 s for the England tree; dumps uses the C one in one go.
                out.write(json.dumps(payload, separators=(",", ":")))
            os.chmod(tmp, 0o600)
            os.replace(tmp, folder / f"{key}.json")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
