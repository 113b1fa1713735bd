"""The ledger of decision records: where it lives, how to open it, and recording a decision.

`open_ledger` picks the backend (SQLite in the data folder by default, PostgreSQL when
SHAREWISE_DATABASE_URL names one); `append_decision` is what `decide --record` calls.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharewise.domain.errors import StoreError
from sharewise.store.base import Backend, Filters, LedgerMissing

if TYPE_CHECKING:
    from sharewise.domain.result import DecisionResult
    from sharewise.domain.strict_yaml import Source
    from sharewise.store.ledger import AppendedRef, Ledger


def __getattr__(name: str) -> Any:
    """`Ledger` and `AppendedRef`, imported when first asked for: the ledger module needs
    pydantic and the record models, which a command that only lists (`open_backend` and
    `store.listing`) does without."""
    if name in ("Ledger", "AppendedRef"):
        from sharewise.store import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AppendedRef",
    "Backend",
    "Filters",
    "Ledger",
    "LedgerMissing",
    "append_decision",
    "ledger_path",
    "open_backend",
    "open_ledger",
    "say_waiting",
    "signed_in_login",
]

DATABASE_URL_ENV = "SHAREWISE_DATABASE_URL"
#: Which organisation's register a PostgreSQL session reads (a partnership's IG lead).
ORG_ENV = "SHAREWISE_ORG"


def ledger_path(data_dir: str | os.PathLike[str] | None) -> Path:
    """The SQLite file: `<data dir>/ledger/ledger.sqlite3`.

    The ledger gets a folder of its own so that its 0700 mode never has to be forced on a
    folder the user chose for other things.
    """
    from sharewise.store.sqlite import FILE_NAME

    if data_dir is None:
        import platformdirs

        data_dir = platformdirs.user_data_dir("sharewise", appauthor=False)
    return Path(data_dir) / "ledger" / FILE_NAME


def say_waiting() -> None:
    """The visible message while another program holds the write lock."""
    print(
        "sharewise: waiting for the ledger (another program is writing to it)...",
        file=sys.stderr,
        flush=True,
    )


def signed_in_login() -> str | None:
    """The signed-in person a browser session acts for (SHAREWISE_SIGNED_IN_AS, which
    `sharewise serve --user-header` gives each session's process), or None.

    The database, not this program, then decides what they may see and do (see
    `sharewise.signed_in`). A name that cannot be a login is refused, never ignored."""
    from sharewise.signed_in import SIGNED_IN_ENV, login_problem

    login = os.environ.get(SIGNED_IN_ENV)
    if login is None:
        return None
    problem = login_problem(login)
    if problem is not None:
        from sharewise.domain.errors import InputError, Location, Problem

        raise InputError(
            Problem(
                Location(SIGNED_IN_ENV), f"cannot act for that login: {problem}", "sign in again"
            )
        )
    return login


def open_ledger(
    data_dir: str | os.PathLike[str] | None,
    *,
    create: bool = True,
    on_wait: Callable[[], None] | None = say_waiting,
    lock_timeout: float | None = None,
    readonly: bool = False,
    act_as: str | None = None,
    org: str | None = None,
) -> Ledger:
    """Open (creating if asked) the ledger named by the data folder or SHAREWISE_DATABASE_URL.

    `readonly`, for commands that only read: nothing is created, upgraded or chmodded, and
    the database refuses writes (SQLite `mode=ro`; PostgreSQL read-only transactions).

    On PostgreSQL, SHAREWISE_ORG names the organisation whose register to read (one the
    login may read; default its own), and `act_as` the person's login a gateway acts for
    (`SET ROLE`: everything read and appended is that person's). SQLite is a single-user
    ledger and takes neither.

    In a browser session of `sharewise serve --user-header`, `act_as` defaults to the
    signed-in person (`signed_in_login`). `org` overrides SHAREWISE_ORG for this opening
    ("": the login's own organisation, the one it writes to): the UI's organisation picker."""
    from sharewise.store.ledger import Ledger

    return Ledger(
        open_backend(
            data_dir,
            create=create,
            on_wait=on_wait,
            lock_timeout=lock_timeout,
            readonly=readonly,
            act_as=act_as,
            org=org,
        )
    )


def open_backend(
    data_dir: str | os.PathLike[str] | None,
    *,
    create: bool = True,
    on_wait: Callable[[], None] | None = say_waiting,
    lock_timeout: float | None = None,
    readonly: bool = False,
    act_as: str | None = None,
    org: str | None = None,
) -> Backend:
    """The backend `open_ledger` wraps, opened the same way (see there), for a reader that
    needs no entry models (`records list`: `store.listing`). Close it when done."""
    timeout = lock_timeout if lock_timeout is not None else _env_timeout()
    if act_as is None:
        act_as = signed_in_login()
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        from sharewise.store.postgres import PostgresBackend

        return PostgresBackend(
            url,
            create=create and not readonly,
            lock_timeout=timeout,
            on_wait=on_wait,
            readonly=readonly,
            org=(os.environ.get(ORG_ENV) if org is None else org) or None,
            act_as=act_as,
        )
    if act_as is not None:
        raise StoreError(
            "a SQLite ledger is a single-user ledger: it cannot act for a signed-in person; "
            "set SHAREWISE_DATABASE_URL to a shared PostgreSQL ledger"
        )
    from sharewise.store.sqlite import SQLiteBackend

    return SQLiteBackend(
        ledger_path(data_dir),
        create=create,
        lock_timeout=timeout,
        on_wait=on_wait,
        readonly=readonly,
    )


def _env_timeout() -> float:
    """SHAREWISE_LOCK_TIMEOUT in seconds (default 10); a value that is not one is an error,
    never silently replaced (someone set it for a reason)."""
    import math

    from sharewise.domain.errors import InputError, Location, Problem

    text = os.environ.get("SHAREWISE_LOCK_TIMEOUT", "10")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 3600:
        from sharewise.domain.safe_text import safe_line

        raise InputError(
            Problem(
                Location("SHAREWISE_LOCK_TIMEOUT"),
                f"{safe_line(text)!r} is not a number of seconds",
                "set it to a number from 0 to 3600, or unset it for the default (10)",
            )
        )
    return value


def append_decision(
    data_dir: str | None, result: DecisionResult, details_path: Source
) -> AppendedRef:
    """Validate a details file and append the decision record; what `decide --record` calls.

    The details are checked before the ledger is opened, so a bad file (exit 2) never
    touches the ledger. A file with `to_be_completed: true` makes an emergency record.
    """
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.record import RECIPIENT_FIX, RECIPIENT_NEEDED, recipient_missing
    from sharewise.store.details import load_details

    details, emergency = load_details(details_path)
    if not emergency and recipient_missing(result.decision, details):
        raise InputError(Problem(Location(str(details_path)), RECIPIENT_NEEDED, RECIPIENT_FIX))
    with open_ledger(data_dir) as ledger:
        return ledger.record_decision(result, details, emergency=emergency)
