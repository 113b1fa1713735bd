"""Parsing trees' YAML in a forked child while this process imports pydantic and builds
the models: `tree check` on two cores.

`tree check` spends about a third of its time importing pydantic and building the tree's
models and a fifth parsing the tree's YAML (`strict_yaml`, which needs only PyYAML). The two
do not depend on each other, so `start` forks a child that parses every tree's bytes, in
order, and hands each result back over a pipe (pickled), while the parent goes on with its
imports; `take` then gives the parent each tree's data and locator.

The child only ever hands back a document it parsed without a problem. Anything else (a
file that is not strict YAML, an error in the child, a child that died, no `fork` on this
system, a process with other threads running, `SHAREWISE_PARSE_AHEAD=off`) makes `take`
return None, and the caller parses in its own process as it always did: every message,
with its file, line and column, comes from that one code path, and the output is the same
either way (tests/unit/test_parse_ahead.py runs both).

The locator (every value's line and column, 23,783 places for the England tree) is only
read to place a problem, so it is handed over by `marshal` (a third of pickle's time to
write, in the child) and stays marshalled until something first reads it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import struct
from collections.abc import Sequence
from typing import Any, BinaryIO

from sharewise.domain.source_text import Locator, PathKey

#: Set to `off` to parse in the one process (the fallback, always correct).
ENV = "SHAREWISE_PARSE_AHEAD"
#: Each result on the pipe: whether it is a parse (1) or "parse it yourself" (0), then the
#: lengths of the pickled data and of the marshalled marks.
_HEAD = struct.Struct("!BQQ")


class LazyLocator(Locator):
    """A `Locator` whose marks are unmarshalled the first time they are read."""

    def __init__(self, file: str, packed: bytes) -> None:  # not the dataclass's
        self.file = file
        self._packed: bytes | None = packed
        self._marks: dict[PathKey, tuple[int, int]] = {}

    @property
    def marks(self) -> dict[PathKey, tuple[int, int]]:
        if self._packed is not None:
            self._marks = marshal.loads(self._packed)
            self._packed = None
        return self._marks

    @marks.setter
    def marks(self, value: dict[PathKey, tuple[int, int]]) -> None:
        self._packed = None
        self._marks = value


class ParseAhead:
    """The parses a child is making, taken in order; None wherever the caller must parse."""

    def __init__(self, pid: int | None = None, pipe: BinaryIO | None = None) -> None:
        self._pid = pid
        self._pipe = pipe
        self._taken = 0

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def take(self, index: int) -> tuple[Any, Locator] | None:
        """The parse of the `index`th source, or None: parse it here. Asked for in order; a
        source not asked for (its load failed before its parse was due) is passed over."""
        if self._pipe is None or index < self._taken:
            self.close()
            return None
        try:
            while True:
                ok, data, marks = self._read_one(self._pipe)
                self._taken += 1
                if self._taken > index:
                    break
            if not ok:
                return None
            file, root = pickle.loads(data)
        except Exception:  # a child that died or wrote something else: parse here
            self.close()
            return None
        return root, LazyLocator(file, marks)

    @staticmethod
    def _read_one(pipe: BinaryIO) -> tuple[bool, bytes, bytes]:
        ok, ndata, nmarks = _HEAD.unpack(pipe.read(_HEAD.size))
        data = pipe.read(ndata)
        marks = pipe.read(nmarks)
        if len(data) != ndata or len(marks) != nmarks:
            raise EOFError
        return bool(ok), data, marks

    def close(self) -> None:
        """Stop reading and wait for the child (closing the pipe ends it if still writing)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start(sources: Sequence[tuple[bytes, str]]) -> ParseAhead:
    """Fork a child parsing each (bytes, name) in turn, or return one that parses nothing
    where forking is not possible or not safe."""
    if not sources or not _may_fork():
        return ParseAhead()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return ParseAhead()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return ParseAhead()
    if pid == 0:  # the child: parse, hand back, and leave without running the parent's code
        code = 0
        try:
            os.close(read_end)
            _parse_all(sources, write_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return ParseAhead(pid, os.fdopen(read_end, "rb"))


def _may_fork() -> bool:
    if os.environ.get(ENV, "").lower() == "off" or not hasattr(os, "fork"):
        return False
    import threading

    # A forked copy of a process with other threads may inherit a lock one of them held.
    return threading.active_count() == 1


def _parse_all(sources: Sequence[tuple[bytes, str]], fd: int) -> None:
    from sharewise.domain.strict_yaml import load_yaml_bytes

    with os.fdopen(fd, "wb") as out:
        for raw, name in sources:
            try:
                root, locator = load_yaml_bytes(raw, name)
                data = pickle.dumps((locator.file, root), protocol=pickle.HIGHEST_PROTOCOL)
                marks = marshal.dumps(locator.marks)
            except Exception:  # every problem is reported by the parent's own parse
                out.write(_HEAD.pack(0, 0, 0))
                continue
            out.write(_HEAD.pack(1, len(data), len(marks)))
            out.write(data)
            out.write(marks)
