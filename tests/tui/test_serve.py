"""`sharewise serve`: loopback by default, a loud warning otherwise, one command per session."""

from __future__ import annotations

import shlex
import sys

from sharewise.cli import build_parser
from sharewise.cli.serve_cmd import command_for, warning


def test_serve_listens_on_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000


def test_serve_warns_there_is_no_login() -> None:
    assert "no login" in warning("127.0.0.1")
    assert "reverse proxy" not in warning("127.0.0.1")
    assert "listening on 0.0.0.0" in warning("0.0.0.0") and "reverse proxy" in warning("0.0.0.0")


def test_each_session_runs_this_python_on_the_same_data_folder() -> None:
    argv = shlex.split(command_for("/tmp/my data"))
    assert argv[0] == sys.executable
    assert argv[-2:] == ["--data-dir", "/tmp/my data"]
