"""`sharewise serve`: the same terminal UI in a browser (textual-serve), on loopback by default.

Each browser session runs its own `sharewise` process. There is no login: anyone who can reach
the address can use the app and read the records, so it listens on 127.0.0.1 unless told
otherwise, and says so loudly when told otherwise. Only pages served from here may open a
session (see `sharewise.browser`); behind a reverse proxy, `--public-url` names the address
people open, which is then the only origin allowed.
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
    p.set_defaults(handler=run)


def command_for(data_dir: str | None) -> str:
    """The command each browser session runs: this Python, this package, this data folder."""
    argv = [sys.executable, "-c", "from sharewise.cli import main; raise SystemExit(main())"]
    if data_dir:
        argv += ["--data-dir", data_dir]
    return shlex.join(argv)


def warning(host: str) -> str:
    text = "sharewise serve has no login of its own: anyone who can open the page can use it."
    if host not in LOOPBACK:
        text += (
            f" It is listening on {host}, not only on this computer: put it behind your "
            "organisation's sign-in (a reverse proxy with authentication) before anyone uses it."
        )
    return text


def run(args: argparse.Namespace) -> int:
    import socket

    from sharewise.browser import BrowserServer, PublicUrlError

    try:
        server = BrowserServer(
            command_for(args.data_dir),
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            title="sharewise",
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
    print(f"sharewise: {warning(args.host)}", file=sys.stderr)
    print(f"sharewise: open {server.public_url} in your browser", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:
        raise InputError(
            Problem(Location("--port"), f"cannot serve ({exc.strerror})", "choose another --port")
        ) from None
    return 0
