"""`sharewise settings`: answers settled once for every case (organisation and role facts)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "settings", help="answers settled for every case (who shares, policy document, care role)"
    )
    ssub = p.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = ssub.add_parser("show", help="print the settled answers and what else may be settled")
    show.set_defaults(handler=run_show)
    set_ = ssub.add_parser("set", help="settle a fact's answer for every case")
    set_.add_argument("fact")
    set_.add_argument("value")
    set_.set_defaults(handler=run_set)
    unset = ssub.add_parser("unset", help="ask this question again in every case")
    unset.add_argument("fact")
    unset.set_defaults(handler=run_unset)


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
    return 0


def run_unset(args: argparse.Namespace) -> int:
    from sharewise.domain.settings import save_settings

    folder, vocabulary, facts = _context(args)
    if facts.pop(args.fact, None) is None:
        print(f"{args.fact} was not settled", file=sys.stderr)
        return 0
    save_settings(folder, facts, vocabulary)
    print(f"{args.fact} will be asked in every case again", file=sys.stderr)
    return 0
