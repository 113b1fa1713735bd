"""`sharewise serve`: the same terminal UI in a browser (textual-serve), on loopback by default.

Each browser session runs its own `sharewise` process. There is no login of its own: anyone
who can reach the address can use the app and read the records, so it listens on 127.0.0.1
unless told otherwise, and says so loudly when told otherwise. Only pages served from here may
open a session (see `sharewise.browser`); behind a reverse proxy, `--public-url` names the
address people open, which is then the only origin allowed.

Behind a sign-in proxy on the shared ledger, `--user-header NAME` trusts that one header to
name the signed-in person, and each session acts as that person's database login (see
`sharewise.signed_in`). It is never trusted by default, and only on loopback: anyone who could
reach `serve` without going through the proxy could send the header themselves.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Any

from sharewise.domain.errors import InputError, Location, Problem

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PUBLIC_URL_ENV = "SHAREWISE_PUBLIC_URL"
USER_HEADER_ENV = "SHAREWISE_USER_HEADER"


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; give a number from 1 to 65535")
    return port


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the terminal UI to a browser (no login: loopback)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        default=os.environ.get(PUBLIC_URL_ENV),
        help="the address people open, when a reverse proxy is in front "
        f"(e.g. https://sharewise.example.org); env {PUBLIC_URL_ENV}",
    )
    p.add_argument(
        "--user-header",
        metavar="HEADER",
        default=os.environ.get(USER_HEADER_ENV) or None,
        help="trust this header from the sign-in proxy in front to name the signed-in person "
        "(e.g. X-Auth-Request-Email); each session then acts as that person's login on the "
        f"shared ledger. Never trusted without this; env {USER_HEADER_ENV}",
    )
    p.set_defaults(handler=run)


def command_for(data_dir: str | None) -> str:
    """The command each browser session runs: this Python, this package, this data folder."""
    argv = [sys.executable, "-c", "from sharewise.cli import main; raise SystemExit(main())"]
    if data_dir:
        argv += ["--data-dir", data_dir]
    return shlex.join(argv)


def warning(host: str, user_header: str | None = None) -> str:
    if user_header is not None:
        return (
            f"sharewise serve trusts the {user_header} header to say who is signed in: only "
            "the sign-in proxy may reach this port (docs/deploy.md)."
        )
    text = "sharewise serve has no login of its own: anyone who can open the page can use it."
    if host not in LOOPBACK:
        text += (
            f" It is listening on {host}, not only on this computer: put it behind your "
            "organisation's sign-in (a reverse proxy with authentication) before anyone uses it."
        )
    return text


def _sign_in(user_header: str, host: str) -> Any:
    """The login check for `--user-header`, after refusing what would make the header
    forgeable or meaningless (a bad name, a public bind, a ledger without logins)."""
    import asyncio

    from sharewise.signed_in import header_problem, login_refusal
    from sharewise.store import DATABASE_URL_ENV

    problem = header_problem(user_header)
    if problem is not None:
        raise InputError(
            Problem(
                Location("--user-header"),
                problem,
                "give the header your proxy sets, e.g. X-Auth-Request-Email",
            )
        )
    if host not in LOOPBACK:
        raise InputError(
            Problem(
                Location("--user-header"),
                f"the signed-in header is trusted only on loopback, and --host is {host}: "
                "anyone who reached this port directly could name themselves anyone",
                "listen on 127.0.0.1 and let the proxy on this computer reach it",
            )
        )
    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        raise InputError(
            Problem(
                Location("--user-header"),
                "signed-in people need the shared ledger on PostgreSQL, where each has a "
                "login; the SQLite ledger is one person's and cannot tell people apart",
                f"set {DATABASE_URL_ENV} to the gateway's connection (docs/deploy.md)",
            )
        )

    async def check(login: str) -> str | None:
        return await asyncio.to_thread(login_refusal, url, login)

    return check


def run(args: argparse.Namespace) -> int:
    import socket

    from sharewise.browser import BrowserServer, PublicUrlError

    user_header = args.user_header
    check = _sign_in(user_header, args.host) if user_header is not None else None
    try:
        server = BrowserServer(
            command_for(args.data_dir),
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            title="sharewise",
            user_header=user_header,
            check_login=check,
        )
    except PublicUrlError as exc:
        raise InputError(
            Problem(
                Location("--public-url"),
                str(exc),
                "give the https:// address of the reverse proxy in front (see docs/deploy.md)",
            )
        ) from None
    # Bind first, so that a port in use or an address not on this computer is a message.
    try:
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((args.host.strip("[]"), args.port))
    except OSError as exc:
        raise InputError(
            Problem(
                Location("--port"),
                f"cannot listen on {args.host} port {args.port} ({exc.strerror})",
                "choose another --port, or stop the program using it",
            )
        ) from None
    print(f"sharewise: {warning(args.host, user_header)}", file=sys.stderr)
    print(f"sharewise: open {server.public_url} in your browser", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:
        raise InputError(
            Problem(Location("--port"), f"cannot serve ({exc.strerror})", "choose another --port")
        ) from None
    return 0
