"""`sharewise settings`: answers settled once for every case (organisation and role facts)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "settings",
        help="answers settled for every case (who shares, policy document, care role, kind of "
        "public body)",
    )
    ssub = p.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = ssub.add_parser("show", help="print the settled answers and what else may be settled")
    show.add_argument("--json", action="store_true", help=_JSON_HELP)
    show.set_defaults(handler=run_show)
    set_ = ssub.add_parser("set", help="settle a fact's answer for every case")
    set_.add_argument("fact", help="the fact, as `settings show` names it (e.g. sharer)")
    set_.add_argument("value", help="its answer, as `settings show` lists them")
    set_.add_argument("--json", action="store_true", help=_JSON_HELP + " after the change")
    set_.set_defaults(handler=run_set)
    unset = ssub.add_parser("unset", help="ask this question again in every case")
    unset.add_argument("fact", help="the fact to ask again")
    unset.add_argument("--json", action="store_true", help=_JSON_HELP + " after the change")
    unset.set_defaults(handler=run_unset)
    keep = ssub.add_parser(
        "retention",
        help="the organisation's retention period for records (used by `records purge`)",
    )
    keep.add_argument(
        "years", nargs="?", metavar="YEARS", help="years to keep records, or 'off'; none: show it"
    )
    keep.add_argument("--json", action="store_true", help=_JSON_HELP + " (after any change)")
    keep.set_defaults(handler=run_retention)


_JSON_HELP = "print the settings file and every fact that may be settled, as JSON"


def _context(args: argparse.Namespace) -> tuple[Any, Any, dict[str, str]]:
    from sharewise import paths
    from sharewise.domain.facts import load_vocabulary
    from sharewise.domain.settings import load_settings
    from sharewise.profile import data_folder

    folder = data_folder(args.data_dir)
    vocabulary = load_vocabulary(paths.facts_path())
    return folder, vocabulary, load_settings(folder, vocabulary)


def run_show(args: argparse.Namespace) -> int:
    from sharewise.domain.settings import settings_path

    folder, vocabulary, facts = _context(args)
    if args.json:
        _print_json(folder, vocabulary, facts)
        return 0
    print(f"Settings file: {settings_path(folder)}")
    for name in vocabulary.names():
        fact = vocabulary[name]
        if fact.scope == "case":
            continue
        value = facts.get(name)
        shown = f"{value} ({fact.values[value]})" if value else "asked in every case"
        print(f"  {name} [{fact.scope}]: {shown}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from sharewise.domain.settings import save_settings

    folder, vocabulary, facts = _context(args)
    facts[args.fact] = args.value
    path = save_settings(folder, facts, vocabulary)
    print(f"{args.fact} is settled as {args.value} for every case ({path})", file=sys.stderr)
    if args.json:
        _print_json(folder, vocabulary, facts)
    return 0


def run_unset(args: argparse.Namespace) -> int:
    from sharewise.domain.settings import save_settings

    folder, vocabulary, facts = _context(args)
    if facts.pop(args.fact, None) is None:
        print(f"{args.fact} was not settled", file=sys.stderr)
    else:
        save_settings(folder, facts, vocabulary)
        print(f"{args.fact} will be asked in every case again", file=sys.stderr)
    if args.json:
        _print_json(folder, vocabulary, facts)
    return 0


def _print_json(folder: Any, vocabulary: Any, facts: dict[str, str]) -> None:
    """`settings --json`: the file, the retention period in years (null: not set), and each
    fact that may be settled with its answer (null: asked in every case) and the answers it
    may take."""
    from sharewise.cli.common import print_json
    from sharewise.domain.settings import load_retention, settings_path

    settable = {name: vocabulary[name] for name in vocabulary.names()}
    print_json(
        {
            "file": str(settings_path(folder)),
            "retention_years": load_retention(folder),
            "facts": {
                name: {
                    "scope": fact.scope,
                    "value": facts.get(name),
                    "meaning": fact.values.get(facts[name]) if name in facts else None,
                    "values": dict(fact.values),
                }
                for name, fact in settable.items()
                if fact.scope != "case"
            },
        }
    )


def run_retention(args: argparse.Namespace) -> int:
    """Show or set the retention period: how long records keep their personal details."""
    from sharewise.domain.errors import InputError, Location, Problem
    from sharewise.domain.settings import load_retention, save_retention
    from sharewise.profile import data_folder

    folder = data_folder(args.data_dir)
    if args.years is None:
        if not args.json:
            years = load_retention(folder)
            print(f"retention: {years} years" if years else "retention: not set")
    elif args.years == "off":
        save_retention(folder, None)
        print("retention period removed; `records purge` needs --before", file=sys.stderr)
    elif not (args.years.isascii() and args.years.isdigit()):
        raise InputError(
            Problem(Location("YEARS"), f"{args.years!r} is not a number of years", "e.g. 7")
        )
    else:
        path = save_retention(folder, int(args.years))
        print(
            f"records keep their personal details for {args.years} years ({path})",
            file=sys.stderr,
        )
    if args.json:
        _, vocabulary, facts = _context(args)
        _print_json(folder, vocabulary, facts)
    return 0
