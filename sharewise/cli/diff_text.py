"""How `tree diff` and `records replay` show what a change of tree does: grouped text for a
person, JSON for a script. Both print the same groups (`sharewise.domain.tree_diff`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from sharewise.domain.safe_text import safe_line
from sharewise.domain.tree_diff import Group, Landing, QuestionChange, Source

#: How many members of a group the text names before saying how many more there are.
SHOWN = 8

_NOUNS = {
    Source.PATH: ("path", "paths"),
    Source.SCENARIO: ("scenario", "scenarios"),
    Source.RECORD: ("record", "records"),
}


def counted(n: int, source: Source) -> str:
    one, many = _NOUNS[source]
    return f"{n:,} {one if n == 1 else many}"


def landing_json(landing: Landing) -> dict[str, Any]:
    return {
        "decision": landing.decision,
        "outcome": {"id": landing.outcome, "title": landing.title} if landing.decided else None,
        "citations": list(landing.citations),
        "asked": sorted(landing.asked),
        "cannot_decide": landing.gap,
    }


def group_json(g: Group) -> dict[str, Any]:
    return {
        "headline": g.headline(),
        "before": landing_json(g.before),
        "after": landing_json(g.after),
        "decision_changed": g.before.decision != g.after.decision,
        "citations_added": g.added_citations,
        "citations_removed": g.removed_citations,
        "asks_now": g.asks_now,
        "no_longer_asks": g.no_longer_asks,
        "shared_answers": g.shared_answers(),
        "counts": {s.value: g.count(s) for s in Source if g.count(s)},
        "paths": [dict(c.answers) for c in g.cases if c.source is Source.PATH],
        "scenarios": [c.ident for c in g.cases if c.source is Source.SCENARIO],
        "records": [
            {"seq": c.seq, "id": c.ident, "tree_sha256": c.tree_sha256}
            for c in g.cases
            if c.source is Source.RECORD
        ],
    }


def totals_json(totals: dict[Source, tuple[int, int]]) -> dict[str, Any]:
    return {s.value: {"changed": t[0], "total": t[1]} for s, t in totals.items() if t[1]}


def question_json(change: QuestionChange) -> dict[str, Any]:
    return {"fact": change.fact, "before": change.before, "after": change.after}


def write_questions(out: TextIO, changes: Sequence[QuestionChange]) -> None:
    if not changes:
        return
    out.write("\nQuestions\n")
    for c in changes:
        if c.before is None:
            out.write(f"  new ({c.fact}): {safe_line(c.after or '')}\n")
        elif c.after is None:
            out.write(f"  no longer asked ({c.fact}): {safe_line(c.before)}\n")
        else:
            out.write(f"  reworded ({c.fact}): {safe_line(c.before)}\n")
            out.write(f"      now: {safe_line(c.after)}\n")


def _names(items: list[str], more_hint: str) -> str:
    shown = ", ".join(items[:SHOWN])
    if len(items) > SHOWN:
        shown += f" and {len(items) - SHOWN:,} more ({more_hint})"
    return shown


def write_groups(out: TextIO, groups: Sequence[Group], *, hint: str) -> None:
    """Each group: what changed, how many of each kind, what they share, who they are."""
    for number, g in enumerate(groups, 1):
        counts = ", ".join(counted(g.count(s), s) for s in Source if g.count(s))
        out.write(f"\n{number}. {g.headline()}: {counts}\n")
        b, a = g.before, g.after
        if b.decided and a.decided and b.title != a.title:
            out.write(f"   outcome was: {safe_line(b.title)}\n")
            out.write(f"   outcome now: {safe_line(a.title)}\n")
        elif a.decided:
            out.write(f"   outcome: {safe_line(a.title)}\n")
        if g.added_citations:
            out.write(f"   cites now: {', '.join(g.added_citations)}\n")
        if g.removed_citations:
            out.write(f"   no longer cites: {', '.join(g.removed_citations)}\n")
        if a.decided and g.asks_now:
            out.write(f"   now also asks: {', '.join(g.asks_now)}\n")
        if a.decided and g.no_longer_asks:
            out.write(f"   no longer asks: {', '.join(g.no_longer_asks)}\n")
        shared = g.shared_answers()
        if shared and len(g.cases) > 1:
            words = ", ".join(f"{f} = {v}" for f, v in shared.items())
            out.write(f"   all of them answered: {words}\n")
        scenarios = [c.ident for c in g.cases if c.source is Source.SCENARIO]
        if scenarios:
            out.write(f"   scenarios: {_names(scenarios, hint)}\n")
        records = [f"{c.seq}" for c in g.cases if c.source is Source.RECORD]
        if records:
            out.write(f"   records (entry numbers): {_names(records, hint)}\n")
        paths = [c.ident for c in g.cases if c.source is Source.PATH]
        if paths:
            out.write(f"   e.g. {paths[0]}\n")


def write_totals(out: TextIO, totals: dict[Source, tuple[int, int]]) -> None:
    parts = [
        f"{t[0]:,} of {counted(t[1], s)}" for s, t in totals.items() if t[1]
    ]  # fmt: skip
    out.write(f"\nChanged: {'; '.join(parts) if parts else 'nothing to compare'}\n")
