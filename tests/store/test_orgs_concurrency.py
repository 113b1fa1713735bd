"""Eight writers across three organisations at once: each organisation's chain stays whole
(every append in, numbered without a gap, linked, verified), and no entry lands in another
organisation's chain. Each writer has its own connection, as each workstation would."""

from __future__ import annotations

import threading
import uuid

import pytest
from ledger_harness import fill
from pg_harness import Cluster, PostgresHarness

from sharewise.cli import main
from sharewise.store.ledger import Ledger
from sharewise.store.postgres import PostgresBackend
from sharewise.store.verify import verify

#: organisation -> its writers (8 in all)
WRITERS = {"council": 3, "school": 3, "trust": 2}
EACH = 12


def test_eight_writers_across_three_organisations_keep_every_chain_intact(
    pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pg = PostgresHarness(pg_cluster)
    tag = uuid.uuid4().hex[:8]
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", pg.url)
    assert main(["db", "init", "--org", "council"]) == 0
    logins: dict[str, list[str]] = {}
    for org, n in WRITERS.items():
        if org != "council":
            assert main(["db", "org", "add", org]) == 0
        logins[org] = [f"w{i}_{org}_{tag}" for i in range(n)]
        for login in logins[org]:
            assert main(["db", "member", "add", login, "--org", org, "--role", "practitioner"]) == 0
    capsys.readouterr()

    def url(login: str) -> str:
        return pg.url.replace("user=sw_admin", f"user={login}")

    barrier = threading.Barrier(sum(WRITERS.values()))
    written: dict[str, list[str]] = {}
    failures: list[BaseException] = []

    def write(login: str) -> None:
        try:
            with Ledger(PostgresBackend(url(login), create=False, lock_timeout=60)) as ledger:
                barrier.wait()
                written[login] = fill(ledger, EACH)
        except BaseException as exc:  # reported below, with the writer's login
            failures.append(exc)
            barrier.abort()

    threads = [
        threading.Thread(target=write, args=(login,))
        for group in logins.values()
        for login in group
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    for org, group in logins.items():
        with Ledger(PostgresBackend(url(group[0]), create=False)) as ledger:
            report = verify(ledger.backend)
            assert report.intact, report.breaks
            assert report.count == len(group) * EACH
            entries = list(ledger.entries())
            assert [e.seq for e in entries] == list(range(1, len(group) * EACH + 1))
            assert {e.org for e in entries} == {org}
            assert {e.id for e in entries} == {i for login in group for i in written[login]}
            # Each writer's entries name that writer, in the order it wrote them.
            for login in group:
                mine = [e.id for e in entries if e.recorded_by == login]
                assert mine == written[login]
    pg.close()
