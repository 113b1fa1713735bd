"""`records list` reads each entry for what it shows (`store.listing`), without the entry
models; these tests hold it to the models' reading, entry by entry and byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from bank_ledger import build
from ledger_harness import Harness

from sharewise.cli import main
from sharewise.domain.errors import StoreError
from sharewise.domain.record import EntryKind
from sharewise.domain.safe_text import safe_json, safe_line
from sharewise.domain.tree import Decision
from sharewise.store import Ledger, open_ledger
from sharewise.store.base import PersonalRow, Row
from sharewise.store.ledger import to_entry
from sharewise.store.listing import DECISIONS, KINDS, of_entry, plain_listing, summarise


def test_the_values_it_knows_are_the_models() -> None:
    assert {k.value for k in EntryKind} == KINDS
    assert {d.value for d in Decision} == DECISIONS


def _bank(ledger: Ledger) -> None:
    build(ledger)
    ledger.purge(dt.date(2026, 8, 1))  # on SQLite, some entries erased and a purge entry


def _same_as_the_models(ledger: Ledger) -> None:
    rows = list(ledger.backend.rows())
    for row, personal in rows:
        assert summarise(row, personal) == of_entry(to_entry(row, personal)), row.seq
    plain = list(plain_listing(ledger.backend))
    models = list(ledger.listing())
    assert len(plain) == len(models) == len(rows)
    for p, m in zip(plain, models, strict=True):
        assert p.entry == of_entry(m.entry)
        assert p.completed_by == m.completed_by
        assert p.target_seq == m.target_seq
        assert p.decision == m.decision


def test_every_entry_reads_as_the_model_reads_it(harness: Harness) -> None:
    with harness.open() as ledger:
        build(ledger)
        _same_as_the_models(ledger)
        kinds = {json.loads(r.body)["kind"] for r, _ in ledger.backend.rows()}
        assert kinds == KINDS - {"purge"}
        # PostgreSQL dates entries itself (today): this purge erases every one there.
        ledger.purge(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2))
        assert any(p is not None and p.erased_by is not None for _, p in ledger.backend.rows())
        _same_as_the_models(ledger)


# What `records list` printed when it listed the models (`Ledger.listing`), kept here as
# the reference the new listing is held to.
_LINK_WORDS = {"completion": "completes", "review": "reviews", "amendment": "amends",
               "decision": "reassesses"}  # fmt: skip


def _old_text(ledger: Ledger, **filters: Any) -> str:
    from sharewise.store import Filters

    lines = [f"{'#':>5}  {'id':26}  {'recorded (UTC)':16}  {'kind':10}  {'decision':16}  case"]
    for item in ledger.listing(Filters(**filters)):
        e = item.entry
        case = safe_line(
            (e.details.case_ref if e.details else None) or ("[erased]" if e.erased else "")
        )
        kind = e.kind.value
        note = ""
        if kind == "emergency":
            done = item.completed_by
            note = "(to be completed)" if done is None else f"(completed by entry {done.seq})"
        elif item.target_seq is not None and kind in _LINK_WORDS:
            note = f"({_LINK_WORDS[kind]} entry {item.target_seq})"
        created = e.created.strftime("%Y-%m-%dT%H:%M:%SZ")
        line = (
            f"{e.seq:>5}  {e.id:26}  {created[:16].replace('T', ' '):16}  "
            f"{kind:10}  {item.decision or '':16}  {case:15}  {note}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _old_json(ledger: Ledger, **filters: Any) -> str:
    from sharewise.store import Filters

    out = []
    for item in ledger.listing(Filters(**filters)):
        e = item.entry
        row = {
            "seq": e.seq,
            "id": e.id,
            "kind": e.kind.value,
            "created": e.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "decision": e.decision.value if e.decision else None,
            "case_ref": e.details.case_ref if e.details else None,
            "target": e.target,
            "hash": e.hash,
            **({"org": e.org, "recorded_by": e.recorded_by} if e.recorded_by else {}),
            "completed_by": item.completed_by.to_json_dict() if item.completed_by else None,
            "target_seq": item.target_seq,
        }
        out.append(safe_json(json.dumps(row, ensure_ascii=False)))
    return "[" + ",".join("\n" + r for r in out) + "\n]\n"


def _cli(data: Path, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["records", "list", "--data-dir", str(data), *args]) == 0
    return out.getvalue()


def test_the_command_prints_what_it_printed_from_the_models(tmp_path: Path) -> None:
    with open_ledger(tmp_path, on_wait=None) as ledger:
        _bank(ledger)
    with open_ledger(tmp_path, create=False, readonly=True) as ledger:
        case = next(r.case_ref for _, r in ledger.backend.rows() if r and r.case_ref)
        for filters, args in (
            ({}, ()),
            ({"case": case}, ("--case", case)),
            ({"decision": "share"}, ("--decision", "share")),
            ({"date_from": dt.date(2026, 8, 1)}, ("--from", "2026-08-01")),
        ):
            text = _cli(tmp_path, *args)
            assert text == _old_text(ledger, **filters)
            assert _cli(tmp_path, *args, "--json") == _old_json(ledger, **filters)
        assert "[erased]" in _cli(tmp_path) and "(completed by entry" in _cli(tmp_path)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Row, PersonalRow]:
    """A decision as stored (row and personal details): what the damage below starts from."""
    with open_ledger(tmp_path_factory.mktemp("bank"), on_wait=None) as ledger:
        build(ledger)
        row, personal = next(iter(ledger.backend.rows()))
    assert personal is not None and personal.data is not None
    return row, personal


def _changed(row: Row, **changes: Any) -> Row:
    body = json.loads(row.body)
    body.update(changes)
    return dataclasses.replace(row, body=json.dumps(body).encode())


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "nonsense"},
        {"kind": ["decision"]},
        {"decision": "maybe"},
        {"seq": "1"},
        {"seq": 0},
        {"created": "yesterday"},
        {"id": 7},
        {"target": 5},
        {"org": 1, "recorded_by": "x"},
    ],
)
def test_an_entry_out_of_the_ordinary_goes_through_the_model(
    stored: tuple[Row, PersonalRow], changes: dict[str, Any]
) -> None:
    """Its values or its error are then the model's, whichever it gives."""
    row, personal = stored
    odd = _changed(row, **changes)
    try:
        expected: object = of_entry(to_entry(odd, personal))
    except StoreError as exc:
        expected = str(exc)
    try:
        got: object = summarise(odd, personal)
    except StoreError as exc:
        got = str(exc)
    assert got == expected


def test_a_damaged_hash_column_or_long_case_goes_through_the_model(
    stored: tuple[Row, PersonalRow],
) -> None:
    row, personal = stored
    for odd_row, odd_personal in (
        (dataclasses.replace(row, hash="XYZ"), personal),
        (row, dataclasses.replace(personal, data=json.dumps({"case_ref": "C" * 65}).encode())),
        (row, dataclasses.replace(personal, data=json.dumps({"case_ref": None}).encode())),
    ):
        with pytest.raises(StoreError) as model:
            to_entry(odd_row, odd_personal)
        with pytest.raises(StoreError) as plain:
            summarise(odd_row, odd_personal)
        assert str(plain.value) == str(model.value)


def test_listing_imports_neither_pydantic_nor_the_record_models(tmp_path: Path) -> None:
    """What made `records list --case` slow on a big ledger was importing these."""
    import subprocess
    import sys

    with open_ledger(tmp_path, on_wait=None) as ledger:
        build(ledger)
    code = (
        "import sys\n"
        "from sharewise.cli import main\n"
        f"data = {str(tmp_path)!r}\n"
        "assert main(['records', 'list', '--data-dir', data]) == 0\n"
        "assert main(['records', 'list', '--case', 'CS-1', '--data-dir', data]) == 0\n"
        "print(sorted(m for m in ('pydantic', 'sharewise.domain.record', 'textual')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("[]"), done.stdout[-300:]
