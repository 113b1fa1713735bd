"""Appends encode an entry before taking the write lock (`prepare_entry`) and splice in the
chain's head inside it (`Prepared.finish`). The spliced bytes must be exactly what the
reference encoder makes of the whole body, or every hash written would differ."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sharewise.domain import chain
from sharewise.domain.record import EntryKind
from sharewise.store.base import Head
from sharewise.store.ledger import prepare_entry

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)
MOMENT = dt.datetime(2026, 11, 30, 9, 15, 2, 123456, tzinfo=dt.UTC)


@given(
    kind=st.sampled_from(list(EntryKind)),
    data=st.dictionaries(texts, values, max_size=4),
    personal=st.none() | st.dictionaries(texts, values, max_size=3),
    target=st.none() | texts,
    decision=st.none() | texts,
    seq=st.integers(0, 10**9),
)
def test_the_spliced_body_is_the_reference_encoding(
    kind: EntryKind,
    data: dict[str, Any],
    personal: dict[str, Any] | None,
    target: str | None,
    decision: str | None,
    seq: int,
) -> None:
    head = Head(seq, "ab" * 32)
    entry = prepare_entry(kind, data, personal, target=target, decision=decision).finish(
        head, MOMENT, "01JDXYZ0000000000000000000"
    )
    body = {
        "alg": chain.ALGORITHM,
        "seq": seq + 1,
        "prev_hash": head.hash,
        "id": "01JDXYZ0000000000000000000",
        "kind": kind.value,
        "created": chain.utc_text(MOMENT),
        "target": target,
        "decision": decision,
        "data": data,
        "personal": None,
    }
    if entry.personal is not None:
        assert personal
        assert entry.personal.data == chain.canonical(personal)
        assert entry.personal.salt is not None
        body["personal"] = chain.personal_commitment(entry.personal.salt, entry.personal.data)
    else:
        assert not personal
    assert entry.row.body == chain.canonical(body)
    assert entry.row.hash == chain.entry_hash(entry.row.body)
    assert entry.row.seq == seq + 1
