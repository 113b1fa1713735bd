"""The IG lead's summary of the ledger: what was decided, on what law, and what needs action.

Counts only: the report names no person and quotes no free text, so it can go to a board
or a regulator as it stands. Corrections are honoured: a decision's details are the latest
completion or amendment of it, not what was first typed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from sharewise.domain.record import Entry, EntryKind, RecordDetails
from sharewise.domain.result import DecisionResult, by_question
from sharewise.domain.safe_text import safe_line

UNSURE_ANSWERS = frozenset({"unsure", "not_sure", "dont_know"})


@dataclass
class AuditSummary:
    """The figures of one period."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    decisions: Counter[str] = field(default_factory=Counter)
    basis: Counter[str] = field(default_factory=Counter)
    conditions: Counter[str] = field(default_factory=Counter)
    shared_without_consent: int = 0
    not_shared: int = 0
    emergencies_open: list[str] = field(default_factory=list)
    reviews: Counter[str] = field(default_factory=Counter)
    amendments: int = 0
    unsure: Counter[str] = field(default_factory=Counter)
    total: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "decisions_recorded": self.total,
            "by_decision": dict(self.decisions.most_common()),
            "by_lawful_basis": dict(self.basis.most_common()),
            "by_condition": dict(self.conditions.most_common()),
            "shared_without_consent": self.shared_without_consent,
            "not_shared": self.not_shared,
            "emergencies_awaiting_completion": self.emergencies_open,
            "reviews": dict(self.reviews.most_common()),
            "amendments": self.amendments,
            "questions_answered_not_sure": dict(self.unsure.most_common(10)),
        }


def summarise(
    entries: Iterable[Entry], date_from: dt.date | None = None, date_to: dt.date | None = None
) -> AuditSummary:
    """Summarise the entries of a period (pass them already filtered by date)."""
    summary = AuditSummary(date_from, date_to)
    decided: dict[str, DecisionResult] = {}
    details: dict[str, RecordDetails | None] = {}
    emergencies: list[str] = []
    completed: set[str] = set()
    for entry in entries:
        if entry.kind in (EntryKind.DECISION, EntryKind.EMERGENCY):
            # An emergency may be filed without a decision (no tree to hand); it still
            # counts as awaiting completion, and as a decision once a completion brings one.
            if entry.result is not None:
                decided[entry.id] = entry.result
            details[entry.id] = entry.details
            if entry.kind is EntryKind.EMERGENCY:
                emergencies.append(entry.id)
        elif entry.kind in (EntryKind.COMPLETION, EntryKind.AMENDMENT) and entry.target:
            if entry.kind is EntryKind.AMENDMENT:
                summary.amendments += 1
            else:
                completed.add(entry.target)
                if entry.result is not None and entry.target in details:
                    decided.setdefault(entry.target, entry.result)
            if entry.target in details:
                details[entry.target] = entry.details
        elif entry.kind is EntryKind.REVIEW and entry.review:
            summary.reviews[entry.review.verdict.value] += 1
    for eid, result in decided.items():
        summary.total += 1
        summary.decisions[result.decision.value] += 1
        law = result.outcome.law
        for cid in law.basis:
            summary.basis[cid] += 1
        for cid in (*law.special_category, *law.criminal_offence):
            summary.conditions[cid] += 1
        # Once per question a record answered "not sure", even where that one answer
        # settled two facts as unsure (a tree's `also`).
        for group in by_question(result.path):
            if any(step.answer in UNSURE_ANSWERS for step in group):
                summary.unsure[group[0].question] += 1
        if result.decision.shares:
            current = details.get(eid)
            if current is not None and current.consent is not None and not current.consent.sought:
                summary.shared_without_consent += 1
        elif result.decision.value == "do_not_share":
            summary.not_shared += 1
    summary.emergencies_open = [e for e in emergencies if e not in completed]
    return summary


def write_report(summary: AuditSummary, fmt: str, out: TextIO) -> None:
    """Write the summary as md, html or json."""
    if fmt == "json":
        out.write(json.dumps(summary.to_json_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    data = summary.to_json_dict()
    period = f"{data['from'] or 'the start'} to {data['to'] or 'today'}"
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        (
            "Overview",
            [
                ("Decisions recorded", str(summary.total)),
                ("Shared without consent being sought", str(summary.shared_without_consent)),
                ("Decided not to share", str(summary.not_shared)),
                ("Emergency records awaiting completion", str(len(summary.emergencies_open))),
                ("Amendments", str(summary.amendments)),
            ],
        ),
        ("By decision", [(k, str(v)) for k, v in summary.decisions.most_common()]),
        ("By lawful basis", [(k, str(v)) for k, v in summary.basis.most_common()]),
        (
            "By condition (special category / criminal offence)",
            [(k, str(v)) for k, v in summary.conditions.most_common()],
        ),
        ("Reviews", [(k, str(v)) for k, v in summary.reviews.most_common()]),
        (
            "Questions most often answered 'not sure'",
            [(k, str(v)) for k, v in summary.unsure.most_common(10)],
        ),
        ("Emergency records awaiting completion", [(i, "") for i in summary.emergencies_open]),
    ]
    if fmt == "md":
        out.write(f"# sharewise audit report\n\nPeriod: {period}\n")
        for title, rows in sections:
            out.write(f"\n## {title}\n\n")
            if not rows:
                out.write("None.\n")
                continue
            out.write("| item | count |\n|---|---|\n")
            for label, value in rows:
                cell = safe_line(label).replace("|", "\\|")
                out.write(f"| {cell} | {value} |\n")
        return
    e = html.escape
    out.write(
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\"><title>sharewise audit report</title><style>"
        "body{font:11pt/1.45 system-ui,sans-serif;max-width:50em;margin:2em auto}"
        "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;"
        "padding:.2em .6em;text-align:left}</style></head><body>\n"
        f"<h1>sharewise audit report</h1><p>Period: {e(period)}</p>\n"
    )
    for title, rows in sections:
        out.write(f"<h2>{e(title)}</h2>\n")
        if not rows:
            out.write("<p>None.</p>\n")
            continue
        out.write("<table>\n")
        for label, value in rows:
            out.write(f"<tr><td>{e(label)}</td><td>{e(value)}</td></tr>\n")
        out.write("</table>\n")
    out.write("</body></html>\n")
