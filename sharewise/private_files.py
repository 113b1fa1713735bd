"""Writing files that only this user may read: exports, checkpoints, keys, debriefs and the
profile (0600, 0700), through one writer that never follows a planted link (`private_binary`)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO


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


class UnsafeTarget(OSError):
    """A place to write that is not a plain file of ours to replace: a link someone planted, a
    FIFO or device (writing there would hang, or replace the node), a folder, or, where a
    file must never be overwritten (a key), any existing file. `strerror` says which."""


def _check_target(path: Path, *, replace: bool) -> None:
    """Refuse to write at `path` unless nothing is there or it is a regular file we may
    replace. lstat, so a symbolic link is seen as the link, never followed."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    mode = found.st_mode
    if stat.S_ISLNK(mode):
        why = "it is a symbolic link; give the real file's path"
    elif stat.S_ISDIR(mode):
        why = "it is a folder; give a file name inside it"
    elif not stat.S_ISREG(mode):
        why = "it is not a regular file (a pipe, socket or device); give a file name, or '-'"
    elif not replace:
        why = "a file already exists here; choose a new name (this is never overwritten)"
    else:
        return
    raise UnsafeTarget(errno.EEXIST if not replace else errno.EINVAL, why, str(path))


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def private_binary(
    path: Path, *, make_folder: bool = True, replace: bool = True
) -> Iterator[BinaryIO]:
    """Open `path` for writing bytes, readable by this user only; it appears only complete.

    The one writer for every file sharewise writes for a person (exports, checkpoints, keys,
    debriefs, settings), so that each gets all of this:
    - written to a new temporary file beside it (random name, `O_EXCL|O_NOFOLLOW`: a link or
      file planted at a predictable name is never opened through), mode 0600 set on the open
      file whatever the umask, flushed to disk, then renamed into place: a crash, a full disk
      or an error never leaves half a file, nor an empty one, at `path`;
    - `path` must be absent or a regular file: a symbolic link, FIFO, device or folder there
      is refused (`UnsafeTarget`), never followed or replaced;
    - with `replace=False` (keys) an existing file is refused too, and the file is linked
      into place, which fails rather than overwrite one that appeared meanwhile.
    With `make_folder`, the folder is created (0700) as one of ours; otherwise it is the
    person's own choice (an export's `--out`) and left as it is.
    """
    if make_folder:
        private_folder(path.parent)
    _check_target(path, replace=replace)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(tmp, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _check_target(path, replace=replace)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
            os.unlink(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


@contextlib.contextmanager
def private_file(
    path: Path, *, newline: str | None = None, make_folder: bool = True, replace: bool = True
) -> Iterator[TextIO]:
    """As `private_binary`, for UTF-8 text (`newline` as `open` takes it)."""
    with private_binary(path, make_folder=make_folder, replace=replace) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
        try:
            yield text
            text.flush()
        finally:
            text.detach()


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by this user only (0600, in a 0700 folder)."""
    with private_file(path) as handle:
        handle.write(text)
    return path


def write_private_bytes(
    path: Path, data: bytes, *, make_folder: bool = False, replace: bool = True
) -> Path:
    """Write `data` to `path` as `private_binary` does (`replace=False`: never overwrite)."""
    with private_binary(path, make_folder=make_folder, replace=replace) as handle:
        handle.write(data)
    return path
