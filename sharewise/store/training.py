"""Where training attempts are kept: one JSON Lines file per session, apart from the ledger.

A session file holds one attempt per line (`sharewise.domain.session.Attempt`). Lines are
only ever appended, each with a unique id, so a trainer can copy the files from every
machine in the room and merge them: an attempt already present is recognised by its id and
not counted twice, whichever order the files arrive in. Training is never written to the
ledger and never counted in its statistics.

The files name trainees (staff), so they are kept as records are: 0600 in a 0700 folder
(`<data dir>/training/`). A line cut short by a crash or a full disk is skipped and reported,
never allowed to hide the lines before it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from sharewise.domain.errors import InputError, Location, Problem, StoreError
from sharewise.domain.session import Attempt, session_slug
from sharewise.private_files import private_folder

SUFFIX = ".jsonl"
#: A session's chosen scenarios, beside its attempts.
SET_SUFFIX = ".scenarios.json"


def training_folder(data_dir: str | os.PathLike[str] | None) -> Path:
    """`<data dir>/training`: a folder of its own, so its 0700 mode is never forced on
    a folder the user chose for something else."""
    from sharewise.profile import data_folder

    return data_folder(data_dir) / "training"


class TrainingStore(Protocol):
    """Where attempts are kept: this machine's files, or the organisation's server."""

    def add(self, attempt: Attempt) -> Path | str: ...
    def read(self, session: str) -> Read: ...
    def sessions(self) -> dict[str, int]: ...
    def merge(self, sources: Iterable[Path]) -> Merged: ...
    def chosen(self, session: str) -> list[str]: ...
    def choose(self, session: str, ids: list[str]) -> Path | str: ...


def open_training(data_dir: str | os.PathLike[str] | None) -> TrainingStore:
    """Where training sessions are kept: the PostgreSQL server SHAREWISE_DATABASE_URL names
    (every machine in the room writes to it), or else files in this machine's data folder."""
    from sharewise.store import DATABASE_URL_ENV, signed_in_login

    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        from sharewise.store.training_pg import PostgresSessions

        return PostgresSessions(url, act_as=signed_in_login())
    return SessionFiles(training_folder(data_dir))


@dataclass
class Read:
    """The attempts a file holds, and a located problem for each line that is not one."""

    attempts: list[Attempt] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Merged:
    """What a merge did: attempts added, attempts already here, lines that were not usable."""

    added: int = 0
    already: int = 0
    problems: list[Problem] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)


#: An attempt's line is a few kilobytes; a line longer than this is not one (a device such
#: as /dev/zero, or a file that is not a session's, has no end to its first line).
LINE_MAX = 1 << 20
#: Lines that are not attempts before the file is taken not to be a session file at all.
BAD_LINES_MAX = 100


def read_attempts(path: Path) -> Read:
    """Every attempt in a session file, in file order; bad lines become problems.

    Read a line at a time, each at most LINE_MAX bytes: `train merge /dev/zero` read the
    whole "file" into memory until the process died. A line too long, or too many lines that
    are not attempts, end the reading with one message naming the file."""
    out = Read()
    try:
        with path.open("rb") as f:
            number = 0
            while line := f.readline(LINE_MAX + 1):
                number += 1
                if len(line) > LINE_MAX:
                    raise InputError(
                        Problem(
                            Location(str(path), number, 1),
                            f"line {number} is longer than any training attempt "
                            f"(over {LINE_MAX // (1 << 20)} MiB)",
                            "name a training session file (.jsonl)",
                        )
                    )
                _read_line(path, number, line, out)
                if len(out.problems) > BAD_LINES_MAX:
                    raise InputError(
                        Problem(
                            Location(str(path)),
                            f"more than {BAD_LINES_MAX} lines are not training attempts",
                            "name a training session file (.jsonl)",
                        )
                    )
    except FileNotFoundError:
        raise InputError(
            Problem(Location(str(path)), "no such file", "name a training session file")
        ) from None
    except IsADirectoryError:
        raise InputError(
            Problem(Location(str(path)), "a folder, not a file", "name a training session file")
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(Location(str(path)), f"cannot read it ({exc.strerror})", "check the path")
        ) from None
    return out


def _read_line(path: Path, number: int, line: bytes, out: Read) -> None:
    if not line.strip():
        return
    try:
        out.attempts.append(Attempt.model_validate_json(line))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "line"
        out.problems.append(
            Problem(
                Location(str(path), number, 1),
                f"not a training attempt ({where}: {first['msg']})",
                "the line was skipped; a line cut short by a crash can be deleted",
            )
        )


class SessionFiles:
    """The session files in one folder (this machine's, by default)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, session: str) -> Path:
        return self.folder / f"{session_slug(session)}{SUFFIX}"

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.suffix == SUFFIX and p.is_file())

    def add(self, attempt: Attempt) -> Path:
        """Append one attempt to its session's file, durably (fsync), readable by this user only."""
        path = self.path_for(attempt.session)
        self._append(path, [attempt])
        return path

    def _append(self, path: Path, attempts: Iterable[Attempt]) -> None:
        lines = b"".join(a.model_dump_json().encode() + b"\n" for a in attempts)
        if not lines:
            return
        try:
            private_folder(self.folder)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.fchmod(fd, 0o600)  # a file copied in from elsewhere may have been wider
                if _ends_mid_line(path):
                    lines = b"\n" + lines  # a line cut short stays alone on its line
                os.write(fd, lines)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StoreError(
                f"{path}: could not save the training attempt ({exc.strerror}); "
                "nothing else was changed"
            ) from None

    def read(self, session: str) -> Read:
        """The session's attempts (exactly this name) from this folder's files, each once
        (a line written twice, by a save retried or a file merged by hand, is one attempt),
        in the order they were made."""
        out = Read()
        seen: set[str] = set()
        for path in self.files():
            got = read_attempts(path)
            mine = [a for a in got.attempts if a.session == session]
            if mine or path == self.path_for(session):
                out.problems += got.problems
            for a in mine:
                if a.id not in seen:
                    seen.add(a.id)
                    out.attempts.append(a)
        out.attempts.sort(key=lambda a: a.at)  # stable: ties keep file order
        return out

    def sessions(self) -> dict[str, int]:
        """Every session name with its number of attempts (each counted once)."""
        ids: dict[str, set[str]] = {}
        for path in self.files():
            for a in read_attempts(path).attempts:
                ids.setdefault(a.session, set()).add(a.id)
        return {name: len(found) for name, found in ids.items()}

    def merge(self, sources: Iterable[Path]) -> Merged:
        """Add the attempts in `sources` (files from other machines) that are not here yet."""
        out = Merged()
        known = {a.id for path in self.files() for a in read_attempts(path).attempts}
        for source in sources:
            got = read_attempts(source)
            out.problems += got.problems
            new: dict[Path, list[Attempt]] = {}
            for a in got.attempts:
                if a.id in known:
                    out.already += 1
                    continue
                known.add(a.id)
                new.setdefault(self.path_for(a.session), []).append(a)
                if a.session not in out.sessions:
                    out.sessions.append(a.session)
                out.added += 1
            for path, attempts in new.items():
                self._append(path, attempts)
        return out

    def set_path(self, session: str) -> Path:
        """A session's chosen scenarios, beside its attempts: `<slug>.scenarios.json`."""
        return self.folder / f"{session_slug(session)}{SET_SUFFIX}"

    def choose(self, session: str, ids: list[str]) -> Path:
        """Keep the scenarios a trainer chose for `session` in this folder (0600 in the 0700
        training folder), so that trainees who join it on this machine are offered only
        those. A later choice replaces an earlier one."""
        import json

        from sharewise.private_files import write_private

        private_folder(self.folder)
        path = self.set_path(session)
        body = {"session": session, "scenarios": list(dict.fromkeys(ids))}
        try:
            return write_private(path, json.dumps(body, indent=2) + "\n")
        except OSError as exc:
            raise StoreError(
                f"{path}: could not keep the session's scenarios ({exc.strerror}); "
                "nothing else was changed"
            ) from None

    def chosen(self, session: str) -> list[str]:
        """The scenarios chosen for `session` in this folder; [] when none were (the whole
        bank). A file that cannot be read is an InputError naming it and the fix."""
        import json

        path = self.set_path(session)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                Problem(
                    Location(str(path)), f"cannot read it ({exc})", "choose the scenarios again"
                )
            ) from None
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(
                Problem(
                    Location(str(path), exc.lineno, exc.colno),
                    f"not a session's scenario list ({exc.msg})",
                    "choose the scenarios again (c on the training screen), or delete the file",
                )
            ) from None
        ids = body.get("scenarios") if isinstance(body, dict) else None
        if (
            not isinstance(ids, list)
            or not all(isinstance(i, str) for i in ids)
            or body.get("session") != session
        ):
            raise InputError(
                Problem(
                    Location(str(path), 1, 1),
                    "not this session's scenario list",
                    "choose the scenarios again (c on the training screen), or delete the file",
                )
            )
        return list(ids)


def _ends_mid_line(path: Path) -> bool:
    with contextlib.suppress(OSError), path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"
    return False
