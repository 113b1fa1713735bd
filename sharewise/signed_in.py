"""Who is signed in: the name a trusted reverse proxy sends, checked before anything uses it.

`sharewise serve --user-header X-Auth-Request-Email` trusts that one request header, and only
because the proxy in front (docs/deploy.md) sets it after single sign-on and overwrites any
copy the browser sent. Without the option no header is trusted, whatever it says.

The name is a PostgreSQL login: each person has one, made by the ledger's administrator
(their organisation and role are the groups it belongs to), and `serve` connects as one
gateway role that may act as each person's login and nothing else. Each browser session's
`sharewise` process is given the name in `SHAREWISE_SIGNED_IN_AS` and opens the ledger acting
for that login (`SET ROLE`: `sharewise.store.open_ledger`'s `act_as`), so that the database's
own rules decide what the person may read and write, and who appended an entry.

Nothing here imports Textual or aiohttp: the CLI and the store use it too.
"""

from __future__ import annotations

import re
from typing import Any

from sharewise.domain.safe_text import line_problem, safe_line

#: The environment variable that tells a session's process whose it is.
SIGNED_IN_ENV = "SHAREWISE_SIGNED_IN_AS"

#: A sharewise login, as `sharewise db member add` makes them (lower-case letters, digits and
#: '_', at most 63: PostgreSQL would cut a longer name, making two people one login).
LOGIN_RULE = (
    "a sharewise login is 1 to 63 lower-case letters, digits and '_', not starting with a digit"
)

# An HTTP header name (RFC 9110 token).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def header_problem(name: str) -> str | None:
    """Why `name` cannot be the header that names the signed-in person, or None."""
    if not _TOKEN.fullmatch(name):
        return f"{safe_line(name)!r} is not an HTTP header name"
    if name.lower() in {"host", "origin", "cookie", "authorization", "x-forwarded-for"}:
        return f"{name} is not a header a proxy uses to name the signed-in person"
    return None


def login_problem(login: str) -> str | None:
    """Why `login`, as the proxy sent it, cannot name a person's login, or None."""
    from sharewise.store.migrations_pg import IDENT

    try:
        login.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not UTF-8 text"
    problem = line_problem(login)
    if problem is not None:
        return problem
    if login != login.strip():
        return "it has spaces at the start or the end"
    if not IDENT.fullmatch(login):
        return f"{LOGIN_RULE}, and {safe_line(login)!r} is not one"
    if login.startswith("pg_"):
        return "names beginning pg_ are PostgreSQL's own roles"
    return None


class DatabaseUnavailable(Exception):
    """The ledger's database could not be asked (down, or the gateway's own login fails)."""


def login_refusal(url: str, login: str) -> str | None:
    """Why the gateway (`url`) may not act as `login`, or None: asked of the database itself.
    Raises DatabaseUnavailable when it cannot be asked.

    A person's login is a role granted to the gateway directly. PostgreSQL would let the
    gateway act as any role it reaches through other grants too (the groups each person
    belongs to: an organisation, the practitioners); those are refused, so that a name at
    the identity provider can never make a session act as a whole group."""
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error:
        raise DatabaseUnavailable from None
    try:
        return _refusal(conn, login)
    except psycopg.Error:
        raise DatabaseUnavailable from None
    finally:
        conn.close()


def _refusal(conn: Any, login: str) -> str | None:
    import psycopg
    from psycopg import sql

    found = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
        " WHERE m.roleid = r.oid AND m.member = (SELECT oid FROM pg_roles"
        " WHERE rolname = session_user)) FROM pg_roles r WHERE r.rolname = %s",
        (login,),
    ).fetchone()
    if found is None:
        return "there is no such login on the ledger's database"
    if not found[0]:
        return "this server may not act as that login"
    try:
        # And PostgreSQL agrees (it is what each session will do).
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(login)))
    except psycopg.errors.InsufficientPrivilege:
        return "this server may not act as that login"
    # A login taken out of the ledger (`db member remove`) may still be granted to the
    # gateway: it works for no organisation (and has no sharewise role left to read with),
    # so it is refused here rather than left to find an empty register. `staff` shows a
    # login its own rows.
    try:
        member = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE login = current_user)"
        ).fetchone()
    except psycopg.errors.UndefinedTable:
        return None  # a ledger of one organisation, from before organisations
    except psycopg.errors.InsufficientPrivilege:
        return "that login works for no organisation in the ledger"
    if member is None or not member[0]:
        return "that login works for no organisation in the ledger"
    return None
