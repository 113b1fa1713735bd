"""One register for several organisations, on the real PostgreSQL the suite starts: each
organisation's chain is its own, and what a login may read, append and verify is decided by
the database (row-level security, group roles, the insert triggers), never by the client."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from ledger_harness import fill
from pg_harness import Cluster, PostgresHarness

from sharewise.cli import main
from sharewise.domain.errors import StoreError
from sharewise.domain.record import EntryKind, Verdict
from sharewise.store import open_ledger
from sharewise.store.base import Head
from sharewise.store.ledger import Ledger, build_entry
from sharewise.store.postgres import PostgresBackend
from sharewise.store.verify import verify


@dataclasses.dataclass
class Orgs:
    """A ledger with organisations `a` and `b` and their staff, each login's URL by role."""

    pg: PostgresHarness
    tag: str
    urls: dict[str, str]

    def login(self, who: str) -> str:
        return f"{who}_{self.tag}"

    def open(self, who: str, **options: Any) -> Ledger:
        return Ledger(PostgresBackend(self.urls[who], create=False, **options))

    def raw(self, who: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.urls[who], autocommit=True)


def _db(pg: PostgresHarness, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    return main(["db", *argv])


#: who -> (organisation, roles); `lead` is the partnership's IG lead (a's reviewer, reads b).
STAFF = {
    "a_prac": ("a", ["practitioner"]),
    "a_prac2": ("a", ["practitioner"]),
    "a_lead": ("a", ["reviewer"]),
    "a_audit": ("a", ["auditor"]),
    "a_purge": ("a", ["purger"]),
    "b_prac": ("b", ["practitioner"]),
    "b_lead": ("b", ["reviewer"]),
}


@pytest.fixture()
def orgs(
    pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Orgs]:
    pg = PostgresHarness(pg_cluster)
    tag = uuid.uuid4().hex[:8]
    assert _db(pg, monkeypatch, "init", "--org", "a") == 0
    assert _db(pg, monkeypatch, "org", "add", "b") == 0
    urls = {}
    for who, (org, roles) in STAFF.items():
        argv = ["member", "add", f"{who}_{tag}", "--org", org]
        for role in roles:
            argv += ["--role", role]
        assert _db(pg, monkeypatch, *argv) == 0
        urls[who] = pg.url.replace("user=sw_admin", f"user={who}_{tag}")
    assert _db(pg, monkeypatch, "member", "add", f"a_lead_{tag}", "--org", "b", "--reads") == 0
    monkeypatch.delenv("SHAREWISE_DATABASE_URL")
    capsys.readouterr()
    try:
        yield Orgs(pg, tag, urls)
    finally:
        pg.close()


def _count(conn: psycopg.Connection[Any], sql: str) -> Any:
    found = conn.execute(sql).fetchone()  # type: ignore[call-overload]
    assert found is not None
    return found[0]


def test_each_organisation_reads_and_verifies_its_own_chain_only(orgs: Orgs) -> None:
    with orgs.open("a_prac") as ledger:
        a_ids = fill(ledger, 3)
    with orgs.open("b_prac") as ledger:
        b_ids = fill(ledger, 5)
        assert [e.seq for e in ledger.entries()] == [1, 2, 3, 4, 5]  # b's own numbering
        report = verify(ledger.backend)
        assert report.intact and report.count == 5
    with orgs.open("a_prac") as ledger:
        assert [e.id for e in ledger.entries()] == a_ids
        assert ledger.count() == 3 and ledger.head().seq == 3
        report = verify(ledger.backend)
        assert report.intact and report.count == 3, report.breaks
        for bid in b_ids:
            with pytest.raises(Exception, match="no entry"):
                ledger.get(bid)
    with orgs.raw("a_prac") as conn:
        # Counting, aggregates, the head, the personal details, the tree copies: a only.
        assert _count(conn, "SELECT COUNT(*) FROM entries") == 3
        assert _count(conn, "SELECT MAX(seq) FROM entries") == 3
        assert _count(conn, "SELECT COUNT(DISTINCT org) FROM entries") == 1
        assert _count(conn, "SELECT COUNT(*) FROM personal") == 3
        assert _count(conn, "SELECT string_agg(org || ':' || seq, ',') FROM head") == "a:3"
        assert _count(conn, "SELECT COUNT(*) FROM entries WHERE org = 'b'") == 0
        assert _count(conn, "SELECT COUNT(*) FROM trees WHERE org = 'b'") == 0
        assert _count(conn, "SELECT string_agg(name, ',') FROM orgs") == "a"
        assert _count(conn, "SELECT COUNT(*) FROM staff") == 1  # its own row only
        # The planner's statistics of these tables are hidden too (row-level security).
        orgs.pg.sql("ANALYZE entries")
        assert orgs.pg.sql("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'entries'")[0][0] > 0
        assert _count(conn, "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'entries'") == 0
        # Naming b as the organisation to read shows nothing at all, not an error.
        conn.execute("SET sharewise.org = 'b'")
        assert _count(conn, "SELECT COUNT(*) FROM entries") == 0
        assert _count(conn, "SELECT COUNT(*) FROM head") == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SET ROLE {orgs.login('b_prac')}")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="may not read an organisation called 'b'"):
        orgs.open("a_prac", org="b")


def test_a_practitioner_cannot_append_as_another_organisation_or_login(orgs: Orgs) -> None:
    with orgs.open("a_prac") as ledger:
        fill(ledger, 1)
    with orgs.open("b_prac") as ledger:
        fill(ledger, 2)
    with orgs.raw("a_prac") as conn:
        seq, hashed, now = conn.execute(
            "SELECT seq, hash, now FROM sharewise_lock_head()"
        ).fetchone()  # type: ignore[misc]
        import datetime as dt

        clock = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
        data = {"purge": {"before": "2001-01-01", "count": 0}}
        me = orgs.login("a_prac")
        for org, by, message in (
            ("b", me, "own organisation"),
            ("a", orgs.login("a_prac2"), "names the login"),
            ("a", "sw_admin", "names the login"),
            (None, None, "names the login"),
        ):
            entry = build_entry(Head(seq, hashed, clock, org, by), EntryKind.DECISION, data, None)
            with pytest.raises(psycopg.errors.RaiseException, match=message):
                _insert(conn, entry.row, org="b")
        # The org column is the database's to fill: a client's 'b' is overwritten, and the
        # body must say a.
        entry = build_entry(Head(seq, hashed, clock, "a", me), EntryKind.DECISION, data, None)
        _insert(conn, entry.row, org="b")
        assert _count(conn, "SELECT org FROM entries WHERE seq = 2") == "a"
    with orgs.open("b_prac") as ledger:
        assert ledger.count() == 2 and verify(ledger.backend).intact
    with orgs.open("a_prac") as ledger:
        assert verify(ledger.backend).intact


def _insert(conn: psycopg.Connection[Any], row: Any, *, org: str) -> None:
    conn.execute(
        "INSERT INTO entries (org, seq, id, kind, created, decision, target, body, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (org, row.seq, row.id, row.kind, row.created, row.decision, row.target, row.body,
         row.hash),
    )  # fmt: skip


def test_roles_decide_what_each_login_may_append(orgs: Orgs) -> None:
    with orgs.open("a_prac") as ledger:
        first = fill(ledger, 2)[0]
        with pytest.raises(StoreError, match="only a reviewer"):
            ledger.review(first, Verdict.AGREE, "Pat Practitioner")
        with pytest.raises(StoreError, match="only the purger"):
            ledger.purge(__import__("datetime").date(2001, 1, 1))
    with orgs.open("a_lead") as ledger:  # the IG lead reviews, never decides
        ref = ledger.review(first, Verdict.AGREE, "Ida Lead")
        assert ledger.get(ref.id).recorded_by == orgs.login("a_lead")
        with pytest.raises(StoreError, match="only a practitioner"):
            fill(ledger, 1)
    with orgs.open("a_audit") as ledger:  # the auditor reads and verifies only
        report = verify(ledger.backend)
        assert report.intact and report.count == 3
        with pytest.raises(StoreError, match="not allowed"):
            fill(ledger, 1)
        with pytest.raises(StoreError, match="not allowed"):
            ledger.review(first, Verdict.AGREE, "Aud Itor")
    with orgs.open("a_purge") as ledger:
        _ref, count = ledger.purge(__import__("datetime").date(2001, 1, 1))
        assert count == 0
        with pytest.raises(StoreError, match="only a practitioner"):
            fill(ledger, 1)
    with orgs.open("a_audit") as ledger:
        assert verify(ledger.backend).intact and ledger.count() == 4


def test_a_practitioner_amends_and_completes_only_their_own_records(orgs: Orgs) -> None:
    from ledger_harness import make_details

    with orgs.open("a_prac") as ledger:
        mine = fill(ledger, 1)[0]
    with orgs.open("a_prac2") as ledger:
        with pytest.raises(StoreError, match="only the records their own login made"):
            ledger.amend(mine, make_details())
        theirs = fill(ledger, 1)[0]
        ledger.amend(theirs, make_details())
    with orgs.open("a_prac") as ledger:
        ref = ledger.amend(mine, make_details())
        assert ledger.get(ref.id).recorded_by == orgs.login("a_prac")
        emergency = ledger.record_emergency(make_details()).id
    with (
        orgs.open("a_prac2") as ledger,
        pytest.raises(StoreError, match="only the records their own login made"),
    ):
        ledger.complete(emergency, make_details())
    with orgs.open("a_prac") as ledger:
        ledger.complete(emergency, make_details())
        assert verify(ledger.backend).intact


def test_a_partnership_lead_reads_several_organisations_and_writes_to_none_but_its_own(
    orgs: Orgs,
) -> None:
    with orgs.open("b_prac") as ledger:
        b_first = fill(ledger, 2)[0]
    with orgs.open("a_lead", org="b") as ledger:
        assert ledger.count() == 2
        report = verify(ledger.backend)
        assert report.intact and report.count == 2
        with pytest.raises(StoreError, match="written only in the login's own"):
            ledger.review(b_first, Verdict.AGREE, "Ida Lead")
    with orgs.raw("a_lead") as conn:  # nor by hand
        conn.execute("SET sharewise.org = 'b'")
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT * FROM sharewise_lock_head()")
    with orgs.open("b_prac") as ledger:
        assert ledger.count() == 2


def test_the_record_shows_the_login_beside_the_typed_name(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with orgs.open("a_prac") as ledger:
        fill(ledger, 1)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["a_prac"])
    assert main(["records", "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["recorded_by"] == orgs.login("a_prac") and shown["org"] == "a"
    assert main(["records", "show", "1"]) == 0
    text = capsys.readouterr().out
    assert f"Recorded by login: {orgs.login('a_prac')} (organisation a)" in text
    assert main(["records", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["org"], r["recorded_by"]) for r in listed] == [("a", orgs.login("a_prac"))]
    with orgs.open("a_lead") as ledger:
        review = ledger.review("1", Verdict.AGREE, "Ida Lead").id
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["a_audit"])
    assert main(["records", "show", review]) == 0
    text = capsys.readouterr().out
    assert "Reviewer: Ida Lead" in text and f"Reviewer's login: {orgs.login('a_lead')}" in text
    assert main(["records", "show", "1"]) == 0  # the reviewed record names the login too
    assert f"review: agree (login {orgs.login('a_lead')})" in capsys.readouterr().out


def test_a_gateway_acts_for_a_person_only_by_set_role(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gateway = f"gw_{orgs.tag}"
    alice = orgs.login("a_prac")
    argv = ["member", "add", alice, "--org", "a", "--role", "practitioner", "--gateway", gateway]
    assert _db(orgs.pg, monkeypatch, *argv) == 0
    url = orgs.pg.url.replace("user=sw_admin", f"user={gateway}")
    with psycopg.connect(url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT COUNT(*) FROM entries")  # NOINHERIT: nothing of its own
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SET ROLE {orgs.login('b_prac')}")  # type: ignore[arg-type]
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", url)
    with open_ledger(None, act_as=alice) as ledger:
        ref = fill(ledger, 1)
        assert ledger.get(ref[0]).recorded_by == alice
        assert verify(ledger.backend).intact
    with pytest.raises(StoreError, match="may not act for"):
        open_ledger(None, act_as=orgs.login("b_prac"))
    monkeypatch.delenv("SHAREWISE_DATABASE_URL")
    with pytest.raises(StoreError, match="single-user"):
        open_ledger(str(tmp_path), act_as=alice)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.pg.url)
    assert main(["db", "member", "list"]) == 0
    assert f"{alice}\ta\tpractitioner; acted for by {gateway}\n" in capsys.readouterr().out
    assert main(["db", "member", "remove", alice]) == 0
    assert f"{gateway} may no longer act for {alice}" in capsys.readouterr().out
    with (
        psycopg.connect(url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(f"SET ROLE {alice}")  # type: ignore[arg-type]


def test_a_partnership_lead_verifies_each_organisation_from_the_command_line(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with orgs.open("b_prac") as ledger:
        fill(ledger, 2)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["a_lead"])
    monkeypatch.setenv("SHAREWISE_ORG", "b")
    assert main(["records", "verify"]) == 0
    assert "2 entries, chain intact" in capsys.readouterr().out
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["b_prac"])
    monkeypatch.setenv("SHAREWISE_ORG", "a")  # b's practitioner may not read a
    assert main(["records", "list"]) == 3
    err = capsys.readouterr().err
    assert "may not read an organisation called 'a'" in err and "Traceback" not in err


def test_a_ledger_with_no_organisations_set_up_is_the_owners_single_register(
    pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opened by its owner with nothing configured, a PostgreSQL ledger has one organisation,
    `default`, which the owner acts for; a login that belongs to no organisation sees none
    of it and is told who can add it."""
    pg = PostgresHarness(pg_cluster)
    try:
        with pg.open() as ledger:
            fill(ledger, 2)
            assert ledger.backend.org == "default"  # type: ignore[attr-defined]
            assert ledger.get("1").recorded_by == "sw_admin"
            assert verify(ledger.backend).intact
        assert _db(pg, monkeypatch, "org", "list") == 0
        assert capsys.readouterr().out == "default\t2 entries\n"
        stranger = f"nobody_{uuid.uuid4().hex[:8]}"
        assert _db(pg, monkeypatch, "init") == 0  # the roles, then a login with one, no org
        pg.sql(f"CREATE ROLE {stranger} LOGIN IN ROLE sharewise_practitioner")
        url = pg.url.replace("user=sw_admin", f"user={stranger}")
        with pytest.raises(StoreError, match="belongs to no organisation"):
            PostgresBackend(url, create=False)
        with psycopg.connect(url, autocommit=True) as conn:
            assert _count(conn, "SELECT COUNT(*) FROM entries") == 0
            assert _count(conn, "SELECT COUNT(*) FROM head") == 0
            with pytest.raises(psycopg.errors.RaiseException, match="no organisation"):
                conn.execute("SELECT * FROM sharewise_lock_head()")
    finally:
        pg.close()


def test_a_superuser_is_refused_once_there_are_several_organisations(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A superuser bypasses row-level security: it would read every chain as one."""
    with pytest.raises(StoreError, match="superuser"):
        orgs.pg.open(create=False)
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.pg.url)
    assert main(["records", "list"]) == 3
    assert "superuser" in capsys.readouterr().err
    assert main(["db", "org", "list"]) == 0  # the set-up commands still work
    assert capsys.readouterr().out == "a\t0 entries\nb\t0 entries\n"
    assert main(["db", "member", "list", "--json"]) == 0
    listed = {m["login"]: m for m in json.loads(capsys.readouterr().out)}
    lead = listed[orgs.login("a_lead")]
    assert lead == {
        "login": orgs.login("a_lead"),
        "org": "a",
        "roles": ["reviewer"],
        "reads": ["b"],
        "gateways": [],
    }


def test_the_record_text_names_the_login_beside_the_typed_name() -> None:
    from ledger_harness import make_details

    from sharewise.tui.record_text import record_text

    text = record_text(make_details(), None, None, record_id="r", seq=1, recorded_by="asmith")
    decided = next(line for line in text.splitlines() if line.startswith("Decided by: "))
    assert decided.endswith(" (recorded by database login asmith)")
    plain = record_text(make_details(), None, None, record_id="r", seq=1)  # SQLite
    assert "database login" not in plain


def test_a_chain_relabelled_as_another_organisations_is_found(orgs: Orgs) -> None:
    """Someone who can drop the guards moves b's whole chain into a's rows: the chain still
    links, but each body names b."""
    with orgs.open("b_prac") as ledger:
        fill(ledger, 2)
    pg = orgs.pg
    with orgs.open("a_audit") as ledger:
        assert verify(ledger.backend).intact
    pg.sql("ALTER TABLE entries DISABLE TRIGGER USER")
    pg.sql("ALTER TABLE personal DISABLE TRIGGER USER")
    pg.sql("ALTER TABLE head DISABLE TRIGGER USER")
    pg.sql("ALTER TABLE personal DROP CONSTRAINT personal_seq_fkey")
    pg.sql("UPDATE entries SET org = 'a' WHERE org = 'b'")
    pg.sql("UPDATE personal SET org = 'a' WHERE org = 'b'")
    pg.sql("UPDATE head SET seq = 2, hash = (SELECT hash FROM entries WHERE org = 'a' AND seq = 2)"
           " WHERE org = 'a'")  # fmt: skip
    pg.sql("ALTER TABLE personal ADD CONSTRAINT personal_seq_fkey FOREIGN KEY (org, seq)"
           " REFERENCES entries (org, seq)")  # fmt: skip
    for table in ("entries", "personal", "head"):
        pg.sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    with orgs.open("a_audit") as ledger:
        report = verify(ledger.backend)
    messages = [b.render() for b in report.breaks]
    assert report.count == 2 and len(messages) == 2, messages
    assert all("names another organisation" in m for m in messages)


def test_a_purge_erases_only_its_own_organisations_details(orgs: Orgs) -> None:
    import datetime as dt

    with orgs.open("a_prac") as ledger:
        fill(ledger, 2)
    with orgs.open("b_prac") as ledger:
        fill(ledger, 3)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with orgs.open("a_purge") as ledger:
        _ref, count = ledger.purge(tomorrow)
        assert count == 2
        assert verify(ledger.backend).intact
    with orgs.raw("b_prac") as conn:
        assert _count(conn, "SELECT COUNT(*) FROM personal WHERE data IS NOT NULL") == 3
    with orgs.raw("a_purge") as conn:  # nor by hand: b's rows are not there to update
        moved = conn.execute(
            "UPDATE personal SET salt = NULL, data = NULL, case_ref = NULL, erased_by = 99"
            " WHERE org = 'b'"
        ).rowcount
        assert moved == 0
    with orgs.open("b_lead") as ledger:
        assert verify(ledger.backend).intact


def test_a_member_removed_sees_nothing_and_their_records_still_name_them(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with orgs.open("a_prac") as ledger:
        fill(ledger, 1)
    assert _db(orgs.pg, monkeypatch, "member", "remove", orgs.login("a_prac")) == 0
    assert "no longer works for or reads any organisation" in capsys.readouterr().out
    with pytest.raises(StoreError, match="not allowed to open"):  # no role, no organisation
        orgs.open("a_prac")
    with orgs.raw("a_prac") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT COUNT(*) FROM entries")  # its roles went too
    with orgs.open("a_audit") as ledger:
        assert ledger.get("1").recorded_by == orgs.login("a_prac")
    lead = orgs.login("a_lead")
    assert _db(orgs.pg, monkeypatch, "member", "remove", lead, "--org", "b") == 0
    assert f"{lead} no longer reads b's register" in capsys.readouterr().out
    with pytest.raises(StoreError, match="may not read"):
        orgs.open("a_lead", org="b")
    with orgs.open("a_lead") as ledger:  # still a's reviewer
        assert ledger.count() == 1


def test_leaving_ones_own_organisation_ends_reading_the_others_too(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The partnership lead leaves their job at a: their reading of b's register went with
    it, and being taken on at a again later must not hand b's register back."""
    lead = orgs.login("a_lead")
    with orgs.open("a_lead", org="b") as ledger:  # the partnership lead reads b
        ledger.count()
    assert _db(orgs.pg, monkeypatch, "member", "remove", lead, "--org", "a") == 0
    said = capsys.readouterr().out
    assert (
        f"{lead} no longer works for a" in said and f"{lead} no longer reads b's register" in said
    )
    argv = ["member", "add", lead, "--org", "a", "--role", "reviewer"]
    assert _db(orgs.pg, monkeypatch, *argv) == 0
    with pytest.raises(StoreError, match="may not read"):
        orgs.open("a_lead", org="b")
    with orgs.open("a_lead") as ledger:  # back at a, as a reviewer there only
        ledger.count()


def test_every_table_forces_row_level_security_and_verify_says_when_it_does_not(
    orgs: Orgs,
) -> None:
    tables = orgs.pg.sql(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
    )
    assert [t[0] for t in tables] == [
        "entries", "head", "meta", "orgs", "personal", "staff", "trees",
    ]  # fmt: skip
    assert all(on and forced for _name, on, forced in tables)
    with orgs.open("a_audit") as ledger:
        assert verify(ledger.backend).intact
    orgs.pg.sql("ALTER TABLE personal NO FORCE ROW LEVEL SECURITY")
    orgs.pg.sql("DROP POLICY entries_read ON entries")
    orgs.pg.sql("CREATE POLICY entries_read ON entries FOR SELECT USING (true)")
    with orgs.open("a_audit") as ledger:
        messages = [b.render() for b in verify(ledger.backend).breaks]
    assert any("row-level security on the table personal" in m for m in messages), messages
    assert any("the policy entries_read was changed" in m for m in messages), messages


def test_practitioners_and_reviewers_use_the_training_table_the_auditor_reads_it(
    orgs: Orgs,
) -> None:
    from sharewise.domain.graph import load_tree
    from sharewise.store.training_pg import PostgresSessions
    from tests.unit.test_training_session import SESSION, pilot_attempts

    tried = pilot_attempts(load_tree(Path(__file__).parents[2] / "tests" / "fixtures" /
                                     "trees" / "example.yaml"))  # fmt: skip
    PostgresSessions(orgs.urls["a_prac"]).add(tried[0])
    PostgresSessions(orgs.urls["b_lead"]).add(tried[1])
    # Each organisation reads its own staff's attempts only (names and how they answered).
    seen_a = PostgresSessions(orgs.urls["a_audit"]).read(SESSION).attempts
    seen_b = PostgresSessions(orgs.urls["b_prac"]).read(SESSION).attempts
    assert [a.id for a in seen_a] == [tried[0].id]
    assert [a.id for a in seen_b] == [tried[1].id]
    assert PostgresSessions(orgs.urls["b_prac"]).sessions() == {SESSION: 1}
    with pytest.raises(StoreError, match="could not save"):
        PostgresSessions(orgs.urls["a_audit"]).add(tried[2])
    with orgs.raw("a_prac") as conn:  # nor written as another organisation's
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO sharewise_training.attempts (id, session, at, body, org) "
                "VALUES ('x', 's', now(), '{}', 'b')"
            )
        assert _count(conn, "SELECT COUNT(*) FROM sharewise_training.attempts") == 1
    forced = orgs.pg.sql(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE oid = 'sharewise_training.attempts'::regclass"
    )
    assert forced == [(True, True)]


def test_a_sessions_chosen_scenarios_are_kept_on_the_server_for_its_organisation(
    orgs: Orgs,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The trainer's choice (c on the training screen) is the session's on every machine of
    the organisation, not only the trainer's: kept on the server beside the attempts, read
    by the organisation's own staff only, the newest choice counting, nothing overwritten."""
    import io
    import sys

    from sharewise.store.training_pg import PostgresSessions

    session, first = "Year 7 team", ["court-order-offence-details"]
    bank = sorted(p.stem for p in (Path(__file__).parents[2] / "decision_trees" /
                                   "scenarios").glob("*.yaml"))  # fmt: skip
    second = bank[:2]  # scenario ids are their files' names
    assert PostgresSessions(orgs.urls["a_prac"]).chosen(session) == []
    assert PostgresSessions(orgs.urls["a_lead"]).choose(session, first)
    assert PostgresSessions(orgs.urls["a_prac2"]).chosen(session) == first
    PostgresSessions(orgs.urls["a_prac"]).choose(session, [*second, second[0]])
    assert PostgresSessions(orgs.urls["a_audit"]).chosen(session) == second  # newest, once each
    assert PostgresSessions(orgs.urls["b_prac"]).chosen(session) == []  # another organisation's
    with pytest.raises(StoreError, match="could not keep the session's scenarios"):
        PostgresSessions(orgs.urls["a_audit"]).choose(session, first)
    with orgs.raw("b_prac") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO sharewise_training.scenario_sets (id, session, scenarios, org) "
            "VALUES ('x', 'Year 7 team', '[]', 'a')"
        )
    forced = orgs.pg.sql(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE oid = 'sharewise_training.scenario_sets'::regclass"
    )
    assert forced == [(True, True)]
    # A trainee of `a` on any machine is offered the two, by `train --plain --session`.
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["a_prac2"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("quit\n"))
    capsys.readouterr()
    argv = ["train", "--plain", "--session", session, "--trainee", "Dan Example"]
    assert main(argv) == 1
    listed = [
        line for line in capsys.readouterr().out.splitlines() if line[:4].strip(" .").isdigit()
    ]
    assert len(listed) == 2, listed


def test_a_server_set_up_before_scenario_sets_keeps_training_and_asks_for_db_init(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server set up by an earlier sharewise has no table for chosen scenarios: trainees'
    attempts still save, choosing a session's scenarios says what the owner must run, and
    once `db init` has run again the choice is kept."""
    from sharewise.domain.graph import load_tree
    from sharewise.store.training_pg import PostgresSessions
    from tests.unit.test_training_session import SESSION, pilot_attempts

    orgs.pg.sql("DROP TABLE sharewise_training.scenario_sets")
    tried = pilot_attempts(load_tree(Path(__file__).parents[2] / "tests" / "fixtures" /
                                     "trees" / "example.yaml"))  # fmt: skip
    PostgresSessions(orgs.urls["a_prac"]).add(tried[0])
    with pytest.raises(StoreError, match=r"running `sharewise db init` again"):
        PostgresSessions(orgs.urls["a_lead"]).choose(SESSION, ["x"])
    assert _db(orgs.pg, monkeypatch, "init", "--org", "a") == 0
    PostgresSessions(orgs.urls["a_lead"]).choose(SESSION, ["x"])
    assert PostgresSessions(orgs.urls["a_prac"]).chosen(SESSION) == ["x"]
    assert [a.id for a in PostgresSessions(orgs.urls["a_prac"]).read(SESSION).attempts] == [
        tried[0].id
    ]


def test_a_login_learns_no_other_organisations_name(orgs: Orgs) -> None:
    with orgs.raw("b_prac") as conn:
        assert _count(conn, "SELECT string_agg(name, ',') FROM orgs") == "b"
        assert _count(conn, "SELECT COUNT(*) FROM meta WHERE value = 'a'") == 0
        assert _count(conn, "SELECT COUNT(DISTINCT org) FROM staff") == 1


def test_only_the_owner_sets_up_organisations_and_members(
    orgs: Orgs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", orgs.urls["a_lead"])
    for argv in (
        ["db", "org", "add", "c"],
        ["db", "member", "add", orgs.login("a_prac"), "--org", "a", "--role", "reviewer"],
        ["db", "member", "remove", orgs.login("a_prac")],
    ):
        assert main(argv) == 3
        err = capsys.readouterr().err
        assert "only the ledger's owner may" in err and "Traceback" not in err
    assert orgs.pg.sql("SELECT name FROM orgs ORDER BY 1") == [("a",), ("b",)]


def test_the_csv_export_names_who_recorded_each_entry(orgs: Orgs) -> None:
    """An IG lead sorting a spreadsheet by who recorded must find the login and organisation
    the chain holds, not only the name typed into the record."""
    from sharewise.store.export import CSV_COLUMNS, flatten

    with orgs.open("a_prac") as ledger:
        fill(ledger, 1)
    with orgs.open("a_audit") as ledger:
        row = flatten(ledger.get("1"))
    assert list(CSV_COLUMNS[-2:]) == ["org", "recorded_by"]
    assert (row["org"], row["recorded_by"]) == ("a", orgs.login("a_prac"))
