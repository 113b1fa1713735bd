"""The browser deployment end to end: Chromium -> nginx (docs/deploy.md's configuration) ->
the sign-in stand-in -> `sharewise serve --user-header` -> one `sharewise` per session ->
PostgreSQL, each session acting as the signed-in person's login.

A practitioner of organisation A signs in, walks a decision, files it and finds it in the
register; a practitioner of organisation B signs in and does not. Everything is real but the
identity provider (tests/browser/signin_stub.py stands in for oauth2-proxy and the provider
behind it) and the certificate (self-signed, for this run). Debian's Chromium, nginx and
PostgreSQL are installed by `make test` (scripts/ensure-*); without one, the test skips and
says which.
"""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.proxy import (
    NGINX,
    OPENSSL,
    Nginx,
    documented_nginx,
    free_port,
    make_certificate,
    runnable_config,
    wait_for_port,
)
from tests.browser.signin_stub import Person, SignInStub
from tests.chromium import ARGS, CHROMIUM, needs_chromium

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TREE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"

pytestmark = [
    needs_chromium,
    pytest.mark.skipif(
        not NGINX.exists(),
        reason="no /usr/sbin/nginx (make test installs it: scripts/ensure-nginx)",
    ),
    pytest.mark.skipif(not OPENSSL.exists(), reason="no /usr/bin/openssl for the test certificate"),
]

#: Made-up people, by their sharewise login (what the identity provider gives as the user
#: name). Ann works for council-a, Bo for trust-b; Cy signs in at the proxy but has no login.
ANN = Person("ann_a", "ann.practitioner@council-a.example", "ann-pass")
BO = Person("bo_b", "bo.practitioner@trust-b.example", "bo-pass")
CY = Person("cy_visitor", "cy.visitor@council-a.example", "cy-pass")
#: Di is the partnership's IG lead: reviews (and records) for council-a, reads trust-b.
DI = Person("di_lead", "di.lead@council-a.example", "di-pass")
GATEWAY = "sharewise_gateway"
HEADER = "X-Auth-Request-User"


@dataclass
class Deployment:
    url: str  # what people open: nginx
    stub: SignInStub
    admin_url: str
    gateway_url: str


def _cluster() -> Any:
    from tests.store.pg_harness import Cluster

    return Cluster.start(Path())


def _prepare_database(admin_url: str) -> str:
    """The ledger with two organisations, as docs/deploy.md sets one up (`sharewise db`
    as the owner): Ann a practitioner of council-a, Bo of trust-b, and the gateway `serve`
    connects as, which may act for each. Returns the gateway's connection string."""
    from sharewise.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHAREWISE_DATABASE_URL", admin_url)
        patch.delenv("SHAREWISE_SIGNED_IN_AS", raising=False)
        assert main(["db", "init", "--org", "council-a"]) == 0
        assert main(["db", "org", "add", "trust-b"]) == 0
        for person, org in ((ANN, "council-a"), (BO, "trust-b")):
            argv = ["member", "add", person.user, "--org", org, "--role", "practitioner"]
            assert main(["db", *argv, "--gateway", GATEWAY]) == 0
        argv = ["member", "add", DI.user, "--org", "council-a", "--role", "reviewer"]
        assert main(["db", *argv, "--role", "practitioner", "--gateway", GATEWAY]) == 0
        assert main(["db", "member", "add", DI.user, "--org", "trust-b", "--reads"]) == 0
    return admin_url.replace("user=sw_admin", f"user={GATEWAY}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    cluster = _cluster()
    folder = tmp_path_factory.mktemp("proxy")
    serve_process: subprocess.Popen[bytes] | None = None
    try:
        admin_url = cluster.new_database()
        gateway_url = _prepare_database(admin_url)
        make_certificate(folder)
        port, serve_port = free_port(), free_port()
        public = f"https://127.0.0.1:{port}"
        with SignInStub([ANN, BO, CY, DI]) as stub:
            env = {
                **os.environ,
                "SHAREWISE_DATABASE_URL": gateway_url,
                "SHAREWISE_TREE": str(EXAMPLE_TREE),
            }
            env.pop("SHAREWISE_SIGNED_IN_AS", None)
            log = folder / "serve.log"
            with log.open("wb") as out:
                serve_process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "sharewise",
                        "--data-dir",
                        str(folder / "data"),
                        "serve",
                        "--port",
                        str(serve_port),
                        "--public-url",
                        public,
                        "--user-header",
                        HEADER,
                    ],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            wait_for_port(serve_port, serve_process, "sharewise serve", log)
            config = runnable_config(
                documented_nginx(),
                folder=folder,
                port=port,
                serve_port=serve_port,
                signin_port=stub.port,
            )
            with Nginx(folder, config, port):
                yield Deployment(public, stub, admin_url, gateway_url)
    finally:
        if serve_process is not None:
            serve_process.terminate()
            serve_process.wait(timeout=20)
        cluster.stop()


# -- the proxy decides who is signed in -------------------------------------------------------


def _get(url: str, **headers: str) -> tuple[int, str]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, context=context, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_nobody_reaches_serve_without_signing_in(deployment: Deployment) -> None:
    before = len(deployment.stub.asked)
    # A browser that has not signed in gets the sign-in page, header or not.
    for headers in ({}, {HEADER: ANN.email}):
        status, page = _get(deployment.url + "/", **headers)
        assert status == 200 and "Sign in to sharewise" in page
        assert "textual-terminal" not in page
    # Nor does a session: the WebSocket handshake gets the sign-in page, not a 101.
    status, page = _get(
        deployment.url + "/ws",
        Origin=deployment.url,
        Connection="Upgrade",
        Upgrade="websocket",
        **{"Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
    )
    assert status == 200 and "Sign in to sharewise" in page
    # nginx asked the sign-in service each time, and was told no each time.
    asked = deployment.stub.asked[before:]
    assert len(asked) == 3 and all(status == 401 for _, status in asked)


def test_the_proxy_not_the_browser_names_the_person(deployment: Deployment) -> None:
    """Signed in as Ann, a browser that sends the header itself is still Ann: nginx sets the
    header from the sign-in answer, replacing the browser's. (Were the browser's name used,
    serve would refuse it: there is no such login.)"""
    cookie = deployment.stub.cookie_for(ANN)
    status, page = _get(deployment.url + "/", Cookie=cookie, **{HEADER: "mallory"})
    assert status == 200 and "textual-terminal" in page
    status, page = _get(deployment.url + "/", Cookie=cookie)
    assert status == 200 and "textual-terminal" in page


def test_a_person_without_a_login_is_told_so(deployment: Deployment) -> None:
    status, page = _get(deployment.url + "/", Cookie=deployment.stub.cookie_for(CY))
    assert status == 403
    assert f"you are signed in as '{CY.user}', but there is no such login" in page
    assert "textual-terminal" not in page


def test_the_gateway_acts_only_as_the_logins_granted_to_it(deployment: Deployment) -> None:
    from sharewise.signed_in import login_refusal

    assert login_refusal(deployment.gateway_url, ANN.user) is None
    assert login_refusal(deployment.gateway_url, "nobody") == (
        "there is no such login on the ledger's database"
    )
    # Roles that exist but are not a person's login granted to the gateway: the group of
    # practitioners (which the gateway reaches through Ann's grants) and the administrator.
    for role in ("sharewise_practitioner", "sw_admin"):
        assert login_refusal(deployment.gateway_url, role) == (
            "this server may not act as that login"
        )


def test_taking_access_away_is_refused_at_the_next_page(deployment: Deployment) -> None:
    """`db member remove` takes back the gateway's grant too: the person's next page is
    refused, saying why. A login the gateway may act for but that works for no
    organisation (granted by hand, outside `db member add`) is refused as well."""
    import psycopg

    from sharewise.cli import main
    from sharewise.signed_in import login_refusal

    dee = Person("dee_a", "dee@council-a.example", "dee-pass")
    cookie = deployment.stub.cookie_for(dee)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHAREWISE_DATABASE_URL", deployment.admin_url)
        argv = ["member", "add", dee.user, "--org", "council-a", "--role", "practitioner"]
        assert main(["db", *argv, "--gateway", GATEWAY]) == 0
        assert _get(deployment.url + "/", Cookie=cookie)[0] == 200
        assert main(["db", "member", "remove", dee.user]) == 0
    status, page = _get(deployment.url + "/", Cookie=cookie)
    assert status == 403 and "dee_a', but this server may not act as that login" in page
    with psycopg.connect(deployment.admin_url, autocommit=True) as conn:
        conn.execute("CREATE ROLE eve_a")
        conn.execute(f"GRANT eve_a TO {GATEWAY}")  # type: ignore[arg-type]
    assert login_refusal(deployment.gateway_url, "eve_a") == (
        "that login works for no organisation in the ledger"
    )


# -- the browser ------------------------------------------------------------------------------


def _sign_in(browser: Any, deployment: Deployment, person: Person) -> Any:
    """A fresh browser context (no cookies) signed in as `person` at the proxy."""
    from tests.browser.terminal import CATCH_TERMINAL

    context = browser.new_context(
        ignore_https_errors=True, viewport={"width": 1300, "height": 1500}
    )
    context.add_init_script(CATCH_TERMINAL)
    page = context.new_page()
    page.goto(deployment.url + "/")
    page.get_by_label("Name").fill(person.user)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()
    return page


def _app(page: Any) -> Any:
    from tests.browser.terminal import Terminal

    terminal = Terminal(page)
    terminal.caught()
    terminal.wait_for("[s] Start a decision")
    terminal.focus()
    return terminal


def _walk_and_file(terminal: Any) -> str:
    """Start a decision, answer the example tree's three questions, fill in the record form
    as a person would (without waiting between fields) and save. Returns the
    record's id from the confirmation screen."""
    terminal.wait_for("[s] Start a decision")
    terminal.press("s")
    terminal.wait_for("Is anyone in immediate danger?")
    terminal.press("2")
    terminal.wait_for("Does the information identify a living person?")
    terminal.press("1")
    terminal.wait_for("Who is sharing?")
    terminal.press("1")
    terminal.wait_for("Share under public task", "Record this decision (r)")
    terminal.press("r")
    terminal.wait_for("Record the decision: Share under public task")
    fields = [
        ("Case reference", "CS-2026-00417"),
        ("Your name", "A. Practitioner"),
        ("Your role", "Designated safeguarding lead"),
        ("Your organisation", "Council A"),
        ("Shared with: organisation", "Children's social care"),
        ("Their role", "Duty social worker"),
        ("Their name", ""),
        ("What information", "Disclosure of being hit at home"),
        ("How it was shared", "Secure email"),
        ("Was consent sought?", "n"),
        ("Why consent was", "Seeking consent would put the child at greater risk"),
        ("Was the person told about the sharing?", "n"),
        ("Why they were", "Telling the family could increase the risk"),
        ("Identities protected", ""),
        ("Advice sought", ""),
        ("Your reasons", " a referral is needed today"),
    ]
    for label, value in fields:
        if label.endswith("?"):  # a yes-or-no switch: y or n answers it
            terminal.press(value)
            terminal.wait_for_row(label, ": no" if value == "n" else ": yes")
        elif value:
            # Typed straight after the Enter that moved here, as a fast typist or a burst of
            # keys over the network delivers them: they must land in this field, whole.
            terminal.type(value)
            terminal.wait_for_row(label, value.strip()[:30])
        if label != "Your reasons":
            terminal.press("Enter")
    terminal.press("Control+s")
    terminal.wait_for("Record ID:")
    found = re.search(r"Record ID: (\S+)", terminal.screen())
    assert found is not None
    return found.group(1)


def test_a_practitioner_files_a_decision_and_only_their_organisation_sees_it(
    deployment: Deployment,
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            ann = _app(_sign_in(browser, deployment, ANN))
            ann.wait_for(f"signed in as {ANN.user}")
            record_id = _walk_and_file(ann)
            ann.press("d")
            ann.wait_for("[s] Start a decision")
            ann.press("r")
            ann.wait_for("1 record(s).")
            ann.wait_for_row("CS-2026-00417", "Share")
            ann.press("Enter")
            # The record names the login that appended it beside the name typed.
            ann.wait_for(f"Record {record_id} (entry 1", "Decided by: A. Practitioner")
            ann.wait_for_row("Decided by: A. Practitioner", f"database login {ANN.user})")

            bo = _app(_sign_in(browser, deployment, BO))
            bo.wait_for(f"signed in as {BO.user}")
            bo.press("r")
            bo.wait_for("No records yet.")
            assert "CS-2026-00417" not in bo.screen()
            assert record_id not in bo.screen()
            # Nor does Bo's record form offer Ann's remembered name and organisation.
            bo.press("Escape")
            bo.wait_for("[s] Start a decision")
            bo.press("s")
            bo.wait_for("Is anyone in immediate danger?")
            bo.press("2")
            bo.wait_for("Does the information identify a living person?")
            bo.press("1")
            bo.wait_for("Who is sharing?")
            bo.press("1")
            bo.wait_for("Record this decision (r)")
            bo.press("r")
            bo.wait_for("Record the decision: Share under public task", "Your name")
            assert "A. Practitioner" not in bo.screen() and "Council A" not in bo.screen()
        finally:
            browser.close()
    # What the database holds: one decision, in council-a's chain, appended by Ann's login
    # (the trigger checks it against the connection's own), none in trust-b's.
    import psycopg

    with psycopg.connect(deployment.admin_url) as conn:
        rows = conn.execute("SELECT org, id, kind FROM entries ORDER BY org, seq").fetchall()
        assert rows == [("council-a", record_id, "decision")]
        body = conn.execute("SELECT body FROM entries WHERE id = %s", (record_id,)).fetchone()
    assert body is not None
    chained = json.loads(bytes(body[0]))
    assert (chained["recorded_by"], chained["org"]) == (ANN.user, "council-a")


def test_training_in_a_browser_session_is_the_persons_too(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training attempts, like records, are written acting for the signed-in person: the
    gateway itself may write nothing."""
    import psycopg

    from sharewise.store.training import open_training

    monkeypatch.setenv("SHAREWISE_DATABASE_URL", deployment.gateway_url)
    monkeypatch.setenv("SHAREWISE_SIGNED_IN_AS", ANN.user)
    sessions = open_training(None)
    conn = sessions._connect()  # type: ignore[union-attr]
    try:
        assert conn.execute("SELECT current_user").fetchone() == (ANN.user,)
        conn.execute("SELECT COUNT(*) FROM sharewise_training.attempts")
    finally:
        conn.close()
    with (
        psycopg.connect(deployment.gateway_url) as gateway,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        gateway.execute("SELECT COUNT(*) FROM sharewise_training.attempts")


def test_a_partnership_lead_chooses_the_register_to_read_in_each_browser_session(
    deployment: Deployment,
) -> None:
    """ctrl+o in the browser: the organisations Di's login may read, and no other; the
    header names the one chosen, for that tab only."""
    import psycopg
    from playwright.sync_api import sync_playwright

    with psycopg.connect(deployment.admin_url) as conn:
        found = conn.execute("SELECT COUNT(*) FROM entries WHERE org = 'trust-b'").fetchone()
    assert found is not None and found[0] == 0  # trust-b's register is empty
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            di = _app(_sign_in(browser, deployment, DI))
            di.wait_for(f"signed in as {DI.user} · reading council-a's register")
            di.press("Control+o")
            di.wait_for("Which organisation's register to read?")
            di.wait_for_row("council-a", "your organisation: new records go here")
            assert "trust-b" in di.screen()
            di.press("ArrowDown", "Enter")
            di.wait_for(f"signed in as {DI.user} · reading trust-b's register")
            di.press("r")
            di.wait_for("No records yet.")
            # Another tab of the same person is another session: still council-a's.
            other = _app(_sign_in(browser, deployment, DI))
            other.wait_for(f"signed in as {DI.user} · reading council-a's register")
            # A practitioner of one organisation has no choice to make.
            bo = _app(_sign_in(browser, deployment, BO))
            bo.wait_for(f"signed in as {BO.user}")
            bo.press("Control+o")
            bo.page.wait_for_timeout(1500)  # time for a picker to open, were there one
            bo.wait_for("[s] Start a decision")
            assert "Which organisation" not in bo.screen() and "reading" not in bo.screen()
        finally:
            browser.close()
