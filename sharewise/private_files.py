"""Writing files that only this user may read: exports, debriefs and the profile (0600, 0700)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def make_dirs_private(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700.

    `Path.mkdir(parents=True)` gives the parents it creates the default mode (0755 with the
    usual umask): the data folder it creates for a first record would be readable by every
    user of the machine. Folders that already exist are left as they are.
    """
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def private_folder(folder: Path) -> Path:
    """Create `folder` (0700) if needed; an existing one is tightened, since it holds only
    files this program made (callers never pass a folder the person chose for other things)."""
    make_dirs_private(folder)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


@contextlib.contextmanager
def private_file(
    path: Path, *, newline: str | None = None, make_folder: bool = True
) -> Iterator[TextIO]:
    """Open `path` for writing, readable by this user only (0600); it appears only complete.

    Written beside and renamed, so a crash never leaves half a file, and the mode is set
    when the file is created, so it is never readable by others even for a moment. With
    `make_folder`, the folder is created (0700) as one of ours; otherwise it is the person's
    own choice (an export's `--out`) and left as it is.
    """
    if make_folder:
        private_folder(path.parent)
    tmp = path.with_name(f".{path.name}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by this user only (0600, in a 0700 folder)."""
    with private_file(path) as handle:
        handle.write(text)
    return path
