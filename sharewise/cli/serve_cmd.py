"""`sharewise serve`: the same terminal UI in a browser (textual-serve), on loopback by default.

Each browser session runs its own `sharewise` process. There is no login: anyone who can reach
the address can use the app and read the records, so it listens on 127.0.0.1 unless told
otherwise, and says so loudly when told otherwise.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the terminal UI to a browser (no login: loopback)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
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
    from textual_serve.server import Server

    print(f"sharewise: {warning(args.host)}", file=sys.stderr)
    server = Server(command_for(args.data_dir), host=args.host, port=args.port, title="sharewise")
    server.serve()
    return 0
