"""The dashboard's figures cache (`figures_cache`) counts exactly what `figures.Held` counts,
for any scope, after any entries appended since it was last brought up to date, and is
rebuilt whenever it is not a copy of this very ledger (another ledger, a damaged file, an
older format). Held reads the ledger itself; the cache is only ever a faster copy of it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from bank_ledger import TEAMS, TODAY, details_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_harness import make_details, make_result

from sharewise.domain.record import Verdict
from sharewise.reports import figures as F
from sharewise.reports.figures_cache import FILE_NAME, Distrusted, cached, confirm, distrust
from sharewise.store import open_ledger
from sharewise.store.ledger import Ledger


@pytest.fixture(scope="module")
def bank(bank_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared bank, copied: these tests write the cache beside its ledger."""
    folder = tmp_path_factory.mktemp("bank") / "data"
    shutil.copytree(bank_dir, folder)
    return folder


def same(ledger: Ledger, scope: F.Scope) -> F.Figures:
    """The cache's figures, checked against Held's for the scope and for every figure's
    records behind it."""
    backend = ledger.backend
    held = F.Held(backend, TODAY)
    cache = cached(backend, Path(backend.location).parent, today=TODAY)  # type: ignore[attr-defined]
    want, got = held.figures(scope), cache.figures(scope)
    assert got.to_json_dict() == want.to_json_dict()
    assert got.counts == want.counts
    for key in want.counts:
        assert cache.behind(scope, key) == held.behind(scope, key), key
    return got


DAYS = st.sampled_from(
    [None, dt.date(2026, 7, 1), dt.date(2026, 7, 20), dt.date(2026, 8, 15), dt.date(2026, 9, 30)]
)
DECISIONS = [None, "share", "seek_advice", "do_not_share", "share_urgently", "none"]


def _scope(a: dt.date | None, b: dt.date | None, **kw: object) -> F.Scope:
    if a and b:
        a, b = min(a, b), max(a, b)
    return F.Scope(date_from=a, date_to=b, **kw)  # type: ignore[arg-type]


SCOPES = st.builds(
    _scope,
    DAYS,
    DAYS,
    team=st.sampled_from([None, *TEAMS, "  city HOSPITAL   trust ", "Nobody"]),
    decision=st.sampled_from(DECISIONS),
    emergency=st.sampled_from([None, True, False]),
    reviewed=st.sampled_from([None, True, False]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scope=SCOPES)
def test_any_scope_counts_as_held_does(bank: Path, scope: F.Scope) -> None:
    with open_ledger(bank, create=False) as ledger:
        same(ledger, scope)


def test_entries_after_the_cache_are_added_and_credited(bank: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    with open_ledger(data, create=False) as ledger:
        before = same(ledger, F.Scope())  # the cache, as at the bank
        records = [e.id for e in ledger.entries() if e.kind.value == "decision"][:6]
        waiting = F.Held(ledger.backend, TODAY).figures(F.Scope()).awaiting
        assert waiting  # the bank leaves emergency records to complete
        # Later entries about records the cache already holds, and new records.
        ledger.review(records[4], Verdict.DISAGREE, "Robin Reviewer", "On second thoughts.")
        ledger.review(records[0], Verdict.AGREE, "Robin Reviewer", "Changed my mind.")
        ledger.amend(
            records[5], details_for(99, sought=False, review_by=TODAY - dt.timedelta(days=1))
        )
        for eid in waiting:  # with the decision reached since, where it had none
            entry = ledger.get(eid)
            result = None if entry.result is not None else make_result()
            case = entry.details.case_ref if entry.details else "CS-E-9"
            ledger.complete(eid, make_details(case), result)
        new = ledger.record_decision(make_result(), make_details("CS-NEW-1"))
        ledger.amend(new.id, details_for(7, sought=False, review_by=None))
        after = same(ledger, F.Scope())
        assert after.total == before.total + 1
        for scope in (F.Scope(reviewed=True), F.Scope(team=TEAMS[1]), F.Scope(emergency=True)):
            same(ledger, scope)


def test_another_ledger_in_its_place_rebuilds_the_cache(bank: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    with open_ledger(data, create=False) as ledger:
        assert same(ledger, F.Scope()).total > 5
    other = tmp_path / "other"
    with open_ledger(other) as ledger:
        ledger.record_decision(make_result(), make_details("CS-OTHER"))
    cache = data / "ledger" / FILE_NAME
    kept = cache.read_bytes()
    shutil.rmtree(data / "ledger")
    shutil.copytree(other / "ledger", data / "ledger")
    (data / "ledger" / FILE_NAME).write_bytes(kept)  # the first ledger's cache left behind
    with open_ledger(data, create=False) as ledger:
        assert same(ledger, F.Scope()).total == 1


@pytest.mark.parametrize(
    "damage", [b"", b"not a database" * 500, b"SQLite format 3\x00" + b"\xff" * 5000]
)
def test_a_damaged_cache_is_rebuilt(bank: Path, tmp_path: Path, damage: bytes) -> None:
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    (data / "ledger" / FILE_NAME).write_bytes(damage)
    with open_ledger(data, create=False) as ledger:
        assert same(ledger, F.Scope()).total > 5


@pytest.mark.parametrize("older", ["format", "state"])
def test_an_older_format_or_an_earlier_starting_point_is_rebuilt(
    bank: Path, tmp_path: Path, older: str
) -> None:
    """A file another version wrote (its user_version) is made again, whatever it holds;
    one that would read entries it already holds again is rebuilt rather than counting
    them twice."""
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    with open_ledger(data, create=False) as ledger:
        total = same(ledger, F.Scope()).total
    conn = sqlite3.connect(data / "ledger" / FILE_NAME)
    with conn:
        if older == "format":
            conn.execute("PRAGMA user_version = 1")
            conn.execute("DELETE FROM rec WHERE seq % 2 = 0")
        else:
            conn.execute("DELETE FROM state")  # as if nothing had been read yet
    conn.close()
    with open_ledger(data, create=False) as ledger:
        assert same(ledger, F.Scope()).total == total


def test_the_cache_is_private_and_names_nobody(bank: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    with open_ledger(data, create=False) as ledger:
        same(ledger, F.Scope())
    path = data / "ledger" / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_bytes()
    for personal in (b"Alex Example", b"CS-2026-", b"Robin Reviewer", b"Sam"):
        assert personal not in text


def test_the_cache_is_trusted_only_as_far_as_a_chain_check_vouched_for_it(
    bank: Path, tmp_path: Path
) -> None:
    """The cache checks only the last entry it read: what it read is `proven` once a chain
    check that ended after the reading vouched for it (`confirm`). Entries read in a session
    whose check never ended leave it unproven (the dashboard then reads it again); a broken
    chain leaves only a mark (`distrust`), from which nothing is counted or kept."""
    data = tmp_path / "data"
    shutil.copytree(bank, data)
    folder = data / "ledger"
    path = folder / FILE_NAME
    path.unlink(missing_ok=True)  # another test's, never vouched for
    with open_ledger(data, create=False) as ledger:
        backend = ledger.backend
        first = cached(backend, folder, today=TODAY)
        assert first.proven and first.seq == backend.head().seq  # all read just now
        total = first.figures(F.Scope()).total
        assert not cached(backend, folder, today=TODAY).proven  # and never vouched for
        confirm(folder, first.seq)
        assert cached(backend, folder, today=TODAY).proven
        ledger.record_decision(make_result(), make_details("CS-NEW-2"))
        grown = cached(backend, folder, today=TODAY)
        assert grown.proven and grown.seq == first.seq + 1  # what it held was vouched for
        again = cached(backend, folder, today=TODAY)
        assert not again.proven and again.seq == grown.seq  # the new entry was not
        confirm(folder, first.seq)  # a check of an older reading vouches for nothing newer
        assert not cached(backend, folder, today=TODAY).proven
        confirm(folder, again.seq)
        assert cached(backend, folder, today=TODAY).proven

        distrust(folder)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        for _ in range(2):
            with pytest.raises(Distrusted):
                cached(backend, folder, today=TODAY)
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT count(*) FROM rec").fetchone() == (0,)
        conn.close()
        confirm(folder, -1)  # the chain found intact again: the mark is removed
        assert not path.exists()
        rebuilt = cached(backend, folder, today=TODAY)
        assert rebuilt.proven and rebuilt.figures(F.Scope()).total == total + 1
