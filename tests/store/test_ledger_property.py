"""Property: any single random change to any stored value of any entry is detected."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_harness import Harness, fill

from sharewise.store.verify import verify

N = 5
ENTRY_COLUMNS = ["seq", "id", "kind", "created", "decision", "target", "body", "hash"]
PERSONAL_COLUMNS = ["seq", "salt", "data", "case_ref"]
TARGETS = [("entries", c) for c in ENTRY_COLUMNS] + [("personal", c) for c in PERSONAL_COLUMNS]


def _mutate(value: Any, position: int, delta: int) -> Any:
    """A different value of the same kind."""
    if value is None:
        return "share"
    if isinstance(value, int):
        return value + N + 10
    if isinstance(value, bytes | memoryview):
        raw = bytearray(bytes(value))
        raw[position % len(raw)] ^= delta
        return bytes(raw)
    text = str(value)
    i = position % len(text)
    replacement = chr((ord(text[i]) + delta) % 0x7E or 0x41)
    if replacement == text[i]:
        replacement = "#" if text[i] != "#" else "%"
    return text[:i] + replacement + text[i + 1 :]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    target=st.sampled_from(TARGETS),
    seq=st.integers(1, N),
    position=st.integers(0, 10_000),
    delta=st.integers(1, 255),
)
def test_any_single_mutation_is_detected(
    harness: Harness, target: tuple[str, str], seq: int, position: int, delta: int
) -> None:
    with harness.open() as ledger:  # the ledger is built once, then reused by each example
        fresh = ledger.count() == 0
        if fresh:
            fill(ledger, N)
    table, column = target
    (original,) = harness.sql(f"SELECT {column} FROM {table} WHERE seq = ?", (seq,))[0]
    changed = _mutate(original, position, delta)
    assert changed != original
    key = changed if column == "seq" else seq
    # A careful attacker: guards dropped for the change and put back after it (verify
    # reports dropped guards on their own; here only the chain may give the change away).
    harness.drop_guards()
    harness.sql(f"UPDATE {table} SET {column} = ? WHERE seq = ?", (changed, seq))
    harness.cover_tracks()
    try:
        with harness.open() as ledger:
            report = verify(ledger.backend)
        assert not report.intact, (table, column, seq)
        named = {b.seq for b in report.breaks}
        assert named & {seq, key}, report.breaks
    finally:
        harness.drop_guards()
        harness.sql(f"UPDATE {table} SET {column} = ? WHERE seq = ?", (original, key))
        harness.cover_tracks()
    with harness.open() as ledger:
        assert verify(ledger.backend).intact
