"""The signed-in name: what can be a login, and how a session acts as it (no browser here)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sharewise.domain.errors import InputError, StoreError
from sharewise.signed_in import header_problem, login_problem
from sharewise.store import open_ledger


@pytest.mark.parametrize(
    ("login", "problem"),
    [
        ("ann_practitioner", None),
        ("_svc2", None),
        ("a" * 63, None),
        ("", "it is empty"),
        ("ann\n", "control or formatting"),
        ("ann\x00", "control or formatting"),
        ("ann\u202egpj", "control or formatting"),
        (" ann", "spaces at the start or the end"),
        ("a" * 64, "1 to 63 lower-case letters"),
        ("ann.practitioner@council-a.example", "is not one"),
        ("Ann", "is not one"),
        ("2ann", "is not one"),
        ("zoë", "is not one"),
        ("pg_monitor", "PostgreSQL's own roles"),
        ("ann\udcff", "not UTF-8"),
    ],
)
def test_what_can_be_a_login(login: str, problem: str | None) -> None:
    found = login_problem(login)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_header_names() -> None:
    assert header_problem("X-Auth-Request-Email") is None
    assert header_problem("X-Forwarded-User") is None
    for bad in ("", "X Auth", "X-Auth:", "Cookie", "host", "X-Ä"):
        assert header_problem(bad) is not None, bad


def test_open_ledger_acts_for_the_signed_in_person(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session's process opens the ledger acting for the login serve gave it."""
    from sharewise.store import postgres

    seen: dict[str, object] = {}

    class Opened(Exception):
        pass

    def backend(url: str, **options: object) -> None:
        seen.update(options, url=url)
        raise Opened

    monkeypatch.setattr(postgres, "PostgresBackend", backend)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", "host=db user=gw dbname=sharewise")
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann_a")
    with pytest.raises(Opened):
        open_ledger(None)
    assert seen["act_as"] == "ann_a" and seen["url"] == "host=db user=gw dbname=sharewise"
    monkeypatch.delenv("SHAREWISE_SIGNED_IN_AS")
    with pytest.raises(Opened):
        open_ledger(None)
    assert seen["act_as"] is None


def test_a_signed_in_name_is_never_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite (no logins), or with a name that cannot be one, it is an error, not a
    session that quietly runs as somebody else."""
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann_a")
    with pytest.raises(StoreError, match="single-user ledger"):
        open_ledger(None)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", "host=db user=gw dbname=sharewise")
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann\x1b]0;x")
    with pytest.raises(InputError, match="control or formatting") as refused:
        open_ledger(None)
    assert "\x1b" not in str(refused.value)


def test_each_signed_in_person_has_their_own_remembered_details(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Everyone signed in shares serve's data folder: Ann's name, role and organisation are
    remembered for Ann, never offered to Bo (who may work for another organisation), nor
    put in the folder's own profile."""
    from sharewise.profile import forget_profile, load_profile, profile_path, save_profile

    ann = {"name": "A. Practitioner", "role": "DSL", "organisation": "Council A"}
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann_a")
    saved = save_profile(tmp_path, ann)
    assert saved == tmp_path / "profile" / "people" / "ann_a.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    assert load_profile(tmp_path) == ann
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "bo_b")
    assert load_profile(tmp_path) == {}
    monkeypatch.delenv("SHAREWISE_SIGNED_IN_AS")
    assert load_profile(tmp_path) == {} and profile_path(tmp_path) == (
        tmp_path / "profile" / "profile.json"
    )
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "../ann_a")
    assert load_profile(tmp_path) == {}
    with pytest.raises(ValueError):
        save_profile(tmp_path, ann)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann_a")
    assert forget_profile(tmp_path) and load_profile(tmp_path) == {}
