"""The organisation picker (ctrl+o), on the real PostgreSQL server the suite starts: a
partnership IG lead chooses, for this session, which organisation's register to read, among
those the database lets their login read (and no other); the header names it; new records
still go to the lead's own organisation.

The session is set up as `sharewise serve --user-header` sets up a browser's: the gateway's
connection, acting for the signed-in login (SHAREWISE_SIGNED_IN_AS).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from sharewise.cli import main
from sharewise.domain.errors import StoreError
from sharewise.store.ledger import Ledger
from sharewise.store.postgres import PostgresBackend
from sharewise.tui.app import SharewiseApp, create_app
from sharewise.tui.ledger import LedgerStore
from sharewise.tui.screens.organisation import OrganisationScreen
from sharewise.tui.screens.records import RecordsScreen
from tests.store.ledger_harness import fill
from tests.tui.conftest import DETAILS, EXAMPLE_TREE, ready
from tests.tui.conftest import fill as fill_form

GATEWAY = "sw_gateway"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from tests.store.pg_harness import Cluster

    started = Cluster.start(Path())
    try:
        yield started
    finally:
        started.stop()


@dataclass
class Partnership:
    """Organisations a, b and c; `lead` reviews and records for a, and may read b (not
    c)."""

    owner: str
    tag: str

    def login(self, who: str) -> str:
        return f"{who}_{self.tag}"

    def url(self, who: str) -> str:
        return self.owner.replace("user=sw_admin", f"user={self.login(who)}")

    @property
    def gateway(self) -> str:
        return self.owner.replace("user=sw_admin", f"user={GATEWAY}_{self.tag}")

    def count(self, org: str) -> int:
        """Entries in `org`'s chain, as its practitioner's login reads them."""
        with Ledger(PostgresBackend(self.url(f"{org}_prac"), create=False)) as ledger:
            return ledger.count()


@pytest.fixture()
def partnership(cluster: Any, monkeypatch: pytest.MonkeyPatch) -> Partnership:
    owner = cluster.new_database()
    tag = uuid.uuid4().hex[:8]
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", owner)
    monkeypatch.delenv("SHAREWISE_SIGNED_IN_AS", raising=False)
    monkeypatch.delenv("SHAREWISE_ORG", raising=False)
    assert main(["db", "init", "--org", "a"]) == 0
    for org in ("b", "c"):
        assert main(["db", "org", "add", org]) == 0
    gateway = f"{GATEWAY}_{tag}"
    members = [
        ("a_prac", "a", "practitioner"),
        ("b_prac", "b", "practitioner"),
        ("c_prac", "c", "practitioner"),
        ("lead", "a", "reviewer,practitioner"),
    ]
    for who, org, roles in members:
        argv = ["member", "add", f"{who}_{tag}", "--org", org]
        for role in roles.split(","):
            argv += ["--role", role]
        assert main(["db", *argv, "--gateway", gateway]) == 0
    assert main(["db", "member", "add", f"lead_{tag}", "--org", "b", "--reads"]) == 0
    found = Partnership(owner, tag)
    for org, n in (("a", 2), ("b", 3), ("c", 1)):
        with Ledger(PostgresBackend(found.url(f"{org}_prac"))) as ledger:
            fill(ledger, n)
    return found


def session(p: Partnership, who: str, monkeypatch: pytest.MonkeyPatch, data: Path) -> SharewiseApp:
    """A browser session's app: the gateway's connection, acting for `who`."""
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", p.gateway)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", p.login(who))
    return create_app(data, EXAMPLE_TREE)


async def settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, SharewiseApp)
    for _ in range(100):
        await ready(pilot)
        if app.organisations:
            return
        await pilot.pause(0.05)


async def records_shown(pilot: Pilot[Any]) -> int:
    from sharewise.tui.widgets.plain_table import PlainTable

    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RecordsScreen)
    return screen.query_one("#records-table", PlainTable).row_count


async def test_a_partnership_lead_chooses_among_the_registers_their_login_may_read(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    p = partnership
    app = session(p, "lead", monkeypatch, tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        # The database's answer: a (its own) and b (read only); never c, nor c's name.
        assert app.organisations == ["a", "b"]
        assert app.reading_org == "a" and app.home_org == "a"
        assert app.sub_title == f"signed in as {p.login('lead')} · reading a's register"
        await pilot.press("r")
        assert await records_shown(pilot) == 2
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, OrganisationScreen)
        options = picker.query_one("#org-list", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == [
            "a  (your organisation: new records go here)  · reading now",
            "b",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordsScreen)
        assert await records_shown(pilot) == 3  # b's register
        assert app.sub_title.endswith("· reading b's register")
        # Everything read now is b's: one of its records opens.
        await pilot.press("enter")
        await ready(pilot)
        text = str(app.screen.query_one("#record-view-text").render())  # type: ignore[attr-defined]
        assert f"recorded by database login {p.login('b_prac')}" in text, text


async def test_new_records_go_to_the_leads_own_organisation_while_reading_another(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    p = partnership
    app = session(p, "lead", monkeypatch, tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+o", "down", "enter")
        await pilot.pause()
        assert app.reading_org == "b"
        await pilot.press("e")  # danger now: a new record
        await pilot.pause()
        await fill_form(pilot, {k: DETAILS[k] for k in list(DETAILS)[:4]})
        await pilot.press("ctrl+s")
        await ready(pilot)
    assert (p.count("a"), p.count("b"), p.count("c")) == (3, 3, 1)


def test_the_database_refuses_a_register_the_login_may_not_read(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The list is the database's, and so is the refusal: choosing c by any other way is
    refused by the row policies, not by the picker."""
    p = partnership
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", p.gateway)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", p.login("lead"))
    store = LedgerStore(tmp_path / "data")
    assert store.organisations() == (["a", "b"], "a", "a")
    store.org = "c"
    with pytest.raises(StoreError, match="may not read an organisation called 'c'"):
        store.get("anything")


async def test_a_login_of_one_organisation_has_no_picker(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    p = partnership
    app = session(p, "a_prac", monkeypatch, tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(40):
            await ready(pilot)
            if app.workers and not any(w.is_running for w in app.workers):
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.organisations == ["a"]
        assert app.sub_title == f"signed in as {p.login('a_prac')}"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, OrganisationScreen)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Organisation" not in commands


def test_a_register_read_but_not_ones_own_is_not_written_to(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Reviewing a record of b's register while reading it is refused, in words for the
    screen (the database would refuse it too, naming SHAREWISE_ORG)."""
    from sharewise.domain.record import Verdict

    p = partnership
    with Ledger(PostgresBackend(p.url("b_prac"), create=False)) as ledger:
        b_entry = next(iter(ledger.entries())).id
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", p.gateway)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", p.login("lead"))
    store = LedgerStore(tmp_path / "data")
    store.organisations()
    store.org = "b"
    assert store.get(b_entry).id == b_entry  # read: yes
    with pytest.raises(StoreError, match="in b's register, which you may read but not write"):
        store.review(b_entry, Verdict.AGREE, "I. G. Lead", None)
    assert p.count("b") == 3 and p.count("a") == 2


async def test_the_dashboard_counts_the_register_chosen(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from textual.widgets import Static

    from sharewise.tui.screens.dashboard import DashboardScreen

    p = partnership
    app = session(p, "lead", monkeypatch, tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await pilot.press("d")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)

        def status() -> str:
            return str(screen.query_one("#dashboard-status", Static).render())

        for _ in range(100):
            if "record(s)" in status():
                break
            await pilot.pause(0.05)
        assert status().startswith("2 record(s)"), status()  # a's
        await pilot.press("ctrl+o", "down", "enter")
        for _ in range(100):
            await ready(pilot)
            if status().startswith("3 record(s)"):
                break
            await pilot.pause(0.05)
        assert status().startswith("3 record(s)"), status()  # b's, read again at once
