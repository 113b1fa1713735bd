"""The signed-in name: what can be a login, and how a session acts as it (no browser here)."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from sharewise.domain.errors import InputError
from sharewise.signed_in import header_problem, login_problem, with_login
from sharewise.store import database_url


@pytest.mark.parametrize(
    ("login", "problem"),
    [
        ("ann.practitioner@council-a.example", None),
        ("Zoë Ångström", None),
        ("", "it is empty"),
        ("ann\n", "control or formatting"),
        ("ann\x00", "control or formatting"),
        ("ann\u202egpj.exe", "control or formatting"),
        (" ann", "spaces at the start or the end"),
        ("a" * 63, None),
        ("a" * 64, "longer than a PostgreSQL login"),
        ("é" * 32, "longer than a PostgreSQL login"),  # 64 bytes in UTF-8
        ("PG_monitor", "PostgreSQL's own roles"),
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


def test_with_login_sets_the_role_at_connection_start() -> None:
    url = with_login("postgresql://gw@db.example/sharewise", "ann b\\c@a.example")
    info = conninfo_to_dict(url)
    assert info["options"] == "-c role=ann\\ b\\\\c@a.example"
    assert info["user"] == "gw" and info["host"] == "db.example"
    kept = conninfo_to_dict(with_login("host=db options='-c statement_timeout=5s'", "ann"))
    assert kept["options"] == "-c statement_timeout=5s -c role=ann"


def test_database_url_acts_as_the_signed_in_person(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", "host=db user=gw dbname=sharewise")
    monkeypatch.delenv("SHAREWISE_SIGNED_IN_AS", raising=False)
    assert database_url() == "host=db user=gw dbname=sharewise"
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann@a.example")
    assert conninfo_to_dict(database_url() or "")["options"] == "-c role=ann@a.example"


def test_a_signed_in_name_is_never_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite (no logins), or with a name that cannot be one, it is an error, not a
    session that quietly runs as somebody else."""
    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann@a.example")
    with pytest.raises(InputError, match="SQLite ledger is one person's"):
        database_url()
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", "host=db user=gw dbname=sharewise")
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", "ann\x1b]0;x")
    with pytest.raises(InputError, match="control or formatting") as refused:
        database_url()
    assert "\x1b" not in str(refused.value)
