"""The remembered practitioner details: private file modes, only known keys, forget me."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sharewise.profile import forget_profile, load_profile, profile_path, save_profile


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_load_and_modes(tmp_path: Path) -> None:
    saved = save_profile(tmp_path, {"name": "J. Okafor", "role": "DSL", "organisation": "School"})
    assert saved == profile_path(tmp_path)
    assert (mode(saved), mode(saved.parent)) == (0o600, 0o700)
    assert load_profile(tmp_path) == {"name": "J. Okafor", "role": "DSL", "organisation": "School"}


def test_only_the_practitioners_own_details_are_kept(tmp_path: Path) -> None:
    save_profile(tmp_path, {"name": "A", "case_ref": "CS-1", "role": "bad\x1b[2J"})
    stored = json.loads(profile_path(tmp_path).read_text())
    assert stored == {"name": "A"}


def test_damaged_or_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_profile(tmp_path) == {}
    path = profile_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert load_profile(tmp_path) == {}
    path.write_text('["a list"]')
    assert load_profile(tmp_path) == {}


def test_forget_me(tmp_path: Path) -> None:
    save_profile(tmp_path, {"name": "A"})
    assert forget_profile(tmp_path) is True
    assert not profile_path(tmp_path).exists() and load_profile(tmp_path) == {}
    assert forget_profile(tmp_path) is False
