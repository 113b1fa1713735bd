"""A ledger written by the previous release (schema 3, one chain, no organisations) is
upgraded in place by `sharewise db init`: its chain verified before and after, every entry,
personal detail and tree copy kept byte for byte, its ledger id (which checkpoints name)
kept, its entries becoming the chain of the organisation named at the upgrade."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from ledger_harness import fill, make_details
from pg_harness import Cluster, PostgresHarness
from schema_v3_backend import PostgresBackend as SchemaV3Backend

from sharewise.cli import main
from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree
from sharewise.domain.record import Verdict
from sharewise.store.ledger import Ledger
from sharewise.store.verify import verify

EXAMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "trees" / "example.yaml"
FACTS = {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}


@pytest.fixture()
def pg(pg_cluster: Cluster) -> Any:
    harness = PostgresHarness(pg_cluster)
    yield harness
    harness.close()


def _old_ledger(pg: PostgresHarness) -> str:
    """A schema 3 ledger as the previous release wrote it: decisions, a review, an
    amendment and a purge. Returns its ledger id."""
    with Ledger(SchemaV3Backend(pg.url)) as ledger:
        ids = fill(ledger, 5)
        ledger.record_decision(decide(load_tree(EXAMPLE), FACTS), make_details())  # a tree
        ledger.review(ids[0], Verdict.AGREE, "Ida Lead")
        ledger.amend(ids[1], make_details("CS-1"))
        ledger.purge(dt.date(2001, 1, 1))
        assert verify(ledger.backend).intact
        return ledger.backend.ledger_id


_ROWS = {
    "entries": "SELECT seq, id, kind, created, decision, target, body, hash FROM entries",
    "personal": "SELECT seq, salt, data, case_ref, erased_by FROM personal",
    "trees": "SELECT sha256, seq, body FROM trees",
}


def _snapshot(pg: PostgresHarness) -> dict[str, list[Any]]:
    return {table: pg.sql(f"{sql} ORDER BY 1") for table, sql in _ROWS.items()}


def test_db_init_upgrades_a_schema_3_ledger_keeping_every_record_and_its_chain(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger_id = _old_ledger(pg)
    before = _snapshot(pg)
    assert len(before["entries"]) == 9 and before["trees"]
    # Training attempts kept on the server before their table was held per organisation.
    from sharewise.store.training_pg import CREATE

    pg.sql(CREATE)
    pg.sql(
        "INSERT INTO sharewise_training.attempts (id, session, at, body) "
        "VALUES ('t1', 'Year 7 team', now(), '{}')"
    )
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init", "--org", "council"]) == 0
    out = capsys.readouterr().out
    assert "upgraded the ledger" in out and "from schema 3 to 4" in out
    assert "its 9 entries are organisation council's chain, verified intact before and after" in (
        out
    )
    assert _snapshot(pg) == before  # every byte of every record kept
    assert pg.sql("SELECT DISTINCT org FROM entries") == [("council",)]
    assert pg.sql("SELECT org, seq, hash FROM head") == [("council", 9, before["entries"][-1][-1])]
    with pg.open(create=False) as ledger:
        backend: Any = ledger.backend
        assert backend.org == "council" and backend.ledger_id == ledger_id
        report = verify(backend)
        assert report.intact and report.count == 9, report.breaks
        # The chain goes on from where it was, now naming the organisation and the login.
        new = fill(ledger, 1)[0]
        entry = ledger.get(new)
        assert entry.seq == 10 and entry.org == "council" and entry.recorded_by == "sw_admin"
        assert ledger.get("1").recorded_by is None  # an old record names no login
        assert verify(backend).intact
    assert main(["db", "init", "--json"]) == 0  # run again: nothing more to do
    report = json.loads(capsys.readouterr().out)
    assert report["upgraded_from"] is None and report["organisations"] == {"council": 10}
    assert ("schema_version_4",) in pg.sql("SELECT key FROM meta WHERE key LIKE 'schema_%'")
    assert pg.sql("SELECT id, org FROM sharewise_training.attempts") == [("t1", "council")]
    assert pg.sql(
        "SELECT relforcerowsecurity FROM pg_class "
        "WHERE oid = 'sharewise_training.attempts'::regclass"
    ) == [(True,)]


def test_a_damaged_ledger_is_not_upgraded(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _old_ledger(pg)
    pg.sql("ALTER TABLE entries DISABLE TRIGGER entries_append_only")
    pg.sql("UPDATE entries SET body = body || '\\x20'::bytea WHERE seq = 3")
    pg.sql("ALTER TABLE entries ENABLE TRIGGER entries_append_only")
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init", "--org", "council"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("entry 3 ")
    assert "has problems, so it was not upgraded" in captured.err
    assert pg.sql("SELECT to_regclass('orgs')") == [(None,)]  # still schema 3, untouched


def test_without_an_organisation_named_the_entries_become_the_default_ones(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _old_ledger(pg)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init"]) == 0
    assert "organisations: default (9 entries)" in capsys.readouterr().out
    assert main(["records", "verify"]) == 0
    assert "9 entries, chain intact" in capsys.readouterr().out


def test_the_owners_first_opening_upgrades_only_a_ledger_that_verifies(
    pg: PostgresHarness,
) -> None:
    """Any upgrade, not only `db init`'s, verifies before and after (or does nothing)."""
    from sharewise.store.postgres import UpgradeRefused

    _old_ledger(pg)
    pg.sql("ALTER TABLE personal DISABLE TRIGGER personal_erase_only")
    pg.sql("UPDATE personal SET data = data || '\\x20'::bytea WHERE seq = 2")
    pg.sql("ALTER TABLE personal ENABLE TRIGGER personal_erase_only")
    with pytest.raises(UpgradeRefused) as refused:
        pg.open(create=False)
    assert [b.seq for b in refused.value.report.breaks] == [2]
    assert pg.sql("SELECT to_regclass('orgs')") == [(None,)]
    pg.sql("ALTER TABLE personal DISABLE TRIGGER personal_erase_only")
    pg.sql("UPDATE personal SET data = substring(data FROM 1 FOR length(data) - 1) WHERE seq = 2")
    pg.sql("ALTER TABLE personal ENABLE TRIGGER personal_erase_only")
    with pg.open(create=False) as ledger:
        assert ledger.backend.upgraded == (3, 9)  # type: ignore[attr-defined]
        assert verify(ledger.backend).intact


def test_an_old_ledger_can_be_verified_as_it_is_before_anyone_upgrades_it(
    pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sharewise.store.postgres import PostgresBackend

    _old_ledger(pg)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["records", "verify"]) == 0  # read-only: nothing upgraded
    assert "9 entries, chain intact" in capsys.readouterr().out
    with PostgresBackend(pg.url, upgrade=False) as backend:
        assert backend.version == 3 and backend.org is None
        assert verify(backend).intact
    assert pg.sql("SELECT to_regclass('orgs')") == [(None,)]
