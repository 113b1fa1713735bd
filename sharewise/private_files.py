"""Writing files that only this user may read: exports, debriefs and the profile (0600, 0700)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def private_folder(folder: Path) -> Path:
    """Create `folder` (0700) if needed; an existing one is tightened, since it holds only
    files this program made (callers never pass a folder the person chose for other things)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by this user only (0600, in a 0700 folder).

    Written beside and renamed, so a crash never leaves half a file, and the mode is set
    when the file is created, so it is never readable by others even for a moment.
    """
    private_folder(path.parent)
    tmp = path.with_name(f".{path.name}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
