"""`sharewise serve`: loopback by default, a loud warning otherwise, one command per session,
sessions only for the page served from here (a real WebSocket client), everything local."""

from __future__ import annotations

import asyncio
import re
import shlex
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from sharewise.browser import BrowserServer
from sharewise.cli import build_parser
from sharewise.cli.serve_cmd import command_for, warning


def test_serve_listens_on_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000


def test_serve_warns_there_is_no_login() -> None:
    assert "no login" in warning("127.0.0.1")
    assert "reverse proxy" not in warning("127.0.0.1")
    assert "listening on 0.0.0.0" in warning("0.0.0.0") and "reverse proxy" in warning("0.0.0.0")


def test_each_session_runs_this_python_on_the_same_data_folder() -> None:
    argv = shlex.split(command_for("/tmp/my data"))
    assert argv[0] == sys.executable
    assert argv[-2:] == ["--data-dir", "/tmp/my data"]


# -- the browser route: a real server on a free loopback port, a real WebSocket client --------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: A session command that starts and ends at once: the handshake is what is tested.
QUICK = shlex.join([sys.executable, "-c", "pass"])


async def _running(server: BrowserServer) -> AsyncIterator[str]:
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", server.port).start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await runner.cleanup()


@pytest.fixture()
async def loopback() -> AsyncIterator[str]:
    port = _free_port()
    server = BrowserServer(QUICK, host="127.0.0.1", port=port, public_url=None, title="sharewise")
    async for url in _running(server):
        yield url


async def _handshake(url: str, origin: str | None, **headers: str) -> int:
    """The status the server answers a WebSocket opened from `origin` with (101: a session)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(f"{url}/ws", origin=origin, headers=headers) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def test_a_page_on_another_site_cannot_open_a_session(loopback: str) -> None:
    port = loopback.rsplit(":", 1)[1]
    for stranger in (
        "https://evil.example",
        "null",  # a sandboxed frame or a file:// page
        f"http://127.0.0.1.evil.example:{port}",
        f"http://127.0.0.1:{int(port) + 1}",  # another program on this computer
        "http://localhost",
    ):
        assert await _handshake(loopback, stranger) == 403, stranger
    assert await _handshake(loopback, None) == 403  # browsers always send one


async def test_the_served_page_opens_a_session(loopback: str) -> None:
    port = loopback.rsplit(":", 1)[1]
    for name in ("127.0.0.1", "localhost", "[::1]"):
        assert await _handshake(loopback, f"http://{name}:{port}") == 101, name


async def test_a_session_started_from_the_page_shows_the_app_and_a_stranger_sees_nothing(
    tmp_path: Path,
) -> None:
    """With the real sharewise command: the page's own origin gets the screen; another
    site's page is refused before any process starts."""
    port = _free_port()
    server = BrowserServer(
        command_for(str(tmp_path)), host="127.0.0.1", port=port, public_url=None, title="sw"
    )
    async for url in _running(server):
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(f"{url}/ws", origin="https://evil.example")
            async with session.ws_connect(f"{url}/ws?width=100&height=30", origin=url) as ws:
                seen = b""
                async with asyncio.timeout(60):
                    while b"sharewise" not in seen.lower():
                        message = await ws.receive()
                        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                        data = message.data
                        seen += data if isinstance(data, bytes) else data.encode()
                await ws.close()


def _links(page: str) -> list[str]:
    """Every address the page loads: src and href attributes, and CSS url(...)."""
    return re.findall(r'(?:src|href)="([^"]*)"', page) + re.findall(r'url\("([^"]*)"\)', page)


async def test_every_asset_is_served_from_here(loopback: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(loopback + "/") as response:
            page = await response.text()
            csp = response.headers["Content-Security-Policy"]
            assert response.headers["X-Frame-Options"] == "DENY"
        links = _links(page)
        assert any("fonts/RobotoMono" in link for link in links)
        for link in links:
            assert link.startswith(loopback + "/static/"), link
            async with session.get(link) as asset:
                assert asset.status == 200, link
        async with session.get(loopback + "/static/") as listing:
            assert listing.status in (403, 404)
    assert "googleapis" not in page and "gstatic" not in page
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert f'data-session-websocket-url="ws://127.0.0.1:{loopback.rsplit(":", 1)[1]}/ws"' in page


async def test_opened_as_localhost_the_page_talks_to_localhost(loopback: str) -> None:
    port = loopback.rsplit(":", 1)[1]
    async with aiohttp.ClientSession() as session:
        async with session.get(loopback + "/", headers={"Host": f"localhost:{port}"}) as response:
            page = await response.text()
        async with session.get(loopback + "/", headers={"Host": f"rebound.example:{port}"}) as r:
            rebound = await r.text()
    assert f'"ws://localhost:{port}/ws"' in page
    # A DNS-rebinding name is not one of ours: the page points at 127.0.0.1, and its own
    # origin would be refused.
    assert f'"ws://127.0.0.1:{port}/ws"' in rebound
    assert await _handshake(loopback, f"http://rebound.example:{port}") == 403


# -- behind a reverse proxy: --public-url, and the headers nginx sends -----------------------

#: What nginx sends upstream with the set-up in docs/deploy.md (proxy_set_header lines, and
#: the browser's own Origin passed through).
NGINX_HEADERS = {
    "Host": "sharewise.example.org",
    "X-Real-IP": "203.0.113.7",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "sharewise.example.org",
    "X-Auth-Request-Email": "dsl@example.org",
}


@pytest.mark.parametrize(
    ("public", "ws", "static"),
    [
        (
            "https://sharewise.example.org",
            "wss://sharewise.example.org/ws",
            "https://sharewise.example.org/static/",
        ),
        (
            "https://intranet.example.org/sharewise/",
            "wss://intranet.example.org/sharewise/ws",
            "https://intranet.example.org/sharewise/static/",
        ),
    ],
)
async def test_behind_a_proxy_the_page_points_at_the_public_url(
    public: str, ws: str, static: str
) -> None:
    port = _free_port()
    server = BrowserServer(QUICK, host="127.0.0.1", port=port, public_url=public, title="sw")
    async for url in _running(server):
        async with (
            aiohttp.ClientSession() as session,
            session.get(url + "/", headers=NGINX_HEADERS) as response,
        ):
            page = await response.text()
        assert f'data-session-websocket-url="{ws}"' in page
        assert all(link.startswith(static) for link in _links(page)), _links(page)
        origin = "https://" + public.split("/")[2]
        assert await _handshake(url, origin, **NGINX_HEADERS) == 101
        for stranger in (
            "https://evil.example",
            f"http://127.0.0.1:{port}",
            "http://" + origin[8:],
        ):
            assert await _handshake(url, stranger, **NGINX_HEADERS) == 403, stranger


def test_serve_refuses_bad_addresses(capsys: pytest.CaptureFixture[str]) -> None:
    from sharewise.cli import main

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--public-url" in capsys.readouterr().err
    for bad in ("ftp://sharewise.example", "https://", "https://h.example:99999", "https://h?x=1"):
        assert main(["serve", "--public-url", bad]) == 2, bad
        err = capsys.readouterr().err
        assert "--public-url" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "99999"])
    assert exited.value.code == 2
    assert "not a port" in capsys.readouterr().err


def test_serve_on_a_port_in_use_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from sharewise.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1 port {port}" in err and "Traceback" not in err


# -- the signed-in person, from the header the sign-in proxy sets ----------------------------


def _env_writer(path: Path) -> str:
    """A session command that writes the signed-in name it was given (or `<none>`) to
    `path`, then ends."""
    code = (
        "import os, pathlib; pathlib.Path(os.environ['SW_OUT']).write_text("
        "os.environ.get('SHAREWISE_SIGNED_IN_AS', '<none>'))"
    )
    return shlex.join(["env", f"SW_OUT={path}", sys.executable, "-c", code])


async def _session_login(url: str, out: Path, **headers: str) -> str:
    assert await _handshake(url, url, **headers) == 101
    async with asyncio.timeout(30):
        while not out.exists() or not out.read_text():
            await asyncio.sleep(0.02)
    return out.read_text()


async def test_without_user_header_no_header_is_trusted(tmp_path: Path) -> None:
    """A server not told to trust a header ignores it: the session is nobody's, even when
    the header is sent, and even when serve itself was started with the variable set."""
    out = tmp_path / "who"
    port = _free_port()
    server = BrowserServer(
        _env_writer(out), host="127.0.0.1", port=port, public_url=None, title="sw"
    )
    import os

    os.environ["SHAREWISE_SIGNED_IN_AS"] = "inherited"
    try:
        async for url in _running(server):
            login = await _session_login(url, out, **{"X-Auth-Request-Email": "ann_a"})
    finally:
        del os.environ["SHAREWISE_SIGNED_IN_AS"]
    assert login == "<none>"


@pytest.fixture()
async def signed_in(tmp_path: Path) -> AsyncIterator[tuple[str, list[str]]]:
    """A server trusting X-Auth-Request-Email, whose database knows ann_a only
    (and is down for down_db); yields its URL and the names it was asked about."""
    from sharewise.signed_in import DatabaseUnavailable

    asked: list[str] = []

    async def check(login: str) -> str | None:
        asked.append(login)
        if login == "down_db":
            raise DatabaseUnavailable
        return None if login == "ann_a" else "there is no such login"

    port = _free_port()
    server = BrowserServer(
        _env_writer(tmp_path / "who"),
        host="127.0.0.1",
        port=port,
        public_url=None,
        title="sw",
        user_header="X-Auth-Request-Email",
        check_login=check,
    )
    async for url in _running(server):
        yield url, asked


async def test_the_session_is_the_signed_in_persons(
    signed_in: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, asked = signed_in
    login = await _session_login(url, tmp_path / "who", **{"X-Auth-Request-Email": "ann_a"})
    assert login == "ann_a" and asked == ["ann_a"]


async def _page(
    url: str, headers: dict[str, str] | list[tuple[str, str]], path: str = "/"
) -> tuple[int, str]:
    """GET `path` with `headers` written byte for byte (HTTP clients refuse to send a
    control character in a header; a misbehaving proxy or a hand-made request may)."""
    given = list(headers.items()) if isinstance(headers, dict) else headers
    port = int(url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in given]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = (await reader.read()).decode(errors="replace")
    writer.close()
    head, _, body = answer.partition("\r\n\r\n")
    return int(head.split()[1]), body


async def _upgrade(url: str, headers: dict[str, str] | list[tuple[str, str]]) -> int:
    """The status of a WebSocket handshake from the page's origin, sent as plain headers
    (aiohttp's WebSocket client will not send some of the names tested)."""
    handshake = [
        ("Origin", url),
        ("Connection", "Upgrade"),
        ("Upgrade", "websocket"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ]
    given = list(headers.items()) if isinstance(headers, dict) else headers
    return (await _page(url, handshake + given, "/ws"))[0]


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({}, 401, "nobody is signed in (no X-Auth-Request-Email header"),
        ({"X-Auth-Request-Email": "  "}, 401, "nobody is signed in"),
        # aiohttp refuses an escape in any header before sharewise sees it; a tab it passes.
        ({"X-Auth-Request-Email": "ann_a\x1b[2J"}, 400, ""),
        ({"X-Auth-Request-Email": "ann_a\tx"}, 400, "control or formatting"),
        ({"X-Auth-Request-Email": "ann_a\u202e"}, 400, "control or formatting"),
        ({"X-Auth-Request-Email": "a" * 64}, 400, "1 to 63 lower-case letters"),
        ({"X-Auth-Request-Email": "ann@a.example"}, 400, "'ann@a.example' is not one"),
        ({"X-Auth-Request-Email": "pg_read_all_data"}, 400, "PostgreSQL's own roles"),
        ({"X-Auth-Request-Email": "mallory"}, 403, "'mallory', but there"),
        ({"X-Auth-Request-Email": "down_db"}, 503, "cannot be reached"),
        (
            [("X-Auth-Request-Email", "ann_a"), ("X-Auth-Request-Email", "x_a")],
            400,
            "more than one",
        ),
    ],
)
async def test_the_signed_in_name_is_refused_with_a_reason(
    signed_in: tuple[str, list[str]],
    headers: dict[str, str] | list[tuple[str, str]],
    status: int,
    says: str,
) -> None:
    url, asked = signed_in
    got, text = await _page(url, headers)
    assert (got, says in text) == (status, True), text
    assert "\x1b" not in text and "\u202e" not in text
    # The page and the session are refused alike, before any process starts.
    assert await _upgrade(url, headers) == status
    if status in (400, 401):
        assert asked == []


async def test_the_page_is_served_to_a_known_login(signed_in: tuple[str, list[str]]) -> None:
    url, _ = signed_in
    status, page = await _page(url, {"X-Auth-Request-Email": "ann_a"})
    assert status == 200 and "textual-terminal" in page


def test_user_header_needs_loopback_the_shared_ledger_and_a_header_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sharewise.cli import main

    monkeypatch.delenv("SHAREWISE_DATABASE_URL", raising=False)
    assert main(["serve", "--user-header", "X-Auth-Request-Email"]) == 2
    assert "SQLite ledger is one person's" in capsys.readouterr().err
    monkeypatch.setenv("SHAREWISE_DATABASE_URL", "host=/nonexistent dbname=x")
    public = ["--public-url", "https://sharewise.example.org"]
    assert (
        main(["serve", "--host", "0.0.0.0", *public, "--user-header", "X-Auth-Request-Email"]) == 2
    )
    assert "trusted only on loopback" in capsys.readouterr().err
    for bad in ("X Auth", "Cookie", "X-Auth:", ""):
        assert main(["serve", "--user-header", bad]) == 2, bad
        err = capsys.readouterr().err
        assert "--user-header" in err and "Traceback" not in err


def test_user_header_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHAREWISE_USER_HEADER", "X-Auth-Request-Email")
    assert build_parser().parse_args(["serve"]).user_header == "X-Auth-Request-Email"
    monkeypatch.delenv("SHAREWISE_USER_HEADER")
    assert build_parser().parse_args(["serve"]).user_header is None


def test_serve_with_a_user_header_says_what_it_trusts() -> None:
    said = warning("127.0.0.1", "X-Auth-Request-User")
    assert "trusts the X-Auth-Request-User header" in said and "sign-in proxy" in said
    assert "no login of its own" not in said


async def test_a_download_is_only_for_the_person_whose_session_it_is(tmp_path: Path) -> None:
    from sharewise.browser import SessionService

    async def check(login: str) -> str | None:
        return None

    server = BrowserServer(
        QUICK,
        host="127.0.0.1",
        port=_free_port(),
        public_url=None,
        title="sw",
        user_header="X-Auth-Request-User",
        check_login=check,
    )
    ann = SessionService(
        QUICK,
        login="ann_a",
        write_bytes=None,
        write_str=None,
        close=None,
        download_manager=server.download_manager,
    )
    await server.download_manager.create_download(
        app_service=ann,
        delivery_key="k3y",
        file_name="record.md",
        open_method="download",
        mime_type="text/markdown",
    )
    async for url in _running(server):
        assert (await _page(url, {}, "/download/k3y"))[0] == 401
        assert (await _page(url, {"X-Auth-Request-User": "bo_b"}, "/download/k3y"))[0] == 404
        assert (await _page(url, {"X-Auth-Request-User": "ann_a"}, "/download/nope"))[0] == 404
