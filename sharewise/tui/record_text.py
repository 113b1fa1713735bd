"""A saved record as plain text: for "copy as text" into a case system, and for export.

Every piece of text a person typed goes through `safe_text`, because the copy is also shown
on screen and may be pasted into another terminal.
"""

from __future__ import annotations

from sharewise.domain.nodes import Citations
from sharewise.domain.record import Entry, RecordDetails
from sharewise.domain.result import DecisionResult, by_question
from sharewise.domain.safe_text import safe_line, safe_text
from sharewise.domain.words import law_sections, outcome_heading
from sharewise.tui.words import decision_words, yes_no


def record_text(
    details: RecordDetails,
    result: DecisionResult | None,
    registry: Citations | None,
    *,
    record_id: str,
    seq: int,
    emergency: bool = False,
    completed_by: Entry | None = None,
    recorded_by: str | None = None,
) -> str:
    """The record as a case note: who decided what, why, on which law, and where it is filed.

    An emergency record's `completed_by` (its completion) changes the heading from "to be
    completed" to which entry completed it and with what decision, and gives that decision
    when the emergency record was filed without one. `recorded_by` is the database login
    that appended it (a shared PostgreSQL ledger), shown beside the name typed.
    """
    d = details
    done = completed_by if emergency else None
    if done is not None:
        heading = f"Emergency information-sharing record, completed by entry {done.seq}"
        decided = done.decision or (result.outcome.decision if result is not None else None)
        heading += f": {decision_words(decided)}" if decided else " (no decision recorded)"
    elif emergency:
        heading = "Emergency information-sharing record (to be completed)"
    else:
        heading = "Information-sharing decision record"
    lines = [heading, f"Record {record_id} (entry {seq} in the sharewise ledger)"]
    if done is not None:
        lines.append(f"Completed: {done.created:%Y-%m-%d %H:%M} UTC, record {done.id}")
    if d.case_ref:
        lines.append(f"Case reference: {safe_line(d.case_ref)}")
    if result is not None:
        o = result.outcome
        lines.append(f"Decision: {outcome_heading(o.decision, safe_line(o.title), ' - ')}")
    elif done is not None and done.result is not None:
        o = done.result.outcome
        lines.append(
            f"Decision (when completed, entry {done.seq}): "
            + outcome_heading(o.decision, safe_line(o.title), " - ")
        )
    p = d.practitioner
    who = ", ".join(safe_line(x) for x in (p.name or "", p.role, p.organisation) if x)
    if recorded_by:
        who += f" (recorded by database login {safe_line(recorded_by)})"
    lines.append(f"Decided by: {who}")
    if d.recipient is not None:
        r = d.recipient
        to = ", ".join(safe_line(x) for x in (r.name or "", r.role, r.organisation) if x)
        lines.append(f"Shared with: {to}")
    _field(lines, "Information", d.information)
    _field(lines, "How", d.method)
    if d.consent is not None:
        sought = "sought" if d.consent.sought else "not sought"
        _field(lines, f"Consent ({sought})", d.consent.reason)
    if d.informed is not None:
        _field(lines, f"Person told: {yes_no(d.informed.told)}", d.informed.reason)
    _field(lines, "Identities protected", d.identities_protected)
    _field(lines, "Advice sought", d.advice_sought)
    _field(lines, "Rationale", d.rationale)
    if d.review_by is not None:
        lines.append(f"Review by: {d.review_by.isoformat()}")
    if result is not None:
        lines.append("The law relied on:")
        for label, ids in law_sections(result.outcome.law):
            for cid in ids:
                c = registry.get(cid) if registry else None
                lines.append(f"  {label}: {c.title if c else cid} [{cid}]")
        lines.append("Questions and answers:")
        # Each question once, with the answer as picked (it may have settled two facts).
        for i, (step, *_) in enumerate(by_question(result.path), start=1):
            settled = " (settled answer, from the settings)" if step.preset else ""
            lines.append(f"  {i}. {step.question} - {step.label}{settled}")
        t = result.tree
        lines.append(f"Tree: {t.title} {t.version} (law as at {t.law_as_at.isoformat()})")
    return "\n".join(lines) + "\n"


def _field(lines: list[str], label: str, value: str | None) -> None:
    if value:
        lines.append(f"{label}: {safe_text(value)}")
