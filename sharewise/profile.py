"""The practitioner's own details (name, role, organisation), remembered between sessions.

Typing your own name, role and organisation into every record is most of the typing a
record takes, and the same every time. So they are kept in a small file in the data folder
(`profile/profile.json`, 0600 in a 0700 folder; a signed-in person's own file in a browser
session, see `profile_path`). It holds only the practitioner's own
details, never anything about a case, and "forget me" deletes it. A damaged or edited file
is ignored (the form is simply empty), never an error that stands between a person and a
record.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from sharewise.private_files import write_private

FILE = Path("profile") / "profile.json"
#: The only keys a profile may hold: the practitioner's own details.
KEYS = ("name", "role", "organisation")
_MAX = 200


def data_folder(data_dir: str | os.PathLike[str] | None) -> Path:
    """The data folder: the one given, or the user data folder for "sharewise"."""
    if data_dir is not None:
        return Path(data_dir)
    import platformdirs

    return Path(platformdirs.user_data_dir("sharewise", appauthor=False))


def profile_path(data_dir: str | os.PathLike[str] | None) -> Path:
    """Where the details are remembered. In a browser session of `sharewise serve
    --user-header` everyone signed in shares `serve`'s data folder, so each person's details
    are kept under their login (`profile/people/LOGIN.json`): one person's name is never
    offered to the next, who may work for another organisation."""
    from sharewise.signed_in import SIGNED_IN_ENV, login_problem

    login = os.environ.get(SIGNED_IN_ENV)
    if login is None:
        return data_folder(data_dir) / FILE
    if login_problem(login) is not None:  # refused by the ledger too; never a shared file
        raise ValueError(f"{SIGNED_IN_ENV} is not a login")
    return data_folder(data_dir) / FILE.parent / "people" / f"{login}.json"


def _clean(value: object) -> str | None:
    """A one-line label of sensible length, or None (control characters never pass)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    return text


def load_profile(data_dir: str | os.PathLike[str] | None) -> dict[str, str]:
    """The remembered details by key (`name`, `role`, `organisation`); {} if none or unusable."""
    try:
        raw = json.loads(profile_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, str] = {}
    for key in KEYS:
        value = _clean(raw.get(key))
        if value is not None:
            out[key] = value
    return out


def save_profile(data_dir: str | os.PathLike[str] | None, details: dict[str, str]) -> Path:
    """Remember these details (unknown keys and unusable values are dropped, not stored)."""
    kept = {k: v for k in KEYS if (v := _clean(details.get(k))) is not None}
    text = json.dumps(kept, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return write_private(profile_path(data_dir), text)


def forget_profile(data_dir: str | os.PathLike[str] | None) -> bool:
    """Delete the remembered details; True if there were any."""
    path = profile_path(data_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    with contextlib.suppress(OSError):
        path.parent.rmdir()
    return True
