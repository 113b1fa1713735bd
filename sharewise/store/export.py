"""Exports of ledger entries: JSON, CSV for a spreadsheet, Markdown, and a printable HTML page.

Every format streams (one entry at a time) so that exporting a year of records does not
hold it all in memory. Text people typed is evidence and is exported faithfully, but made
inert where the format could act on it: CSV cells that a spreadsheet would run as a
formula are prefixed with a quote, HTML is escaped, and control characters are shown as
visible escapes in the human-readable formats.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import orjson

from sharewise.domain.citations import Registry
from sharewise.domain.errors import StoreError
from sharewise.domain.record import Entry
from sharewise.domain.result import Step, by_question
from sharewise.domain.safe_text import safe_cell, safe_json, safe_line, safe_text
from sharewise.domain.tree import Law
from sharewise.domain.words import citation_title, law_sections
from sharewise.store.base import PersonalRow, Row

FORMATS = ("json", "csv", "md", "html")
ERASED = "[erased]"

CSV_COLUMNS = (
    "seq", "id", "kind", "created", "target", "decision", "outcome", "case_ref",
    "practitioner_name", "practitioner_role", "practitioner_organisation",
    "recipient_name", "recipient_organisation", "recipient_role",
    "information", "method", "consent_sought", "consent_reason", "informed_told",
    "informed_reason", "identities_protected", "advice_sought", "rationale", "review_by",
    "basis", "special_category", "criminal_offence", "confidentiality", "transparency",
    "supporting", "citations", "answers", "tree_id", "tree_version", "tree_law_as_at",
    "tree_sha256", "review_verdict", "reviewer", "review_comment", "purge_before",
    "purge_count", "erased", "prev_hash", "hash",
    # On a shared ledger, the login that appended the entry and its organisation (both inside
    # the hash); empty on a single-user SQLite ledger. Last, so earlier columns keep their place.
    "org", "recorded_by",
)  # fmt: skip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flatten(entry: Entry) -> dict[str, str]:
    """One row of text per entry: the CSV columns (absent values are empty)."""
    row: dict[str, Any] = {
        "seq": entry.seq,
        "id": entry.id,
        "kind": entry.kind.value,
        "created": entry.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "target": entry.target,
        "decision": entry.decision.value if entry.decision else None,
        "erased": "yes" if entry.erased else "no",
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "org": entry.org,
        "recorded_by": entry.recorded_by,
    }
    if entry.result is not None:
        result = entry.result
        law = result.outcome.law
        row.update(
            outcome=result.outcome.title,
            citations="; ".join(result.citations),
            answers="; ".join(
                f"{s.fact}={s.answer}{' (settled)' if s.preset else ''}" for s in result.path
            ),
            tree_id=result.tree.id,
            tree_version=result.tree.version,
            tree_law_as_at=result.tree.law_as_at.isoformat(),
            tree_sha256=result.tree.sha256,
        )
        for group in law.GROUPS:
            row[group] = "; ".join(getattr(law, group))
    if entry.details is not None:
        d = entry.details
        row.update(
            case_ref=d.case_ref,
            practitioner_name=d.practitioner.name,
            practitioner_role=d.practitioner.role,
            practitioner_organisation=d.practitioner.organisation,
            information=d.information,
            method=d.method,
            identities_protected=d.identities_protected,
            advice_sought=d.advice_sought,
            rationale=d.rationale,
            review_by=d.review_by.isoformat() if d.review_by else None,
        )
        if d.recipient is not None:
            row.update(
                recipient_name=d.recipient.name,
                recipient_organisation=d.recipient.organisation,
                recipient_role=d.recipient.role,
            )
        if d.consent is not None:
            row.update(consent_sought=_yes(d.consent.sought), consent_reason=d.consent.reason)
        if d.informed is not None:
            row.update(informed_told=_yes(d.informed.told), informed_reason=d.informed.reason)
    if entry.review is not None:
        row.update(
            review_verdict=entry.review.verdict.value,
            reviewer=entry.review.reviewer,
            review_comment=entry.review.comment,
        )
    if entry.purge is not None:
        row.update(purge_before=entry.purge.before.isoformat(), purge_count=entry.purge.count)
    return {col: "" if row.get(col) is None else str(row[col]) for col in CSV_COLUMNS}


def _answered(group: Sequence[Step]) -> tuple[str, str]:
    """One question and its answer, with every fact the answer settled (a tree's `also`
    lets one answer settle two): "label (sharer = public_authority, care_professional = no)"."""
    first = group[0]
    facts = ", ".join(f"{s.fact} = {s.answer}" for s in group)
    settled = "; settled in the settings, not asked" if any(s.preset for s in group) else ""
    return first.question, f"{first.label} ({facts}{settled})"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def spreadsheet_safe(cell: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def export(
    entries: Iterable[Entry],
    fmt: str,
    out: TextIO,
    *,
    title: str = "",
    links: Mapping[str, Sequence[Entry]] | None = None,
) -> int:
    """Write `entries` to `out` in `fmt`; returns how many were written.

    `links` (from `Ledger.links`) lets the readable formats say, on each entry, which later
    entries completed, reviewed or amended it.
    """
    title = title or "sharewise decision records"
    if fmt == "md":
        return _markdown(entries, out, title, links or {})
    if fmt == "html":
        return _html(entries, out, title, links or {})
    writer = {"json": _json, "csv": _csv}[fmt]
    return writer(entries, out, title)


def _json(entries: Iterable[Entry], out: TextIO, title: str) -> int:
    count = 0
    out.write("[")
    for entry in entries:
        out.write(",\n" if count else "\n")
        out.write(safe_json(json.dumps(entry.model_dump(mode="json"), ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _csv(entries: Iterable[Entry], out: TextIO, title: str) -> int:
    # A byte-order mark makes Excel read the file as UTF-8 (without it, accents break).
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        flat = flatten(entry)
        writer.writerow([spreadsheet_safe(safe_cell(flat[col])) for col in CSV_COLUMNS])
        count += 1
    return count


def csv_rows(rows: Iterable[tuple[Row, PersonalRow | None]], out: TextIO) -> int:
    """`export(entries, "csv", out)` straight from stored rows: the same bytes, about three
    times as fast, because no entry's models are rebuilt (`flat_cells` reads the stored
    JSON). The models are what `verify` and every other reader check; an export copies out
    what is stored. Returns how many entries were written."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    start = _FORMULA_START
    for row, personal in rows:
        # `spreadsheet_safe` inline: a call per cell is a fifth of the time at 44 columns.
        cells = [safe_cell(c) for c in flat_cells(row, personal)]
        writer.writerow(["'" + c if c.startswith(start) else c for c in cells])
        count += 1
    return count


def json_rows(rows: Iterable[tuple[Row, PersonalRow | None]], out: TextIO) -> int:
    """`export(entries, "json", out)` straight from stored rows: the same bytes, without
    validating each entry's models (a third of an entry's time). Each entry's object is
    what `Entry.model_dump(mode="json")` makes of it: the stored JSON put in the models'
    field order with their defaults filled in (`_Shape`, read from the models themselves).
    An entry out of the ordinary (a key the models do not know, a required one missing) is
    rebuilt through the models as before, so it is written, or refused, exactly as then.
    As for `csv_rows`, the models' checks are `verify`'s to make: an export copies out what
    is stored. Returns how many entries were written."""
    from sharewise.store.ledger import to_entry

    try:
        shape: _Shape | None = _entry_shape()
    except TypeError:  # a model these shapes cannot follow: every entry through the models
        shape = None
    count = 0
    out.write("[")
    for row, personal in rows:
        try:
            if shape is None:
                raise _Unusual
            obj = _entry_object(row, personal, shape)
        except _Unusual:
            obj = to_entry(row, personal).model_dump(mode="json")
        out.write(",\n" if count else "\n")
        out.write(safe_json(json.dumps(obj, ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


class _Unusual(Exception):
    """An entry the shapes do not cover: the models rebuild it (and word any problem)."""


_REQUIRED = object()


class _Shape:
    """A pydantic model's dump in JSON mode, from data already in that form: its fields in
    order, each with its default (in JSON form) and how to treat a value that is given."""

    def __init__(self, model: type[Any]) -> None:
        from pydantic import TypeAdapter

        decorators = model.__pydantic_decorators__
        if decorators.field_serializers or decorators.model_serializers:
            raise TypeError(f"{model.__name__} serialises itself")  # not handled
        self.fields: list[tuple[str, Any, Any, Any]] = []
        for name, info in model.model_fields.items():
            if info.alias not in (None, name) or info.serialization_alias not in (None, name):
                raise TypeError(f"{model.__name__}.{name} has an alias")  # not handled
            if info.exclude:
                continue
            if info.is_required():
                default: Any = _REQUIRED
            else:
                value = info.get_default(call_default_factory=True)
                default = TypeAdapter(info.annotation).dump_python(value, mode="json")
            # A field left out of the dump where its `exclude_if` says so (`Entry.org`).
            self.fields.append((name, default, _treatment(info.annotation), info.exclude_if))
        self.names = frozenset(model.model_fields)
        # The common case in C: every field in order, defaults first, what is given over
        # them; then the few fields that need more than that.
        self.template = {name: default for name, default, _, _ in self.fields}
        self.required = frozenset(n for n, d, _, _ in self.fields if d is _REQUIRED)
        self.treated = [(n, t) for n, _, t, _ in self.fields if t is not None]
        self.excluded = [(n, x) for n, _, _, x in self.fields if x is not None]
        self.plain = len(self.fields) == len(self.names)  # nothing excluded outright
        self.flat = self.plain and not self.treated and not self.excluded
        self._required_values: Any = (
            operator.itemgetter(*sorted(self.required)) if self.required else None
        )

    def many(self, values: Any) -> list[dict[str, Any]]:
        """`[self(v) for v in values]` for a model of plain fields, its checks made over the
        whole list at once (a path has 15 to 20 steps)."""
        if not isinstance(values, list) or not all(type(v) is dict for v in values):
            raise _Unusual
        if not self.names.issuperset(itertools.chain.from_iterable(values)):
            raise _Unusual
        if self.required:
            try:
                found = list(map(self._required_values, values))
            except KeyError:
                raise _Unusual from None
            if len(self.required) == 1:
                if None in found:
                    raise _Unusual
            elif any(None in row for row in found):
                raise _Unusual
        template = self.template
        return [{**template, **v} for v in values]

    def __call__(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict) or not self.names.issuperset(data) or not self.plain:
            raise _Unusual
        if not self.required.issubset(data):
            raise _Unusual
        for name in self.required:
            if data[name] is None:
                raise _Unusual  # the models decide whether None is allowed here
        out = {**self.template, **data}
        for name, treat in self.treated:
            value = out[name]
            if value is not None:
                out[name] = treat(value)
        for name, exclude_if in self.excluded:
            if exclude_if(out[name]):
                del out[name]
        return out


def _treatment(annotation: Any) -> Any:
    """How a stored value of this type becomes its dump: None (as stored), a nested
    model's shape, a list of them, or a date or time written again by pydantic."""
    import datetime as dt
    import types
    import typing

    from pydantic import BaseModel

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _treatment(args[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [_treatment(a) for a in args]
        if len(kinds) != 1:
            if all(k is None for k in kinds):
                return None
            raise TypeError(f"a union of models is not handled: {annotation}")
        return kinds[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Shape(annotation)
    if origin is list:
        inner = _treatment(args[0])
        if inner is None:
            return None
        if isinstance(inner, _Shape) and inner.flat:
            return inner.many  # a path's steps: a list of plain models, checked at once
        return lambda values: [inner(v) for v in _list_check(values)]
    if origin is dict:
        if _treatment(args[1]) is not None:
            raise TypeError(f"a mapping of models is not handled: {annotation}")
        return None
    if annotation in (dt.datetime, dt.date):
        return _moment_writer(annotation)
    if annotation is dt.time:
        raise TypeError("a time of day is not handled")
    return None


def _moment_writer(kind: type[Any]) -> Any:
    """A stored date or time as pydantic writes it again. Text in the form pydantic wrote
    it (a date; a UTC time, with microseconds unless there are none) is that text once
    `fromisoformat` accepts it; anything else is read and written by pydantic itself."""
    import datetime as dt
    import re

    from pydantic import TypeAdapter

    adapter = TypeAdapter(kind)
    if kind is dt.date:
        form = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
        parse: Any = dt.date.fromisoformat
    else:
        form = re.compile(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.(?!000000)[0-9]{6})?Z"
        )
        parse = lambda text: dt.datetime.fromisoformat(text[:-1])  # noqa: E731

    def write(value: Any) -> Any:
        if isinstance(value, str) and form.fullmatch(value):
            parse(value)  # a date that does not exist is refused, as pydantic refuses it
            return value
        return adapter.dump_python(adapter.validate_python(value), mode="json")

    return write


def _list_check(values: Any) -> list[Any]:
    if not isinstance(values, list):
        raise _Unusual
    return values


@functools.cache
def _entry_shape() -> _Shape:
    from sharewise.domain.record import Entry

    return _Shape(Entry)


def _entry_object(row: Row, personal: PersonalRow | None, shape: _Shape) -> dict[str, Any]:
    """`to_entry(row, personal).model_dump(mode="json")` from the stored JSON, or _Unusual."""
    from sharewise.store.ledger import entry_fields

    try:
        fields = entry_fields(row, personal, orjson.loads)
        # `to_entry` reads the time with the chain's parser; pydantic writes it, as there.
        fields["created"] = _created(fields["created"])
        return shape(fields)
    except _Unusual:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _Unusual from None


def _created(moment: Any) -> Any:
    """A UTC time as pydantic writes it: microseconds only if there are any, then `Z`
    (`isoformat` writes the same, with `+00:00` for the `Z`)."""
    text = moment.isoformat()
    if not text.endswith("+00:00"):
        raise _Unusual
    return text[:-6] + "Z"


def flat_cells(row: Row, personal: PersonalRow | None) -> list[str]:
    """`flatten(to_entry(row, personal))` as a list in CSV_COLUMNS order, from the stored
    JSON alone (a test holds the two to the same text on every kind of entry)."""
    from sharewise.store.ledger import stored_parts

    try:
        body, kept, erased = stored_parts(row, personal, orjson.loads)
        texts: dict[str, Any] = kept or {}
        data = body.get("data") or {}
        cells: dict[str, Any] = {
            "seq": body["seq"],
            "id": body["id"],
            "kind": body["kind"],
            "created": body["created"][:19] + "Z",
            "target": body.get("target"),
            "decision": body.get("decision"),
            "erased": "yes" if erased else "no",
            "prev_hash": body["prev_hash"],
            "hash": row.hash,
            "org": body.get("org"),
            "recorded_by": body.get("recorded_by"),
        }
        result = data.get("result")
        if result is not None:
            outcome, tree = result["outcome"], result["tree"]
            law = outcome.get("law") or {}
            cells["outcome"] = outcome["title"]
            cells["citations"] = "; ".join(result["citations"])
            cells["answers"] = "; ".join(
                f"{s['fact']}={s['answer']}{' (settled)' if s.get('preset') else ''}"
                for s in result["path"]
            )
            cells["tree_id"] = tree["id"]
            cells["tree_version"] = tree["version"]
            cells["tree_law_as_at"] = tree["law_as_at"]
            cells["tree_sha256"] = tree["sha256"]
            for group in Law.GROUPS:
                cells[group] = "; ".join(law.get(group) or ())
        details = data.get("details")
        if details is not None:
            _detail_cells(cells, details, texts)
        review = data.get("review")
        if review is not None:
            cells["review_verdict"] = review["verdict"]
            cells["reviewer"] = texts.get("reviewer", review.get("reviewer"))
            cells["review_comment"] = texts.get("comment", review.get("comment"))
        purge = data.get("purge")
        if purge is not None:
            cells["purge_before"] = purge["before"]
            cells["purge_count"] = purge["count"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"entry {row.seq} cannot be read back ({exc.__class__.__name__}); "
            "run `sharewise records verify` to see what is wrong"
        ) from None
    return ["" if (v := cells.get(col)) is None else str(v) for col in CSV_COLUMNS]


def _detail_cells(cells: dict[str, Any], details: dict[str, Any], texts: dict[str, Any]) -> None:
    """The details' columns: the public part, with the personal text put back where
    `merge_personal` puts it (a personal field under a part the details lack is dropped)."""

    def text(path: str) -> Any:
        parent, _, _ = path.rpartition(".")
        if parent and not isinstance(details.get(parent), dict):
            return None
        if path in texts:
            return texts[path]
        return details.get(path) if not parent else details[parent].get(path[len(parent) + 1 :])

    practitioner = details.get("practitioner") or {}
    cells.update(
        case_ref=text("case_ref"),
        practitioner_name=text("practitioner.name"),
        practitioner_role=practitioner.get("role"),
        practitioner_organisation=practitioner.get("organisation"),
        information=text("information"),
        method=text("method"),
        identities_protected=text("identities_protected"),
        advice_sought=text("advice_sought"),
        rationale=text("rationale"),
        review_by=details.get("review_by"),
    )
    recipient = details.get("recipient")
    if isinstance(recipient, dict):
        cells.update(
            recipient_name=text("recipient.name"),
            recipient_organisation=recipient.get("organisation"),
            recipient_role=recipient.get("role"),
        )
    consent = details.get("consent")
    if isinstance(consent, dict):
        cells["consent_sought"] = _yes(consent["sought"])
        cells["consent_reason"] = text("consent.reason")
    informed = details.get("informed")
    if isinstance(informed, dict):
        cells["informed_told"] = _yes(informed["told"])
        cells["informed_reason"] = text("informed.reason")


# -- people-readable formats ---------------------------------------------------------------


def sections(
    entry: Entry, linked: Sequence[Entry] = (), *, tree_held: bool | None = None
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(label, text)]) blocks describing an entry, shared by show, md and html.

    `linked` are the later entries that refer to this one; an emergency record is "to be
    completed" only until one of them completes it. Values are raw: each renderer makes them
    safe for its own medium.

    `tree_held` says whether the ledger keeps a copy of the tree the result was decided on
    (None: not asked, and not shown).
    """
    erased = ERASED if entry.erased else ""
    chain = [
        ("Entry", f"{entry.seq} ({entry.kind.value})"),
        ("Id", entry.id),
        ("Recorded", entry.created.strftime("%Y-%m-%d %H:%M:%S UTC")),
    ]
    if entry.recorded_by is not None:
        # The database login that appended it (a shared ledger refuses any other), beside
        # whatever name was typed in the details.
        chain.append(("Recorded by login", f"{entry.recorded_by} (organisation {entry.org})"))
    if entry.target:
        what = "Reassesses entry" if entry.kind.value == "decision" else "Concerns entry"
        chain.append((what, entry.target))
    done = None
    if entry.kind.value == "emergency":
        done = next((e for e in linked if e.kind.value == "completion"), None)
        status = "to be completed"
        if done is not None:
            status = f"completed by entry {done.seq} ({done.id})"
            decided = done.decision or entry.decision
            status += f", decision: {decided.value}" if decided else ", no decision recorded"
        chain.append(("Status", f"emergency record: {status}"))
    chain += [("Previous hash", entry.prev_hash), ("Hash", entry.hash)]
    yield "Chain", chain
    if done is not None:
        # What the completion decided, before the record as filed in the emergency: the
        # emergency entry is never rewritten, and often holds no decision of its own.
        lines = [
            ("Completed by", f"entry {done.seq} ({done.id})"),
            ("Completed", done.created.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ]
        if done.result is not None:
            o = done.result.outcome
            lines += [("Decision", o.decision.value), ("Outcome", o.title), ("Summary", o.summary)]
        elif entry.result is None:
            lines.append(("Decision", "none recorded"))
        if done.details is not None and done.details.rationale:
            lines.append(("Rationale", done.details.rationale))
        yield "Completion", lines
    if linked:
        yield (
            "Later entries about this one",
            [(f"Entry {e.seq}", f"{_link_text(e)} ({e.id}, {e.created:%Y-%m-%d})") for e in linked],
        )
    if entry.result is not None:
        r = entry.result
        yield (
            "Outcome",
            [
                ("Decision", r.decision.value),
                ("Outcome", r.outcome.title),
                ("Summary", r.outcome.summary),
                *[("Action", a) for a in r.outcome.actions],
            ],
        )
        yield "Law relied on", law_lines(r.outcome.law)
        yield "Questions and answers", [_answered(group) for group in by_question(r.path)]
        yield (
            "Tree",
            [
                ("Tree", f"{r.tree.title} ({r.tree.id}) version {r.tree.version}"),
                ("Law as at", r.tree.law_as_at.isoformat()),
                ("Tree SHA-256", r.tree.sha256),
                *([("Copy of the tree", _HELD[tree_held])] if tree_held is not None else []),
            ],
        )
    if entry.details is not None:
        d = entry.details
        lines = [
            ("Case reference", d.case_ref or erased),
            ("Practitioner", _who(d.practitioner.name or erased, d.practitioner.role,
                                  d.practitioner.organisation)),
        ]  # fmt: skip
        if d.recipient is not None:
            lines.append(("Recipient", _who(d.recipient.name or erased, d.recipient.role,
                                            d.recipient.organisation)))  # fmt: skip
        lines += [
            ("Information", d.information or erased),
            ("Method", d.method or erased),
        ]
        if d.consent is not None:
            lines.append(
                ("Consent sought", f"{_yes(d.consent.sought)}: {d.consent.reason or erased}")
            )
        if d.informed is not None:
            lines.append(("Person told", f"{_yes(d.informed.told)}: {d.informed.reason or erased}"))
        lines += [
            ("Identities protected", d.identities_protected or erased),
            ("Advice sought", d.advice_sought or erased),
            ("Rationale", d.rationale or erased),
            ("Review by", d.review_by.isoformat() if d.review_by else ""),
        ]
        yield "Details", [(k, v) for k, v in lines if v]
    if entry.review is not None:
        rv = entry.review
        yield (
            "Review",
            [
                ("Verdict", rv.verdict.value),
                ("Reviewer", rv.reviewer or erased),
                *([("Reviewer's login", entry.recorded_by)] if entry.recorded_by else []),
                ("Comment", rv.comment or erased),
            ],
        )
    if entry.purge is not None:
        yield (
            "Purge",
            [
                (
                    "Erased personal details of entries recorded before",
                    entry.purge.before.isoformat(),
                ),
                ("Entries erased", str(entry.purge.count)),
            ],
        )
    if entry.erased:
        yield "Retention", [("Personal details", "erased at the end of the retention period")]


_HELD = {
    True: "held in the ledger (the record can be replayed on its own rules)",
    False: "not held (recorded before the ledger kept trees, or on a tree that was "
    "never saved to a file)",
}


def _link_text(entry: Entry) -> str:
    if entry.kind.value == "decision" and entry.decision is not None:
        return f"reassessment: {entry.decision.value}"
    if entry.review is not None:
        by = f" (login {entry.recorded_by})" if entry.recorded_by else ""
        return f"review: {entry.review.verdict.value}{by}"
    if entry.kind.value == "completion" and entry.decision is not None:
        return f"completion: {entry.decision.value}"
    return entry.kind.value


def law_lines(law: Law) -> list[tuple[str, str]]:
    """The law as a person reads it: under each heading (by regime: Part 3's own, not
    "Article 6"), each citation's title from the registry with its id in brackets."""
    registry = _registry()
    return [
        (heading, "; ".join(f"{citation_title(c, registry)} [{c}]" for c in ids))
        for heading, ids in law_sections(law)
    ]


def _registry() -> Registry | None:
    """The shipped citation registry (cached), or None if it cannot be read: the ids alone
    are then shown, which is still exact."""
    from sharewise import paths
    from sharewise.domain.citations import load_registry
    from sharewise.domain.errors import SharewiseError

    try:
        return load_registry(paths.citations_path())
    except SharewiseError:
        return None


def _who(name: str, role: str, organisation: str) -> str:
    return ", ".join(part for part in (name, role, organisation) if part)


def render_text(
    entry: Entry, linked: Sequence[Entry] = (), *, tree_held: bool | None = None
) -> str:
    """An entry for the terminal: every value made inert (see `safe_text`)."""
    out: list[str] = []
    for heading, lines in sections(entry, linked, tree_held=tree_held):
        out.append(f"{heading}:")
        for label, value in lines:
            shown = safe_text(value).replace("\n", "\n      ")
            out.append(f"  {safe_line(label)}: {shown}")
    return "\n".join(out)


class _Counter:
    """Counts the entries a template has written (the template consumes the stream)."""

    def __init__(self) -> None:
        self.n = 0

    def through(self, entries: Iterable[Entry]) -> Iterator[Entry]:
        for entry in entries:
            self.n += 1
            yield entry


def _templated(
    name: str,
    entries: Iterable[Entry],
    out: TextIO,
    title: str,
    links: Mapping[str, Sequence[Entry]],
) -> int:
    """Write entries through a Jinja2 template (autoescaped), chunk by chunk as they come."""
    from sharewise.reports.render import template

    counter = _Counter()
    items = (
        (entry, list(sections(entry, links.get(entry.id, ()))))
        for entry in counter.through(entries)
    )
    for chunk in template(name).generate(title=title, items=items, counter=counter):
        out.write(chunk)
    return counter.n


def _markdown(
    entries: Iterable[Entry], out: TextIO, title: str, links: Mapping[str, Sequence[Entry]]
) -> int:
    return _templated("records.md.j2", entries, out, title, links)


def _html(
    entries: Iterable[Entry], out: TextIO, title: str, links: Mapping[str, Sequence[Entry]]
) -> int:
    return _templated("records.html.j2", entries, out, title, links)


def export_to_string(entries: Iterable[Entry], fmt: str) -> str:
    """Convenience for tests and the UI."""
    buffer = io.StringIO()
    export(entries, fmt, buffer)
    return buffer.getvalue()
