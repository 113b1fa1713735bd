"""`sharewise records replay`: decide stored records' answers again and show what changes.

One record (`ID`) is shown in full, as before; many (`--all`, `--since`, `--case`) are
grouped as `tree diff` groups them. Each record can be replayed on the current tree, on
another (`--tree`), or on the one it was decided on (`--own-tree`, the ledger's copy): the
last shows an auditor exactly the rules the practitioner was given. Exit 1 when any record
would be decided differently, so a script can run it after a tree update.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from sharewise.cli.common import load_tree_arg, print_json
from sharewise.domain.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from sharewise.domain.graph import CompiledTree
    from sharewise.domain.result import DecisionResult
    from sharewise.domain.tree_diff import Replayer
    from sharewise.store import Ledger


def own_tree(ledger: Ledger, sha256: str) -> CompiledTree | None:
    """The tree a record was decided on, from the ledger's copy, or None if not held."""
    from sharewise.domain.graph import load_tree_source

    raw = ledger.tree_source(sha256)
    if raw is None:
        return None
    return load_tree_source(raw, f"the ledger's copy of tree {sha256[:12]}")


class TreeChooser:
    """The tree each record is replayed on: one for all, or each record's own (loaded once
    per tree from the ledger, and None for a tree the ledger does not hold)."""

    def __init__(self, ledger: Ledger, args: argparse.Namespace) -> None:
        from sharewise.domain.tree_diff import Replayer

        self.ledger = ledger
        self.own = bool(args.own_tree)
        self.fixed = None if self.own else Replayer(load_tree_arg(args.tree))
        self._own: dict[str, Replayer | None] = {}

    def __call__(self, sha256: str) -> Replayer | None:
        from sharewise.domain.tree_diff import Replayer

        if self.fixed is not None:
            return self.fixed
        if sha256 not in self._own:
            tree = own_tree(self.ledger, sha256)
            self._own[sha256] = None if tree is None else Replayer(tree)
        return self._own[sha256]


def cmd_replay(args: argparse.Namespace) -> int:
    from sharewise.store import LedgerMissing, open_ledger

    try:
        ledger = open_ledger(args.data_dir, create=False, readonly=True)
    except LedgerMissing:
        if args.id is not None:
            raise InputError(
                Problem(
                    Location(str(args.id)),
                    "no entry with this id or number (there are no records yet)",
                    "record a decision first",
                )
            ) from None
        ledger = None
    if ledger is None:
        return _many(None, args)
    with ledger:
        if args.id is not None:
            return _one(ledger, args)
        return _many(ledger, args)


# -- one record ------------------------------------------------------------------------------


def _one(ledger: Ledger, args: argparse.Namespace) -> int:
    from sharewise.domain.replay import replay

    entry = ledger.get(args.id)
    if entry.result is None:
        raise InputError(
            Problem(
                Location(args.id),
                f"a {entry.kind.value} entry holds no decision to replay",
                "give the id of a decision record",
            )
        )
    was = entry.result
    held = was.tree.sha256 in ledger.held_trees()
    if args.own_tree:
        tree = own_tree(ledger, was.tree.sha256)
        if tree is None:
            raise InputError(
                Problem(
                    Location(args.id),
                    "the ledger holds no copy of the tree this record was decided on",
                    "replay it on a tree file with --tree PATH",
                )
            )
    else:
        tree = load_tree_arg(args.tree)
    again = replay(tree, was)
    now = again.result
    differs = tree.sha256 != was.tree.sha256
    if args.json:
        print_json(
            {
                "id": entry.id,
                "changed": again.changed,
                "same_tree": again.same_tree,
                "tree_differs": differs,
                "tree_held": held,
                "original": was.to_json_dict(),
                "now": now.to_json_dict() if now else None,
                "unanswered": {
                    "fact": again.unanswered_fact,
                    "question": again.unanswered_question,
                }
                if now is None
                else None,
                "citations_added": again.added_citations,
                "citations_removed": again.removed_citations,
            }
        )
        return 1 if again.changed else 0
    print(f"recorded: {was.decision.value} - {was.outcome.title} ({_tree_words(was)})")
    if differs:
        print(
            f"the tree differs from the record's: replayed on {tree.model.id} "
            f"{tree.model.version}, law as at {tree.model.law_as_at} ({tree.sha256[:12]}), "
            f"recorded on {was.tree.sha256[:12]}"
            + ("" if held else " (the ledger holds no copy of that tree)")
        )
    else:
        print("replayed on the tree the record was decided on" + (
            " (the ledger's copy)" if args.own_tree else ""))  # fmt: skip
    if now is None:
        if again.unanswered_fact is None:
            # Every fact was answered, but no one answer there has those values together.
            print(
                f"now: cannot decide - no answer to {again.unanswered_question!r} "
                "fits this record's answers"
            )
        else:
            print(
                f"now: cannot decide - the tree asks {again.unanswered_question!r} "
                f"({again.unanswered_fact}), which this record never answered"
            )
        return 1
    print(f"now:      {now.decision.value} - {now.outcome.title} ({_tree_words(now)})")
    if not again.changed:
        print("no change: the same answers lead to the same decision, outcome and law")
    for cid in again.added_citations:
        print(f"  + cites {cid}")
    for cid in again.removed_citations:
        print(f"  - no longer cites {cid}")
    return 1 if again.changed else 0


def _tree_words(result: DecisionResult) -> str:
    t = result.tree
    return f"tree {t.id} {t.version}, law as at {t.law_as_at}"


# -- many records ----------------------------------------------------------------------------


def _many(ledger: Ledger | None, args: argparse.Namespace) -> int:
    from sharewise.cli import diff_text
    from sharewise.domain import tree_diff as td
    from sharewise.store import Filters

    filters = Filters(date_from=args.since, case=args.case)
    chooser = None if ledger is None else TreeChooser(ledger, args)
    held = set() if ledger is None else set(ledger.held_trees())
    recorded_on: Counter[str] = Counter()
    trees: dict[str, dict[str, Any]] = {}
    not_held = 0

    def cases() -> Any:
        nonlocal not_held
        if ledger is None or chooser is None:
            return
        for stored in ledger.results(filters):
            sha = stored.tree_sha256
            recorded_on[sha] += 1
            trees.setdefault(sha, stored.result["tree"])
            replayer = chooser(sha)
            if replayer is None:
                not_held += 1
                continue
            answers = td.answers_of(stored.result)
            yield td.Case(
                td.Source.RECORD, stored.id, answers, td.landing_of(stored.result),
                replayer(answers), seq=stored.seq, tree_sha256=sha,
            )  # fmt: skip

    groups, totals = td.group(cases())
    target = None if chooser is None or chooser.fixed is None else chooser.fixed.tree
    on = [
        {**trees[sha], "records": n, "held": sha in held}
        for sha, n in sorted(recorded_on.items(), key=lambda item: -item[1])
    ]
    changed = bool(groups)
    if args.json:
        print_json(
            {
                "tree": td.tree_json(target.ref()) if target is not None else None,
                "own_tree": bool(args.own_tree),
                "changed": changed,
                "recorded_on": on,
                "not_replayed": not_held,
                "groups": [diff_text.group_json(g) for g in groups],
                "totals": diff_text.totals_json(totals),
            }
        )
        return 1 if changed else 0
    out = sys.stdout
    total = sum(recorded_on.values())
    if not total:
        out.write("no records to replay\n")
        return 0
    if target is not None:
        m = target.model
        out.write(
            f"replayed {total:,} record{'s' if total != 1 else ''} on {m.id} {m.version}, "
            f"law as at {m.law_as_at} ({target.sha256[:12]})\n"
        )
    else:
        out.write(f"replayed {total:,} records each on its own tree (the ledger's copy)\n")
    out.write("recorded on:\n")
    for tree in on:
        same = target is not None and tree["sha256"] == target.sha256
        note = "this tree" if same or target is None else "the tree differs"
        kept = "copy held" if tree["held"] else "no copy held"
        out.write(
            f"  {tree['id']} {tree['version']}, law as at {tree['law_as_at']} "
            f"({tree['sha256'][:12]}): {tree['records']:,} - {note}; {kept}\n"
        )
    if not_held:
        out.write(
            f"{not_held:,} records not replayed: the ledger holds no copy of their tree "
            "(replay them on a tree file with --tree)\n"
        )
    diff_text.write_groups(out, groups, hint="--json lists them all")
    diff_text.write_totals(out, totals)
    if not changed:
        out.write("no change: every record is decided the same way\n")
    return 1 if changed else 0
