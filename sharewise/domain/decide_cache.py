"""A warm `decide --facts`: the answer from a compiled tree, without pydantic or networkx.

Deciding one case from a facts file is mostly start-up: defining the pydantic models of the
tree and the result, and filling them, cost three times the interpreter's own start. The
first `decide` on a tree (the full path: parse, validate, decide) therefore leaves behind a
compiled form of exactly what deciding needs, in plain JSON: each fact's values, each
question's answers with the facts they settle and where they lead, and for each outcome the
text `decide` prints and the JSON object `decide --json` prints, both written by the full
path's own code (so the bytes cannot differ). The next `decide` on the same tree reads that,
routes the facts over it and prints, importing neither pydantic nor networkx.

What it depends on is the key (`key`): the SHA-256 of the tree's bytes, of the vocabulary's
and the registry's, the package version, this format and the source of every module whose
code decides what `decide` prints. A changed tree, vocabulary, registry or program is simply
a miss. An entry also carries the SHA-256 of its own body, checked on every read, so a
truncated or damaged file is a miss, never a different decision. Anything that is not a
plain case (an unknown fact or value, a missing fact, facts no answer fits) goes to the full
path, which words the error exactly as before. Entries hold no personal data (only the
tree); they are written private (0600, in a 0700 folder) like everything sharewise writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharewise import __version__, paths
from sharewise.domain.code_digest import code_digest

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.result import DecisionResult

#: Bumped whenever the layout of an entry changes (2: each fact's default).
FORMAT = 2
CACHE_ENV = "SHAREWISE_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent.parent
#: The modules whose code decides what `decide` prints for a given tree (relative to the
#: package): a change to any of them is a different key.
_CODE = (
    "domain/decide_cache.py",
    "domain/decide.py",
    "domain/facts_file.py",
    "domain/graph.py",
    "domain/walk.py",
    "domain/emergency.py",
    "domain/result.py",
    "domain/safe_text.py",
    "domain/tree_cache.py",
    "domain/tree.py",
    "domain/nodes.py",
    "domain/validate.py",
    "domain/strict_yaml.py",
    "domain/source_text.py",
    "domain/model_cache.py",
    "domain/loader.py",
    "domain/facts.py",
    "domain/citations.py",
    "domain/words.py",
    "cli/decide_cmd.py",
)
_SUFFIX = ".decide"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off (SHAREWISE_CACHE_DIR=off)."""
    where = os.environ.get(CACHE_ENV, "")
    if where == "off":
        return None
    if where:
        return Path(where)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sharewise", appauthor=False)) / "trees"


def _code() -> str:
    return code_digest(_PACKAGE, _CODE, __version__, FORMAT)


def key(tree_raw: bytes) -> str | None:
    """The key of a compiled tree decided with the shipped vocabulary and registry, or None
    when one of them cannot be read (the full path then says why)."""
    try:
        parts = [
            _code(),
            hashlib.sha256(tree_raw).hexdigest(),
            hashlib.sha256(paths.facts_path().read_bytes()).hexdigest(),
            hashlib.sha256(paths.citations_path().read_bytes()).hexdigest(),
        ]
    except OSError:
        return None
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class _NotPlain(Exception):
    """Not a plain case: the full path decides it (and words any error)."""


class Compiled:
    """What deciding a case on one tree needs, as plain data (see `build`)."""

    __slots__ = ("_outcome", "defaults", "outcomes", "questions", "start", "values")

    def __init__(self, body: dict[str, Any], outcome: Callable[[str], list[Any]]) -> None:
        self.start: str = body["start"]
        self.values: dict[str, frozenset[str]] = {
            name: frozenset(values) for name, values in body["values"].items()
        }
        # node -> (its fact, every fact it settles, [(value, next, [(fact, value), ...])])
        self.questions: dict[str, tuple[str, list[str], list[tuple[str, str, list[Any]]]]] = {
            node: (q[0], q[1], [(c[0], c[1], c[2]) for c in q[2]])
            for node, q in body["questions"].items()
        }
        self.outcomes: frozenset[str] = frozenset(body["outcomes"])
        # fact -> the answer a facts file that leaves it out is decided with (Fact.default)
        self.defaults: dict[str, str] = body["defaults"]
        # outcome -> [the text `decide` prints, the object `decide --json` prints, path
        # empty]: read from the file only for the outcome reached.
        self._outcome = outcome

    def decide(self, facts: Mapping[str, object]) -> tuple[str, list[tuple[str, str, str]]]:
        """The outcome and the path's (node, fact, answer) for a plain case, as `decide`
        finds them; raises _NotPlain for anything else."""
        values = self.values
        for name, value in facts.items():
            if not isinstance(value, str) or value not in values.get(name, ()):
                raise _NotPlain
        route = self._route(facts, self.start)
        end = route[-1][1][1] if route else self.start
        path = [
            (node, fact, answer)
            for node, choice in route
            for fact, answer in choice[2]
            if fact in facts
        ]
        return end, path

    def _route(
        self, facts: Mapping[str, object], node: str
    ) -> list[tuple[str, tuple[str, str, list[Any]]]]:
        """`decide.route_facts` over plain data: the same answers, in the same order."""
        route: list[tuple[str, tuple[str, str, list[Any]]]] = []
        outcomes, questions = self.outcomes, self.questions
        while node not in outcomes:
            fact, settled, choices = questions[node]
            if fact not in facts:
                if fact not in self.defaults:
                    raise _NotPlain
                facts = {**facts, fact: self.defaults[fact]}  # as `route_facts` takes it
            fitting = [c for c in choices if all(facts.get(f, v) == v for f, v in c[2])]
            exact = [c for c in fitting if all(f in facts and facts[f] == v for f, v in c[2])]
            if len(exact) == 1:
                route.append((node, exact[0]))
                node = exact[0][1]
                continue
            if not fitting or all(f in facts for f in settled):
                raise _NotPlain
            ends: dict[str, list[tuple[str, tuple[str, str, list[Any]]]]] = {}
            for candidate in fitting:
                rest = self._route(facts, candidate[1])
                end = rest[-1][1][1] if rest else candidate[1]
                ends.setdefault(end, [(node, candidate), *rest])
            if len(ends) != 1:
                raise _NotPlain
            return [*route, *next(iter(ends.values()))]
        return route

    def _part(self, outcome: str) -> list[Any] | None:
        """An outcome's [text, JSON object], or None if its part of the file is damaged (a
        truncated file, a changed byte: its digest no longer matches)."""
        try:
            part = self._outcome(outcome)
            if isinstance(part, list) and len(part) == 2 and isinstance(part[1], dict):
                return part
        except (ValueError, KeyError, TypeError, IndexError):
            pass
        return None

    def text(self, facts: Mapping[str, object]) -> str | None:
        """What `decide` prints for these facts, or None if it is not a plain case."""
        try:
            end, _ = self.decide(facts)
        except (_NotPlain, TypeError):  # TypeError: a fact named by a list, say
            return None
        part = self._part(end)
        return None if part is None else str(part[0])

    def json_dict(self, facts: Mapping[str, object]) -> dict[str, Any] | None:
        """`DecisionResult.to_json_dict()` for these facts, or None if not a plain case."""
        try:
            end, path = self.decide(facts)
        except (_NotPlain, TypeError):
            return None
        part = self._part(end)
        if part is None:
            return None
        out: dict[str, Any] = dict(part[1])
        out["path"] = [{"node": n, "fact": f, "answer": a} for n, f, a in path]
        return out


def load(cache_key: str) -> Compiled | None:
    """The compiled tree stored under `cache_key`, or None (missing, damaged, off).

    An entry is a header line, then the routing part, then each outcome's part. The header
    names each part's place and SHA-256; the routing part is checked here, an outcome's part
    when it is read (only the one reached is), so a damaged entry is a miss."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = (folder / f"{cache_key}{_SUFFIX}").read_bytes()
        head, body = raw.split(b"\n", 1)
        header = json.loads(head)
        if header["format"] != FORMAT or header["key"] != cache_key:
            return None
        routing = _part(body, header["routing"])
        parts: dict[str, list[Any]] = header["outcomes"]
        return Compiled(json.loads(routing), lambda oid: json.loads(_part(body, parts[oid])))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


class _Damaged(ValueError):
    """A part of an entry whose bytes are not those its header names."""


def _part(body: bytes, where: list[Any]) -> bytes:
    start, length, digest = where
    part = body[start : start + length]
    if _digest(part) != digest:
        raise _Damaged(digest)
    return part


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def build(tree: CompiledTree, render_text: Callable[[DecisionResult], str]) -> dict[str, Any]:
    """The compiled form of a validated tree, each outcome's output written by the full
    path's own code (`render_text`, `to_json_dict`)."""
    from sharewise.domain.walk import build_result

    questions = {
        node: [
            q.fact,
            q.facts(),
            [[c.value, c.next, [[f, v] for f, v in c.facts.items()]] for c in tree.choices(node)],
        ]
        for node, q in tree.model.questions.items()
    }
    outcomes = {}
    for oid in tree.model.outcomes:
        result = build_result(tree, oid, [])
        outcomes[oid] = [render_text(result), result.to_json_dict()]
    return {
        "start": tree.start,
        "values": {name: list(f.values) for name, f in tree.vocabulary.root.items()},
        "defaults": tree.vocabulary.defaults(),
        "questions": questions,
        "outcomes": outcomes,
    }


def store(cache_key: str, body: Mapping[str, Any]) -> None:
    """Remember a compiled tree; any failure to write is ignored (the next run is cold)."""
    folder = cache_dir()
    if folder is None:
        return
    import contextlib
    import tempfile  # not at the top: it costs more than a warm decide's own work

    from sharewise.private_files import make_dirs_private

    routing = {k: v for k, v in body.items() if k != "outcomes"}
    routing["outcomes"] = list(body["outcomes"])
    chunks = [_json(routing)]
    places: dict[str, list[Any]] = {}
    offset = len(chunks[0])
    for oid, part in body["outcomes"].items():
        chunk = _json(part)
        places[oid] = [offset, len(chunk), _digest(chunk)]
        chunks.append(chunk)
        offset += len(chunk)
    header = {
        "format": FORMAT,
        "key": cache_key,
        "routing": [0, len(chunks[0]), _digest(chunks[0])],
        "outcomes": places,
    }
    data = _json(header) + b"\n" + b"".join(chunks)
    with contextlib.suppress(OSError):
        make_dirs_private(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o600)
            os.replace(tmp, folder / f"{cache_key}{_SUFFIX}")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
