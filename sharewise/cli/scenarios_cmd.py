"""`sharewise scenarios check [DIR]`: decide every scenario and compare with what it expects."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sharewise.cli.common import STDIN_HELP, exit_codes


def register(sub: Any) -> None:
    scenarios = sub.add_parser("scenarios", help="check worked cases against a tree")
    ssub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    check = ssub.add_parser(
        "check",
        help="decide every scenario in DIR and compare with its expect block",
        epilog=exit_codes("a scenario's decision, outcome or citations differ from its expect"),
    )
    check.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="a folder of scenario files (default: the shipped scenario bank)",
    )
    check.add_argument(
        "--tree", metavar="PATH", help=f"default: the shipped England tree ({STDIN_HELP})"
    )
    check.add_argument(
        "--json",
        action="store_true",
        help="print one object per scenario: ok, what the tree decided, and each failure",
    )
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
    failed = sum(1 for v in verdicts if not v.ok)
    unreadable = sum(1 for v in verdicts if v.unreadable)
    if args.json:
        from sharewise.cli.common import print_json

        print_json([_verdict_json(v) for v in verdicts])
    else:
        for verdict in verdicts:
            print(render_verdict(verdict))
    summary = f"{len(verdicts) - failed} passed, {failed} failed"
    if unreadable:
        summary += f" ({unreadable} not a usable scenario file: fix those first)"
    print(summary, file=sys.stderr)
    return 2 if unreadable else 1 if failed else 0


def _verdict_json(verdict: Any) -> dict[str, Any]:
    """One scenario's verdict for `--json`: the decision as `decide --json` gives it;
    `unreadable` marks a file that is not a usable scenario (exit 2, not 1)."""
    result = verdict.result
    return {
        "id": verdict.scenario.id if verdict.scenario else None,
        "file": str(verdict.path),
        "ok": verdict.ok,
        "unreadable": verdict.unreadable,
        "decision": result.decision.value if result is not None else None,
        "outcome": result.outcome.id if result is not None else None,
        "failures": list(verdict.failures),
    }
