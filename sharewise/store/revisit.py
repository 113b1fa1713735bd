"""The records an IG lead should revisit: those the current tree would decide differently.

When the tree changes (the law moved, or the tree was corrected), every record's answers are
decided again on it (each distinct set once, as `records replay --all` does), and the
records whose decision, outcome or law would change are listed, the changed decisions
first. Only those are rebuilt in full (for their case reference), so a ledger of 100,000
records where a few hundred change costs a pass over the stored results and little more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharewise.domain.graph import CompiledTree
from sharewise.domain.record import Entry
from sharewise.domain.tree_diff import Case, Replayer, Source, answers_of, landing_of
from sharewise.store.ledger import Ledger


@dataclass(frozen=True, slots=True)
class Revisit:
    """A record the current tree would decide differently, and how."""

    entry: Entry
    case: Case

    @property
    def decision_changed(self) -> bool:
        return self.case.decision_changed


@dataclass(frozen=True, slots=True)
class RevisitList:
    """The records to revisit, and how many were replayed in all."""

    changed: list[Revisit]
    replayed: int


def would_change(ledger: Ledger, tree: CompiledTree) -> RevisitList:
    """Every stored result decided again on `tree`; the records that change, decisions
    first, then by entry number."""
    replay = Replayer(tree)
    found: list[Case] = []
    total = 0
    for stored in ledger.results():
        total += 1
        answers = answers_of(stored.result)
        case = Case(
            Source.RECORD, stored.id, answers, landing_of(stored.result), replay(answers),
            seq=stored.seq, tree_sha256=stored.tree_sha256,
        )  # fmt: skip
        if case.changed:
            found.append(case)
    found.sort(key=lambda c: (not c.decision_changed, c.seq or 0))
    return RevisitList([Revisit(ledger.get(c.ident), c) for c in found], total)
