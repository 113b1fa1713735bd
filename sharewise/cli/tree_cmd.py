"""`sharewise tree check|show`: validate trees and draw them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sharewise.domain.errors import InputError


def register(sub: Any) -> None:
    tree = sub.add_parser("tree", help="check or draw decision trees")
    tsub = tree.add_subparsers(dest="tree_command", metavar="ACTION", required=True)

    check = tsub.add_parser("check", help="validate trees (default: every shipped tree)")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.set_defaults(handler=run_check)

    show = tsub.add_parser("show", help="print a tree as a diagram")
    show.add_argument("path", nargs="?", metavar="PATH")
    show.add_argument("--format", choices=("mermaid", "dot", "text", "overview"), default="text")
    show.set_defaults(handler=run_show)


def run_check(args: argparse.Namespace) -> int:
    from sharewise import paths
    from sharewise.domain.graph import load_tree
    from sharewise.domain.invariants import check_invariants, question_stats

    targets = [Path(p) for p in args.paths] or paths.shipped_trees()
    failed = 0
    for target in targets:
        try:
            tree = load_tree(target, use_cache=False)
        except InputError as exc:
            print(exc.render(), file=sys.stderr)
            failed += 1
            continue
        problems = check_invariants(tree)
        if problems:
            for problem in problems:
                print(problem.render(), file=sys.stderr)
            failed += 1
            continue
        fewest, median, most = question_stats(tree)
        npaths = sum(1 for _ in tree.paths())
        print(
            f"{target}: ok - {len(tree.model.questions)} questions, "
            f"{len(tree.model.outcomes)} outcomes, {npaths} paths; questions per path: "
            f"fewest {fewest}, median {median:g}, most {most}"
        )
    return 2 if failed else 0


def run_show(args: argparse.Namespace) -> int:
    from sharewise.cli.common import load_tree_arg
    from sharewise.domain import diagram

    tree = load_tree_arg(args.path)
    render = {
        "mermaid": diagram.mermaid,
        "dot": diagram.dot,
        "text": diagram.text,
        "overview": diagram.overview,
    }[args.format]
    sys.stdout.write(render(tree))
    return 0
