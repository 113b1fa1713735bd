"""The IG lead's figures: every count the dashboard and the board paper show, in one pass.

The ledger is read as a stream of stored rows, and each record adds to a single counter of
*figure keys* (`("decision", "share")`, `("basis", "ukgdpr.art6.1e")`, ...), so memory stays
flat however long the ledger grows: only what later entries say about earlier ones (a
completion, an amendment, a review; a small fraction of a ledger) is held. Bodies are parsed
with orjson and never rebuilt as models: the figures need a dozen fields of each record, and
rebuilding a whole entry costs ten times the parse.

The same keys answer "which records are behind this figure?" (`records_behind`), so a
figure on the dashboard and the list it opens cannot disagree.

Counts only: nothing here reads a name or free text, so a report can go to a board as it is.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import orjson

from sharewise.store.base import Backend, Filters

#: Answers that mean "not sure" in any tree (the England tree uses `unsure`).
UNSURE_ANSWERS = frozenset({"unsure", "not_sure", "dont_know"})

#: The figures, by the first half of their keys. Each is counted once per record.
DECISION = "decision"  # the record's decision ("none": an emergency filed without one)
BASIS = "basis"  # Art 6 lawful basis, or DPA 2018 s.35 under Part 3
SPECIAL = "special_category"  # Art 9 condition (or Sch 8 under Part 3)
CRIMINAL = "criminal_offence"  # Art 10 route
SHARER = "sharer"  # who was sharing: the answer given for the fact `sharer`
TEAM = "team"  # the practitioner's organisation, as recorded
WITHOUT_CONSENT = "shared_without_consent"
NOT_SHARED = "not_shared"
AWAITING = "awaiting_completion"
REVIEW = "review"  # the latest verdict, or "not_reviewed"
DUE = "due_for_review"
MONTH = "month"  # "2026-10"
TREND = "trend"  # "2026-10 share"
NOT_SURE = "not_sure"  # per question
REVISITED = "revisited"  # per question: gone back over (back or jump) before filing
CHANGED = "changed"  # per question: its answer changed before filing
FILING = "filing_minutes"  # whole minutes from starting the walk to filing
ALL = "records"  # every record in scope (item "")

NOT_REVIEWED = "not_reviewed"
NO_DECISION = "none"

RECORD_KINDS = ("decision", "emergency")
LINK_KINDS = ("completion", "amendment", "review")

Key = tuple[str, str]


class BadScope(ValueError):
    """A period or filter that cannot be applied (the message says what to fix)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which records the figures count. Dates are inclusive, by the UTC date of filing.

    `team` matches the practitioner's organisation as currently recorded (case and spaces
    ignored); `decision` the record's decision (an emergency's through its completion);
    `emergency` and `reviewed`, when not None, keep only records that are (or are not).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    team: str | None = None
    decision: str | None = None
    emergency: bool | None = None
    reviewed: bool | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadScope(
                f"the period starts ({self.date_from}) after it ends ({self.date_to}): "
                "swap the two dates"
            )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "team": self.team,
            "decision": self.decision,
            "emergency": self.emergency,
            "reviewed": self.reviewed,
        }


@dataclass(frozen=True, slots=True)
class Decided:
    """What a record's decision adds to the figures, read once from its stored result."""

    decision: str
    #: (figure, item) keys of the law, the sharer and the questions (not sure, revisited,
    #: changed): they do not depend on anything filed later.
    keys: tuple[Key, ...]
    #: The walk's start (RFC 3339), if the record carries it.
    started: str | None


@dataclass(frozen=True, slots=True)
class Details:
    """The few details the figures read (no name, no free text)."""

    team: str
    consent_sought: bool | None
    review_by: str | None


@dataclass(frozen=True, slots=True)
class Filed:
    """One decision or emergency record, as compact as the figures allow."""

    seq: int
    id: str
    emergency: bool
    created: str
    decided: Decided | None
    details: Details


@dataclass(slots=True)
class _Later:
    """What later entries say about one record (held for the pass; a few fields each)."""

    details: Details | None = None  # the latest completion's or amendment's details
    decided: Decided | None = None  # a completion's decision, for an emergency without
    completed: bool = False
    verdict: str | None = None
    reviewed_on: str | None = None  # the latest review's UTC date (YYYY-MM-DD)
    amendments: int = 0


@dataclass
class Figures:
    """The counts of one scope, and the entries that could not be read."""

    scope: Scope
    as_of: dt.date
    counts: Counter[Key] = field(default_factory=Counter)
    #: Emergency records still to be completed, by id (ids name nobody).
    awaiting: list[str] = field(default_factory=list)
    #: Entries whose stored body could not be parsed: counted nowhere, listed loudly.
    unreadable: list[int] = field(default_factory=list)
    amendments: int = 0

    @property
    def total(self) -> int:
        return self.counts[(ALL, "")]

    def count(self, figure: str, item: str = "") -> int:
        return self.counts[(figure, item)]

    def by(self, figure: str) -> list[tuple[str, int]]:
        """(item, count) of one figure, largest first, then by item (stable for reports)."""
        found = [(item, n) for (f, item), n in self.counts.items() if f == figure]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def months(self) -> list[str]:
        """The months with records, oldest first."""
        return sorted(item for (f, item) in self.counts if f == MONTH)

    def trend(self) -> dict[str, dict[str, int]]:
        """Records by month and decision: {"2026-10": {"share": 3, ...}, ...}."""
        out: dict[str, dict[str, int]] = {m: {} for m in self.months()}
        for (f, item), n in self.counts.items():
            if f == TREND:
                month, decision = item.split(" ", 1)
                out.setdefault(month, {})[decision] = n
        return out

    def filing_minutes(self) -> dict[str, float | int | None]:
        """How long from starting a walk to filing its record: records timed, median, 90th
        percentile (whole minutes), over records that carry their walk's start."""
        spread = sorted((int(m), n) for m, n in self.by(FILING))
        timed = sum(n for _, n in spread)
        return {
            "records_timed": timed,
            "median": _percentile(spread, timed, 0.5),
            "p90": _percentile(spread, timed, 0.9),
        }

    def questions(self) -> list[dict[str, Any]]:
        """Where practitioners struggle: per question, not sure / revisited / changed counts,
        the most troubled first."""
        names = {item for (f, item) in self.counts if f in (NOT_SURE, REVISITED, CHANGED)}
        rows = [
            {
                "question": q,
                "not_sure": self.count(NOT_SURE, q),
                "revisited": self.count(REVISITED, q),
                "changed": self.count(CHANGED, q),
            }
            for q in names
        ]
        return sorted(
            rows, key=lambda r: (-(r["not_sure"] + r["revisited"] + r["changed"]), r["question"])
        )

    def to_json_dict(self) -> dict[str, Any]:
        """The `audit report --format json` object: the original keys first, then the rest.
        Citations and answers are ids here (machine format); reports show their titles."""
        questions = self.questions()
        return {
            "from": self.scope.date_from.isoformat() if self.scope.date_from else None,
            "to": self.scope.date_to.isoformat() if self.scope.date_to else None,
            "decisions_recorded": self.total,
            "by_decision": dict(self.by(DECISION)),
            "by_lawful_basis": dict(self.by(BASIS)),
            "by_condition": dict(
                sorted(
                    (Counter(dict(self.by(SPECIAL))) + Counter(dict(self.by(CRIMINAL)))).items(),
                    key=lambda p: (-p[1], p[0]),
                )
            ),
            "shared_without_consent": self.count(WITHOUT_CONSENT),
            "not_shared": self.count(NOT_SHARED),
            "emergencies_awaiting_completion": list(self.awaiting),
            "reviews": {k: v for k, v in self.by(REVIEW) if k != NOT_REVIEWED},
            "amendments": self.amendments,
            "questions_answered_not_sure": dict(self.by(NOT_SURE)[:10]),
            "scope": self.scope.to_json_dict(),
            "as_of": self.as_of.isoformat(),
            "by_special_category_condition": dict(self.by(SPECIAL)),
            "by_criminal_offence_condition": dict(self.by(CRIMINAL)),
            "by_sharer": dict(self.by(SHARER)),
            "by_team": dict(self.by(TEAM)),
            "not_reviewed": self.count(REVIEW, NOT_REVIEWED),
            "due_for_review": self.count(DUE),
            "filing_minutes": self.filing_minutes(),
            "by_month": {m: self.count(MONTH, m) for m in self.months()},
            "trend": self.trend(),
            "questions": questions,
            "unreadable_entries": list(self.unreadable),
        }


def _percentile(spread: list[tuple[int, int]], total: int, share: float) -> int | None:
    if not total:
        return None
    wanted = max(1, int(total * share + 0.999999))  # the nearest-rank method
    seen = 0
    for minutes, n in spread:
        seen += n
        if seen >= wanted:
            return minutes
    return spread[-1][0]


# ---------------------------------------------------------------------------------------
# Reading the ledger.


def decided_of(result: dict[str, Any]) -> Decided:
    """The figure keys a stored result gives (law, sharer, questions)."""
    law = result["outcome"]["law"]
    keys: list[Key] = [(BASIS, c) for c in law.get("basis", ())]
    keys += [(SPECIAL, c) for c in law.get("special_category", ())]
    keys += [(CRIMINAL, c) for c in law.get("criminal_offence", ())]
    unsure: list[str] = []
    node = None
    # The hot loop of a count (a dozen steps a record): plain lookups, nothing rebuilt.
    for step in result.get("path") or ():
        question = step["question"]
        if step["answer"] in UNSURE_ANSWERS and question not in unsure:
            unsure.append(question)  # may be the second fact one answer settled
        if step["fact"] == "sharer":
            keys.append((SHARER, step["answer"]))
        if step["node"] != node:  # one question, one count (an answer may settle several)
            node = step["node"]
            if step.get("revisits"):
                keys.append((REVISITED, question))
            if step.get("changes"):
                keys.append((CHANGED, question))
    keys += [(NOT_SURE, q) for q in unsure]
    return Decided(str(result["decision"]), tuple(keys), result.get("started"))


def details_of(details: dict[str, Any]) -> Details:
    consent = details.get("consent")
    return Details(
        (details.get("practitioner") or {}).get("organisation") or "",
        consent.get("sought") if isinstance(consent, dict) else None,
        details.get("review_by"),
    )


def filed_of(seq: int, eid: str, kind: str, created: str, body: bytes) -> Filed:
    """A stored decision or emergency record's compact form (raises on a damaged body)."""
    data = orjson.loads(body).get("data") or {}
    result = data.get("result")
    return Filed(
        seq,
        eid,
        kind == "emergency",
        created,
        decided_of(result) if result else None,
        details_of(data.get("details") or {}),
    )


def read_later(backend: Backend) -> dict[str, _Later]:
    """What completions, amendments and reviews say about each record, by the record's id.

    An amendment may target a completion or an earlier amendment; it is credited to the
    record at the root of that chain (targets always precede, so one pass resolves them).
    """
    later: dict[str, _Later] = {}
    root: dict[str, str] = {}
    for _seq, eid, kind, created, target_id, body in backend.bodies(Filters(kinds=LINK_KINDS)):
        if target_id is None:
            continue
        try:
            data = orjson.loads(body).get("data") or {}
        except orjson.JSONDecodeError:
            continue  # verify names it; the record it concerns is counted as filed
        target = root.get(target_id, target_id)
        root[eid] = target
        state = later.get(target)
        if state is None:
            state = later[target] = _Later()
        if kind == "review":
            state.verdict = (data.get("review") or {}).get("verdict")
            state.reviewed_on = created[:10]
            continue
        if kind == "amendment":
            state.amendments += 1
        elif not state.completed:
            state.completed = True
            if data.get("result"):
                state.decided = decided_of(data["result"])
        if data.get("details") is not None:
            state.details = details_of(data["details"])
    return later


def norm_team(text: str) -> str:
    """A team as a filter matches it: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


class View(NamedTuple):
    """What the figures read of one record once later entries are applied: the same for
    every record it fits, so the dashboard counts records with equal views once (`Held`).
    The walk's time to filing varies from record to record and is kept beside it."""

    day: str  # the UTC date it was filed
    emergency: bool
    decision: str
    keys: tuple[Key, ...]  # of its decision: law, sharer, questions
    team: str
    consent_sought: bool | None
    due: bool  # its review date has come and no review was filed since
    verdict: str | None  # the latest review's
    completed: bool


def due_from(review_by: str | None, reviewed_on: str | None) -> str | None:
    """The day a record's review falls due: its review date, unless the latest review was
    filed on or after that date (then never)."""
    if review_by and not (reviewed_on and reviewed_on >= review_by):
        return review_by
    return None


def view_of(filed: Filed, later: _Later | None, today: str) -> tuple[View, int | None]:
    """A record's view, and its minutes from starting the walk to filing (None: untimed)."""
    decided = filed.decided or (later.decided if later else None)
    details = later.details if later and later.details is not None else filed.details
    falls_due = due_from(details.review_by, later.reviewed_on if later else None)
    due = falls_due is not None and falls_due <= today
    minutes = None
    if decided is not None and decided.started:
        minutes = minutes_between(decided.started, filed.created)
    view = View(
        filed.created[:10],
        filed.emergency,
        decided.decision if decided else NO_DECISION,
        decided.keys if decided else (),
        details.team,
        details.consent_sought,
        due,
        later.verdict if later else None,
        bool(later and later.completed),
    )
    return view, minutes


def in_scope(view: View, scope: Scope) -> bool:
    """Whether a record with this view is among those `scope` counts."""
    if scope.date_from is not None and view.day < scope.date_from.isoformat():
        return False
    if scope.date_to is not None and view.day > scope.date_to.isoformat():
        return False
    if scope.decision is not None and view.decision != scope.decision:
        return False
    if scope.emergency is not None and view.emergency != scope.emergency:
        return False
    if scope.reviewed is not None and (view.verdict is not None) != scope.reviewed:
        return False
    return scope.team is None or norm_team(view.team) == norm_team(scope.team)


def keys_for(view: View) -> list[Key]:
    """The figure keys a record with this view adds (its day may be only its month)."""
    decision = view.decision
    month = view.day[:7]
    keys: list[Key] = [
        (ALL, ""),
        (DECISION, decision),
        (MONTH, month),
        (TREND, f"{month} {decision}"),
        (REVIEW, view.verdict or NOT_REVIEWED),
        *view.keys,
    ]
    if view.team:
        keys.append((TEAM, view.team))
    if view.emergency and not view.completed:
        keys.append((AWAITING, ""))
    if view.due:
        keys.append((DUE, ""))
    if decision in ("share", "share_urgently"):
        if view.consent_sought is False:
            keys.append((WITHOUT_CONSENT, ""))
    elif decision == "do_not_share":
        keys.append((NOT_SHARED, ""))
    return keys


def keys_of_view(view: View, scope: Scope) -> list[Key] | None:
    """The figure keys a record with this view adds, or None when the scope leaves it out."""
    return keys_for(view) if in_scope(view, scope) else None


def keys_of(filed: Filed, later: _Later | None, scope: Scope, today: str) -> list[Key] | None:
    """The figure keys one record adds, or None when the scope leaves it out."""
    view, minutes = view_of(filed, later, today)
    keys = keys_of_view(view, scope)
    if keys is not None and minutes is not None:
        keys.append((FILING, str(minutes)))
    return keys


def minutes_between(start: str, end: str) -> int | None:
    try:
        began = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
        filed = dt.datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return None
    seconds = (filed - began).total_seconds()
    return int(seconds // 60) if seconds >= 0 else None


def read_filed(backend: Backend, scope: Scope) -> Iterator[Filed | int]:
    """The records of the scope's period, compact, in chain order; the seq of any whose
    stored body cannot be read (counted nowhere, shown loudly)."""
    period = Filters(date_from=scope.date_from, date_to=scope.date_to, kinds=RECORD_KINDS)
    for seq, eid, kind, created, _target, body in backend.bodies(period):
        try:
            yield filed_of(seq, eid, kind, created, body)
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError):
            yield seq


def tally(
    records: Iterable[Filed | int],
    later: dict[str, _Later],
    scope: Scope,
    today: dt.date,
) -> Figures:
    """Count `records` (from `read_filed`, or held by the dashboard) within `scope`."""
    figures = Figures(scope, today)
    counts = figures.counts
    today_text = today.isoformat()
    for filed in records:
        if isinstance(filed, int):
            figures.unreadable.append(filed)
            continue
        state = later.get(filed.id)
        keys = keys_of(filed, state, scope, today_text)
        if keys is None:
            continue
        counts.update(keys)
        if filed.emergency and not (state and state.completed):
            figures.awaiting.append(filed.id)
        if state is not None:
            figures.amendments += state.amendments
    return figures


def today() -> dt.date:
    """The UTC date: review dates fall due by it."""
    return dt.datetime.now(dt.UTC).date()


def count(backend: Backend, scope: Scope | None = None, today: dt.date | None = None) -> Figures:
    """The figures of `scope` (every record when None), as at `today` (UTC date): one
    stream over the ledger, holding only what later entries say about earlier ones."""
    scope = scope or Scope()
    today = today or dt.datetime.now(dt.UTC).date()
    return tally(read_filed(backend, scope), read_later(backend), scope, today)


class Counted(Protocol):
    """What the dashboard counts with: `Held` (in memory) or `figures_cache.Cached`."""

    today: dt.date
    unreadable: list[int]

    def figures(self, scope: Scope) -> Figures: ...

    def behind(self, scope: Scope, key: Key) -> list[int]: ...


@dataclass
class _Group:
    """The records that share one view: who they are, and their times to filing."""

    members: list[tuple[int, str]] = field(default_factory=list)  # (seq, id)
    minutes: Counter[int] = field(default_factory=Counter)
    amendments: int = 0


class Held:
    """The ledger's records held compactly in memory, for a screen that counts them again
    and again under different filters (the dashboard): one read, then each filter is a
    pass over the distinct views of the records (records with equal views are counted
    once, with their number), with no database and no JSON."""

    def __init__(self, backend: Backend | None, on: dt.date | None = None) -> None:
        """Read `backend` (None: no ledger yet, so no records), as at the date `on` (UTC
        today when None; through `today()`, which a test fixes for a snapshot)."""
        self.today = on or today()
        self.unreadable: list[int] = []
        self.groups: dict[View, _Group] = {}
        if backend is None:
            return
        # Many small objects that live as long as the screen: the cyclic collector would
        # walk them again and again as they are made (it doubled the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            later = read_later(backend)
            today_text = self.today.isoformat()
            groups = self.groups
            for filed in read_filed(backend, Scope()):
                if isinstance(filed, int):
                    self.unreadable.append(filed)
                    continue
                state = later.get(filed.id)
                view, minutes = view_of(filed, state, today_text)
                group = groups.get(view)
                if group is None:
                    group = groups[view] = _Group()
                group.members.append((filed.seq, filed.id))
                if minutes is not None:
                    group.minutes[minutes] += 1
                if state is not None:
                    group.amendments += state.amendments
        finally:
            if collecting:
                gc.enable()

    def figures(self, scope: Scope) -> Figures:
        figures = Figures(scope, self.today)
        figures.unreadable = list(self.unreadable)
        counts = figures.counts
        awaiting: list[tuple[int, str]] = []
        for view, group in self.groups.items():
            keys = keys_of_view(view, scope)
            if keys is None:
                continue
            n = len(group.members)
            for key in keys:
                counts[key] += n
            for minutes, m in group.minutes.items():
                counts[(FILING, str(minutes))] += m
            if view.emergency and not view.completed:
                awaiting += group.members
            figures.amendments += group.amendments
        figures.awaiting = [eid for _seq, eid in sorted(awaiting)]  # in chain order
        return figures

    def behind(self, scope: Scope, key: Key) -> list[int]:
        """The seqs of the records a figure counts, oldest first."""
        found: list[int] = []
        for view, group in self.groups.items():
            keys = keys_of_view(view, scope)
            if keys is None:
                continue
            if key in keys:
                found.extend(seq for seq, _id in group.members)
        return sorted(found)
