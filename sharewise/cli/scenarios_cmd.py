"""`sharewise scenarios check [DIR]`: decide every scenario and compare with what it expects."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    scenarios = sub.add_parser("scenarios", help="check worked cases against a tree")
    ssub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    check = ssub.add_parser(
        "check", help="decide every scenario in DIR and compare with its expect block"
    )
    check.add_argument(
        "directory", nargs="?", metavar="DIR", help="default: the shipped scenario bank"
    )
    check.add_argument("--tree", metavar="PATH", help="default: the shipped England tree")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 if every scenario passes, 1 on any mismatch, 2 on an unusable tree, folder or
    scenario file (each problem printed as FILE:LINE:COL with its fix)."""
    from sharewise import paths
    from sharewise.cli.common import load_tree_arg
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.scenarios import check_directory, render_verdict

    directory = Path(args.directory) if args.directory else paths.scenarios_dir()
    if not directory.is_dir():
        raise InputError(
            Problem(Location(str(directory)), "no such folder", "name a folder of scenario files")
        )
    tree = load_tree_arg(args.tree)
    verdicts = check_directory(tree, directory)
    if not verdicts:
        raise InputError(
            Problem(Location(str(directory)), "no scenario files (*.yaml) here", "check the path")
        )
    for verdict in verdicts:
        print(render_verdict(verdict))
    failed = sum(1 for v in verdicts if not v.ok)
    unreadable = sum(1 for v in verdicts if v.unreadable)
    summary = f"{len(verdicts) - failed} passed, {failed} failed"
    if unreadable:
        summary += f" ({unreadable} not a usable scenario file: fix those first)"
    print(summary, file=sys.stderr)
    return 2 if unreadable else 1 if failed else 0
