"""The record model, the details file, the published schema and the ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from sharewise.domain.errors import InputError
from sharewise.domain.record import (
    PERSONAL_PATHS,
    Entry,
    RecordDetails,
    merge_personal,
    new_id,
    split_personal,
)
from sharewise.domain.record_schema import DEFAULT_PATH, render
from sharewise.store.details import load_details

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "record-details.yaml"


def test_the_contract_example_loads() -> None:
    details, emergency = load_details(EXAMPLE)
    assert not emergency
    assert details.case_ref == "CS-2026-00417"
    assert details.consent is not None and details.consent.sought is False
    assert str(details.review_by) == "2026-12-06"


def test_docs_example_is_the_contract_example() -> None:
    assert (ROOT / "docs" / "examples" / "record-details.yaml").read_text() == EXAMPLE.read_text()


def test_published_schema_is_up_to_date() -> None:
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render(), (
        "run: python -m sharewise.domain.record_schema"
    )
    schema = json.loads(render())
    assert schema["title"] == "sharewise ledger entry"
    assert {"seq", "hash", "prev_hash", "details", "result"} <= set(schema["properties"])


def test_split_and_merge_are_inverse_and_leave_no_personal_text() -> None:
    details, _ = load_details(EXAMPLE)
    full = details.model_dump(mode="json", exclude_none=True)
    public, personal = split_personal(full, PERSONAL_PATHS)
    assert set(personal) == {p for p in PERSONAL_PATHS}
    flat = json.dumps(public)
    for text in personal.values():
        assert text not in flat
    assert merge_personal(public, personal) == full


def test_required_fields_and_strict_booleans() -> None:
    base = {"case_ref": "X", "practitioner": {"name": "A", "role": "B", "organisation": "C"}}
    with pytest.raises(ValidationError, match="missing information, consent"):
        RecordDetails.model_validate(base)
    assert RecordDetails.model_validate(base, context={"emergency": True}).information is None
    full = {
        **base,
        "information": "i",
        "rationale": "r",
        "consent": {"sought": "no", "reason": "x"},
        "informed": {"told": False, "reason": "y"},
    }
    with pytest.raises(ValidationError, match="sought"):
        RecordDetails.model_validate(full)
    with pytest.raises(ValidationError, match="name is required"):
        RecordDetails.model_validate({**base, "practitioner": {"role": "B", "organisation": "C"}})
    with pytest.raises(ValidationError, match="Extra inputs"):
        RecordDetails.model_validate({**base, "child_name": "never"}, context={"emergency": True})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a list\n", "must be a mapping"),
        ("to_be_completed: maybe\n", "to_be_completed must be true or false"),
        ("case_ref: [1, 2]\npractitioner: {name: a, role: b, organisation: c}\n", ":1:"),
        ("case_ref: x\ncase_ref: y\n", "duplicate key"),
    ],
)
def test_bad_details_files_are_located(tmp_path: Path, text: str, expected: str) -> None:
    f = tmp_path / "d.yaml"
    f.write_text(text)
    with pytest.raises(InputError) as caught:
        load_details(f)
    assert expected in caught.value.render() and str(f) in caught.value.render()


def test_ids_are_sortable_and_unique() -> None:
    ids = [new_id(1_700_000_000_000 + i) for i in range(200)]
    assert ids == sorted(ids) and len(set(ids)) == 200
    assert all(len(i) == 26 for i in ids)
    assert new_id(5) != new_id(5)


def test_entry_round_trips_through_json() -> None:
    sample = {
        "seq": 1,
        "id": new_id(),
        "kind": "purge",
        "created": "2026-11-29T10:00:00Z",
        "alg": "sharewise-ledger/1",
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
        "purge": {"before": "2020-01-01", "count": 3},
    }
    entry = Entry.model_validate(sample)
    assert Entry.model_validate_json(entry.model_dump_json()) == entry


def test_form_fields_nest_into_record_details() -> None:
    from sharewise.domain.record import RecordDetails, nest_fields

    flat = {
        "case_ref": "CS-1",
        "practitioner.name": "A. Example",
        "practitioner.role": "Teacher",
        "practitioner.organisation": "Example School",
        "recipient.organisation": "",
        "recipient.role": "told in an emergency",
        "information": "What was seen",
        "method": "",
        "consent.sought": False,
        "consent.reason": "Asking would raise the risk",
        "informed.told": False,
        "informed.reason": "Not safe yet",
        "rationale": "Needed today",
    }
    data = nest_fields(flat)
    assert "recipient" not in data  # no organisation: nobody was named
    assert data["method"] is None and data["consent"] == {
        "sought": False,
        "reason": "Asking would raise the risk",
    }
    details = RecordDetails.model_validate(data)
    assert details.practitioner.name == "A. Example"
    named = nest_fields({**flat, "recipient.organisation": "Children's social care"})
    assert named["recipient"] == {
        "organisation": "Children's social care",
        "role": "told in an emergency",
    }
