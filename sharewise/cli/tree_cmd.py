"""`sharewise tree check|show|build|diff`: validate trees, draw them, generate them from
rules, and show what changing from one tree to another does to decisions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sharewise.cli.common import STDIN_HELP, exit_codes
from sharewise.domain.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.parse_ahead import ParseAhead
    from sharewise.domain.source_text import Source
    from sharewise.domain.tree_diff import Case, Replayer
    from sharewise.store import Ledger


def register(sub: Any) -> None:
    tree = sub.add_parser("tree", help="check or draw decision trees")
    tsub = tree.add_subparsers(dest="tree_command", metavar="ACTION", required=True)

    check = tsub.add_parser("check", help="validate trees (default: every shipped tree)")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"tree files to check (default: every shipped tree; {STDIN_HELP})",
    )
    check.add_argument(
        "--json",
        action="store_true",
        help="print one object per tree: ok, its counts, and every problem with its place",
    )
    check.set_defaults(handler=run_check)

    show = tsub.add_parser("show", help="print a tree as a diagram")
    show.add_argument(
        "path", nargs="?", metavar="PATH", help=f"the tree (default: England; {STDIN_HELP})"
    )
    show.add_argument(
        "--format",
        choices=("mermaid", "dot", "text", "overview"),
        default="text",
        help="mermaid or dot for a diagram tool, text to read (default), overview for the "
        "shape at a glance",
    )
    show.set_defaults(handler=run_show)

    diff = tsub.add_parser(
        "diff",
        help="what changes between two trees: every path, the scenarios, and (--ledger) "
        "every stored record, decided on both",
        epilog=exit_codes("something changed: a decision, an outcome, the law cited or the "
                          "questions asked"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    diff.add_argument("old", metavar="OLD", help=f"the tree as it was ({STDIN_HELP})")
    diff.add_argument("new", metavar="NEW", help=f"the tree as it is to be ({STDIN_HELP})")
    diff.add_argument(
        "--ledger", action="store_true", help="also replay every record in the ledger"
    )
    diff.add_argument(
        "--scenarios",
        metavar="DIR",
        help="the scenario bank to replay (default: the shipped one; 'none' for none)",
    )
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.set_defaults(handler=run_diff)

    build = tsub.add_parser(
        "build",
        help="generate a tree file from its rules package (for tree authors)",
        epilog=exit_codes("--check: the tree file or the --docs page is out of date"),
    )
    build.add_argument(
        "rules", metavar="RULES_DIR", help="the rules package, e.g. decision_trees/england"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the tree file (or --docs page) is out of date",
    )
    build.add_argument(
        "--docs",
        metavar="PAGE",
        help="also refresh the generated statistics and diagrams in this Markdown page",
    )
    build.set_defaults(handler=run_build)


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 if every tree is valid, 2 if any is not (an invalid tree is bad input).

    Problems are messages (stderr, `FILE:LINE:COL: message (fix: ...)`) and each valid
    tree's counts the result (stdout); with `--json` the whole report is the result.
    """
    import gc

    from sharewise import paths
    from sharewise.cli.common import input_arg, one_stdin
    from sharewise.domain import parse_ahead
    from sharewise.domain.pydantic_plugins import skip_loader_if_none
    from sharewise.domain.source_text import read_source

    one_stdin(**{f"PATH {i}": p for i, p in enumerate(args.paths, start=1)})
    targets = [input_arg(p) for p in args.paths] or paths.shipped_trees()
    # A short run that builds a few hundred thousand objects and frees almost none: the
    # cyclic collector's passes over them were a tenth of its time.
    collecting = gc.isenabled()
    gc.disable()
    # Each tree's bytes, read first (as load_tree would, one at a time) so that a child can
    # parse them while this process imports pydantic and builds the models (parse_ahead).
    sources: list[bytes | InputError] = []
    for target in targets:
        try:
            sources.append(read_source(target))
        except InputError as exc:
            sources.append(exc)
    readable = [
        (raw, str(t)) for t, raw in zip(targets, sources, strict=True) if isinstance(raw, bytes)
    ]
    skip_loader_if_none()  # pydantic's plugin loader imports importlib.metadata: 40 ms
    try:
        with parse_ahead.start(readable) as ahead:
            return _check_all(args, targets, sources, ahead)
    finally:
        # As the whole program, it ends at once when the report is out (cli._exit_at_once)
        # with the collector still off: turned on, its first pass would go over every
        # object the check left.
        args.exit_at_once = getattr(args, "whole_program", False)
        if collecting and not args.exit_at_once:
            gc.enable()


def _check_all(
    args: argparse.Namespace,
    targets: Sequence[Source],
    sources: list[bytes | InputError],
    ahead: ParseAhead,
) -> int:
    import functools

    from sharewise.cli.common import print_json, problem_json
    from sharewise.domain.graph import load_tree_source
    from sharewise.domain.invariants import check_invariants, length_counts, question_stats

    failed = 0
    report: list[dict[str, Any]] = []
    parsed = 0
    for target, raw in zip(targets, sources, strict=True):
        try:
            if isinstance(raw, InputError):
                raise raw
            parsed += 1
            # Taken when the parse is due: after the models are imported, which is what
            # the child's parse runs beside.
            tree = load_tree_source(
                raw,
                str(target),
                use_cache=False,
                parsed=functools.partial(ahead.take, parsed - 1),
                keep_source=False,  # a check records nothing
            )
            problems = check_invariants(tree)
        except InputError as exc:
            problems = exc.problems
        if problems:
            failed += 1
            report.append(
                {"file": str(target), "ok": False, "problems": [problem_json(p) for p in problems]}
            )
            if not args.json:
                for problem in problems:
                    print(problem.render(), file=sys.stderr)
            continue
        counts = length_counts(tree)  # counted over the graph, not path by path
        fewest, median, most = question_stats(tree, counts)
        npaths = sum(counts.values())
        report.append(
            {
                "file": str(target),
                "ok": True,
                "tree": {"id": tree.model.id, "version": tree.model.version, "sha256": tree.sha256},
                "questions": len(tree.model.questions),
                "outcomes": len(tree.model.outcomes),
                "paths": npaths,
                "questions_per_path": {"fewest": fewest, "median": median, "most": most},
                "problems": [],
            }
        )
        if not args.json:
            print(
                f"{target}: ok - {len(tree.model.questions)} questions, "
                f"{len(tree.model.outcomes)} outcomes, {npaths} paths; questions per path: "
                f"fewest {fewest}, median {median:g}, most {most}"
            )
    if args.json:
        print_json(report)
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


def run_build(args: argparse.Namespace) -> int:
    """Regenerate (or with --check, compare) a tree file and its docs page from the rules."""
    from sharewise.authoring.docs import docs_sections, render_docs
    from sharewise.authoring.project import load_rules

    try:
        rules = load_rules(Path(args.rules))
    except (OSError, ImportError) as exc:
        print(f"sharewise: {exc}", file=sys.stderr)
        return 2
    try:
        text = rules.text()
    except ValueError as exc:
        # The builder's own checks (a missing label, an outcome id reused, a summary too long).
        print(f"{rules.folder}: {exc}", file=sys.stderr)
        return 2
    current = rules.output.exists() and rules.output.read_text(encoding="utf-8") == text
    stale: list[str] = [] if current else [str(rules.output)]
    if not args.check and not current:
        rules.output.write_text(text, encoding="utf-8")
    if args.docs:
        page = Path(args.docs)
        old = page.read_text(encoding="utf-8")
        new = render_docs(old, docs_sections(rules.output))
        if new != old:
            stale.append(str(page))
            if not args.check:
                page.write_text(new, encoding="utf-8")
    if args.check:
        for name in stale:
            print(f"{name}: out of date; run: sharewise tree build {args.rules}", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        print(f"wrote {name}", file=sys.stderr)  # a message about a file, not a result
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Decide every path, scenario and (with --ledger) record on both trees; exit 1 if any
    lands differently or a question changed."""
    from itertools import chain

    from sharewise.cli import diff_text
    from sharewise.cli.common import input_arg, one_stdin, print_json
    from sharewise.domain import tree_diff as td
    from sharewise.domain.graph import load_tree

    one_stdin(OLD=args.old, NEW=args.new)
    old, new = load_tree(input_arg(args.old)), load_tree(input_arg(args.new))
    on_old, on_new = td.Replayer(old), td.Replayer(new)
    sources = [td.path_cases(old, new), _scenario_cases(args.scenarios, on_old, on_new)]
    ledger = _diff_ledger(args) if args.ledger else None
    try:
        if ledger is not None:
            sources.append(
                td.Case(
                    td.Source.RECORD, stored.id, answers, on_old(answers), on_new(answers),
                    seq=stored.seq, tree_sha256=stored.tree_sha256,
                )
                for stored in ledger.results()
                for answers in (td.answers_of(stored.result),)
            )  # fmt: skip
        groups, totals = td.group(chain.from_iterable(sources))
    finally:
        if ledger is not None:
            ledger.close()
    questions = td.question_changes(old, new)
    broken = _broken_scenarios(args.scenarios, old, new)
    changed = bool(groups or questions or any(not before for _, before, _ in broken))
    if args.json:
        print_json(
            {
                "old": td.tree_json(old.ref()),
                "new": td.tree_json(new.ref()),
                "changed": changed,
                "questions": [diff_text.question_json(q) for q in questions],
                "groups": [diff_text.group_json(g) for g in groups],
                "totals": diff_text.totals_json(totals),
                "scenarios_failing": [
                    {"scenario": sid, "failing_before": before, "failures": failures}
                    for sid, before, failures in broken
                ],
            }
        )
        return 1 if changed else 0
    out = sys.stdout
    out.write(f"old: {_tree_words(old)}\nnew: {_tree_words(new)}\n")
    if old.sha256 == new.sha256:
        out.write("the two trees are the same file\n")
    diff_text.write_questions(out, questions)
    if groups:
        out.write(f"\n{len(groups)} kind{'s' if len(groups) != 1 else ''} of change\n")
    diff_text.write_groups(out, groups, hint="--json lists them all")
    diff_text.write_totals(out, totals)
    if broken:
        out.write(f"\nscenarios whose expectation the new tree does not meet: {len(broken)}\n")
        for sid, before, failures in broken:
            out.write(f"  {sid}{' (the old tree failed it too)' if before else ''}\n")
            out.write("".join(f"    {failure}\n" for failure in failures))
    if not changed:
        out.write("no change: every case is decided the same way on both trees\n")
    return 1 if changed else 0


def _tree_words(tree: CompiledTree) -> str:
    m = tree.model
    return f"{m.id} {m.version}, law as at {m.law_as_at} ({tree.source}, {tree.sha256[:12]})"


def _scenario_cases(folder: str | None, on_old: Replayer, on_new: Replayer) -> Iterator[Case]:
    from sharewise import paths
    from sharewise.domain.scenarios import load_scenario, scenario_files
    from sharewise.domain.tree_diff import Case, Source

    if folder == "none":
        return
    where = Path(folder) if folder else paths.scenarios_dir()
    if not where.is_dir():
        raise InputError(
            Problem(Location(str(where)), "is not a folder of scenarios", "name a folder")
        )
    for file in scenario_files(where):
        scenario = load_scenario(file)
        facts = scenario.facts
        yield Case(Source.SCENARIO, scenario.id, facts, on_old(facts), on_new(facts))


def _broken_scenarios(
    folder: str | None, old: CompiledTree, new: CompiledTree
) -> list[tuple[str, bool, list[str]]]:
    """Scenarios whose `expect` block the new tree does not meet: (id, whether the old tree
    failed it too, what is wrong). A tree change that breaks a trainer's model answer must be
    seen before the tree ships, not in front of a class."""
    from sharewise import paths
    from sharewise.domain.scenarios import check_scenario, load_scenario, scenario_files

    if folder == "none":
        return []
    broken = []
    for file in scenario_files(Path(folder) if folder else paths.scenarios_dir()):
        scenario = load_scenario(file)
        after = check_scenario(new, scenario, file)
        if not after.ok:
            before = not check_scenario(old, scenario, file).ok
            broken.append((scenario.id, before, after.failures))
    return broken


def _diff_ledger(args: argparse.Namespace) -> Ledger | None:
    from sharewise.store import LedgerMissing, open_ledger

    try:
        return open_ledger(args.data_dir, create=False, readonly=True)
    except LedgerMissing:
        return None
