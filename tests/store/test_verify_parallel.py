"""verify checks a big SQLite ledger in two halves at once and stitches them at the seam.
The report must be the one a single pass gives, break for break and in the same order,
whatever was done to the ledger: rows changed, deleted or moved, on either side of the
seam or on it. (Forced here at a tiny size with `parallel_from=0`.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_harness import SQLiteHarness, fill

from sharewise.store.verify import verify

N = 12
ENTRY_COLUMNS = ["id", "kind", "created", "decision", "target", "body", "hash"]


def _both(harness: SQLiteHarness) -> tuple[dict[str, Any], dict[str, Any]]:
    with harness.open() as ledger:
        one = verify(ledger.backend, parallel_from=-1).to_json_dict()
        two = verify(ledger.backend, parallel_from=0).to_json_dict()
    return one, two


@pytest.fixture
def ledger_of_n(tmp_path: Path) -> SQLiteHarness:
    harness = SQLiteHarness(tmp_path)
    with harness.open() as ledger:
        fill(ledger, N)
    return harness


def test_an_intact_ledger_reads_the_same(ledger_of_n: SQLiteHarness) -> None:
    one, two = _both(ledger_of_n)
    assert one == two and one["intact"] and one["entries"] == N


@pytest.mark.parametrize(
    "deleted",
    [[6], [7], [5, 6], [6, 7], [1], [N], [1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [3, 9]],
)
def test_deleted_entries_around_the_seam(ledger_of_n: SQLiteHarness, deleted: list[int]) -> None:
    ledger_of_n.drop_guards()
    for seq in deleted:
        ledger_of_n.sql("DELETE FROM personal WHERE seq = ?", (seq,))
        ledger_of_n.sql("DELETE FROM entries WHERE seq = ?", (seq,))
    one, two = _both(ledger_of_n)
    assert not one["intact"]  # the dropped guards, if nothing else
    assert two == one


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    column=st.sampled_from(ENTRY_COLUMNS),
    seq=st.integers(1, N),
    position=st.integers(0, 500),
    delta=st.integers(1, 255),
)
def test_any_change_reads_the_same(
    ledger_of_n: SQLiteHarness, column: str, seq: int, position: int, delta: int
) -> None:
    ledger_of_n.drop_guards()
    ((original,),) = ledger_of_n.sql(f"SELECT {column} FROM entries WHERE seq = ?", (seq,))
    if isinstance(original, bytes):
        raw = bytearray(original)
        raw[position % len(raw)] ^= delta
        changed: Any = bytes(raw)
    else:
        text = str(original)
        i = position % len(text)
        changed = text[:i] + chr(0x41 + delta % 26) + text[i + 1 :]
    ledger_of_n.sql(f"UPDATE entries SET {column} = ? WHERE seq = ?", (changed, seq))
    try:
        one, two = _both(ledger_of_n)
        assert two == one
    finally:
        ledger_of_n.sql(f"UPDATE entries SET {column} = ? WHERE seq = ?", (original, seq))
