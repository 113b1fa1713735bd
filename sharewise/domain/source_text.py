"""What the loaders of files people write share without parsing YAML: where each part of a
document was written (`Locator`), what they read (`Source`: a path, or text already read) and
reading it within the size limit (`read_source`).

Apart from `strict_yaml` so that a program holding a tree the cache has already validated (the
UI) neither imports PyYAML nor builds the strict loader: about 2 MiB of its memory.
`strict_yaml` re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sharewise.domain.errors import InputError, Location, Problem

# The most any input file may hold. 2 MiB since session 6: the England tree (1.06 MB once a
# child's record names only its public body's own functions) outgrew 1 MiB. Still far below
# what would strain the strict parser, and facts and settings files are a few hundred bytes.
MAX_BYTES = 2 * 1024 * 1024
PathKey = tuple[str | int, ...]


class StrictYAMLError(InputError):
    """A file that is not strict YAML; always names the file, line and column."""


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
