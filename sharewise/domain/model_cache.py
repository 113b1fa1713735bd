"""The vocabulary and the registry, validated once and remembered as JSON.

Both are small YAML files read at every start (the UI, `tree check`, `decide`). Parsing
them is what made a program that holds a tree from the tree cache import PyYAML and build
the strict loader at all: about 2 MiB of the running UI's memory for 33 KB of YAML. As the
tree cache does for trees, a file validated once is remembered under the SHA-256 of its
bytes, the model it was validated into and the code that decides that (`_CODE`), and later
validated by pydantic straight from the JSON. A file that fails validation is never
remembered (the full path raises its located errors every time), and a missing, unreadable
or damaged entry is simply validated again. The entries hold no personal data; the folder
and files are private (0700, 0600) like everything sharewise writes. SHAREWISE_CACHE_DIR
names another folder, or `off`.

A loaded tree holds the vocabulary and the registry as plain classes (`nodes.py`):
`plain_vocabulary` and `plain_registry` build them from the same entries without pydantic,
and validate the file (importing pydantic) only when there is no good entry yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sharewise import __version__
from sharewise.domain import nodes
from sharewise.domain.code_digest import code_digest
from sharewise.domain.decide_cache import CACHE_ENV, cache_dir
from sharewise.domain.errors import InputError
from sharewise.domain.source_text import read_source

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["CACHE_ENV", "SUFFIX", "cache_dir", "key", "load_model_file"]

M = TypeVar("M", bound="BaseModel")

#: Bumped whenever the layout of an entry changes.
FORMAT = 1
SUFFIX = ".model"
_HERE = Path(__file__).resolve().parent
#: The modules whose code decides what a vocabulary or registry file validates to.
_CODE = (
    "model_cache.py",
    "loader.py",
    "strict_yaml.py",
    "source_text.py",
    "facts.py",
    "citations.py",
    "nodes.py",
)


def key(raw: bytes, model: type[BaseModel] | str) -> str:
    """What validating `raw` into `model` (or the model of this dotted name) depends on."""
    name = model if isinstance(model, str) else f"{model.__module__}.{model.__qualname__}"
    code = code_digest(_HERE, _CODE, __version__, FORMAT)
    digest = hashlib.sha256()
    for part in (code, name):
        digest.update(part.encode() + b"\x00")
    digest.update(raw)
    return digest.hexdigest()


def load_model_file(path: Path, model: type[M], what: str) -> M:
    """As `loader.load_model` without the locator: the file validated into `model`, from the
    cache when these very bytes were validated before; errors located as the full path's."""
    from pydantic import ValidationError

    from sharewise.domain.loader import validate_data

    raw = read_source(path)
    folder = cache_dir()
    entry = None if folder is None else folder / f"{key(raw, model)}{SUFFIX}"
    if entry is not None:
        with contextlib.suppress(OSError, ValueError, ValidationError):
            return model.model_validate_json(entry.read_bytes())
    from sharewise.domain.strict_yaml import load_yaml_bytes

    data, locator = load_yaml_bytes(raw, str(path))
    found = validate_data(data, locator, model, what)
    if entry is not None:
        _store(entry, found.model_dump_json().encode())
    return found


@lru_cache(maxsize=8)
def plain_vocabulary(path: Path) -> nodes.Vocabulary:
    """The vocabulary file as plain classes: from its entry when these bytes were validated
    before (no pydantic), else validated (`facts.load_vocabulary`) and then made plain."""
    found = _plain(path, nodes.Vocabulary.MODEL, nodes.Vocabulary.from_data)
    if found is not None:
        return found
    from sharewise.domain.facts import load_vocabulary

    return nodes.Vocabulary.from_model(load_vocabulary(path))


@lru_cache(maxsize=8)
def plain_registry(path: Path) -> nodes.Registry:
    """As `plain_vocabulary`, for the citation registry."""
    found = _plain(path, nodes.Registry.MODEL, nodes.Registry.from_data)
    if found is not None:
        return found
    from sharewise.domain.citations import load_registry

    return nodes.Registry.from_model(load_registry(path))


P = TypeVar("P", nodes.Vocabulary, nodes.Registry)


def _plain(path: Path, model: str, build: Callable[[object], P]) -> P | None:
    """The entry for `path`'s bytes validated into `model`, built plain; None on a miss (no
    entry, or one that is unreadable, damaged or not of that shape)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = read_source(path)
        return build(json.loads((folder / f"{key(raw, model)}{SUFFIX}").read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, InputError):
        return None


#: The modules whose code decides what a settings file's settled answers are.
_SETTINGS_CODE = (*_CODE, "settings.py")
SETTINGS_SUFFIX = ".settings"


def settled_answers(settings_file: Path, facts_file: Path) -> dict[str, str]:
    """The settled answers of a data folder's `settings_file` (`settings.yaml`, which must
    exist), checked against the vocabulary in `facts_file` (`settings.load_settings`), and
    remembered by the SHA-256 of both files' bytes and of the code that checks them. A hit
    reads a small JSON object and imports neither PyYAML nor pydantic: an organisation that
    deploys a settings file keeps the running UI's memory as low as one without. A file
    with a problem is never remembered (its located errors are raised every time), and an
    entry is written only if the file still holds the bytes that were checked. Settled
    answers are facts about the organisation or the practitioner's role, never about a case
    or a person."""
    folder = cache_dir()
    entry = None
    raw = b""
    if folder is not None:
        raw = read_source(settings_file)
        digest = hashlib.sha256(code_digest(_HERE, _SETTINGS_CODE, __version__, FORMAT).encode())
        for part in (raw, read_source(facts_file)):
            digest.update(b"\x00" + hashlib.sha256(part).digest())
        entry = folder / f"{digest.hexdigest()}{SETTINGS_SUFFIX}"
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(entry.read_bytes())
            if type(found) is dict and all(
                type(k) is str and type(v) is str for k, v in found.items()
            ):
                return found
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import load_settings

    settled = load_settings(settings_file.parent, load_vocabulary(facts_file))
    if entry is not None and read_source(settings_file) == raw:
        _store(entry, json.dumps(settled).encode())
    return settled


def _store(entry: Path, data: bytes) -> None:
    """Write an entry privately and atomically; any failure to write is ignored."""
    import tempfile

    from sharewise.private_files import make_dirs_private

    with contextlib.suppress(OSError):
        make_dirs_private(entry.parent)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o600)
            os.replace(tmp, entry)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
