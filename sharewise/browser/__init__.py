"""The browser route (`sharewise serve`): textual-serve, with the checks a web page needs.

textual-serve runs one `sharewise` process per WebSocket and streams its screen. Left as it
is, it accepts that WebSocket from any web page: while it runs, a page on any site the
practitioner visits could open a session, send keys and read case references off the screen
(browsers let any page open a WebSocket to 127.0.0.1; only the `Origin` header says who
asked). It also builds the page's URLs from the address it binds to (`ws://0.0.0.0:8000/ws`
behind a proxy) and loads its font from a public font host.

`BrowserServer` subclasses textual-serve's `Server` and changes exactly those three things:
- the WebSocket is refused (403) unless its `Origin` is one this server is reached at: the
  public URL, or on a loopback bind the loopback names for the port. The allow-list is fixed
  at start-up, not read from the request's `Host`, so DNS rebinding cannot extend it;
- the page's URLs come from the public URL (or, on loopback, the loopback name the browser
  used), never from the bind address;
- the page is our copy of textual-serve's template with the font served from here, and every
  response says so in a Content-Security-Policy (nothing but this origin), and may not be
  framed by another site.

Behind a sign-in proxy, `user_header` names the one request header that says who is signed
in (see `sharewise.signed_in`): then the page and every session need it, the name is
checked (no control characters, a login the database knows and lets this server act as),
and each session's process is told whose it is. Without `user_header` no header is trusted.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from sharewise.domain.safe_text import safe_line
from sharewise.signed_in import SIGNED_IN_ENV, DatabaseUnavailable, login_problem

log = logging.getLogger("textual-serve")

#: Asks whether the signed-in name is a login this server may act as: None if so, else why
#: not (raises DatabaseUnavailable when it cannot ask).
LoginCheck = Callable[[str], Awaitable[str | None]]

TEMPLATES = Path(__file__).resolve().parent

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class PublicUrlError(ValueError):
    """A `--public-url` that cannot be the address people open (says why)."""


def is_loopback(host: str) -> bool:
    """Whether a bind address reaches only this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_public_url(url: str) -> str:
    """`url` checked and without a trailing slash: http(s), a host, no query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise PublicUrlError("it must start with https:// (or http:// for a test)")
    if not parts.hostname:
        raise PublicUrlError("it must name the host people open, e.g. https://sharewise.example")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise PublicUrlError("it must be only scheme, host, optional port and path")
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise PublicUrlError("its port is not a number from 1 to 65535") from None
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def origin_of(url: str) -> str:
    """The origin a browser sends for a page at `url`: scheme://host[:port], default port
    left out, as browsers write it."""
    parts = urlsplit(url)
    port = parts.port
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def loopback_url(host: str, port: int) -> str:
    """The page's address on a loopback bind (`::1` in brackets, as a URL needs)."""
    name = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{name}:{port}"


class BrowserServer(Server):
    """textual-serve's server, refusing WebSockets from other origins (module docstring)."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None,
        title: str,
        user_header: str | None = None,
        check_login: LoginCheck | None = None,
    ) -> None:
        if public_url is None:
            if not is_loopback(host):
                raise PublicUrlError(
                    f"listening on {host} needs the address people open in their browser"
                )
            public = loopback_url(host, port)
            allowed = {origin_of(public)} | {f"http://{name}:{port}" for name in LOOPBACK_NAMES}
        else:
            public = normalise_public_url(public_url)
            allowed = {origin_of(public)}
        super().__init__(
            command, host=host, port=port, title=title, public_url=public, templates_path=TEMPLATES
        )
        self.loopback = public_url is None
        self.allowed_origins = frozenset(allowed)
        self.user_header = user_header
        self.check_login = check_login

    # -- the page ---------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, with the headers below and no listing of the static
        folder (textual-serve lists it; nothing needs that)."""
        app = web.Application(middlewares=[self._security_headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def base_url(self, request: web.Request) -> str:
        """Where the page's links point: on loopback, the name the browser used (localhost
        or 127.0.0.1) when it is one of ours; otherwise the public URL."""
        seen = f"{request.scheme}://{request.host}".lower()
        if self.loopback and seen in self.allowed_origins:
            return seen
        return str(self.public_url)

    async def handle_index(self, request: web.Request) -> web.Response:
        """textual-serve's page (our copy of its template), its URLs from `base_url`; behind
        a sign-in proxy, only for a signed-in person this server may act as (so that anyone
        else reads why here, not a session that ends at once)."""
        await self.signed_in(request)
        base = self.base_url(request)
        scheme, rest = base.split(":", 1)
        font_size = to_int(request.query.get("fontsize", "16"), 16)
        context = {
            "font_size": min(max(font_size, 6), 64),
            "app_websocket_url": ("wss:" if scheme == "https" else "ws:") + rest + "/ws",
            "config": {"static": {"url": base + "/static/"}},
            "application": {"name": self.title},
        }
        response: web.Response = aiohttp_jinja2.render_template("app_index.html", request, context)
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file a session hands to its browser: behind a sign-in proxy, only to the person
        whose session it is (its key is random, but a key is not a sign-in)."""
        login = await self.signed_in(request)
        if login is not None:
            try:
                download = await self.download_manager.get_download_metadata(
                    request.match_info["key"]
                )
            except KeyError:
                download = None
            if download is None or getattr(download.app_service, "login", None) != login:
                raise web.HTTPNotFound(text="sharewise: no such download\n")
        return await super().handle_download(request)

    # -- the session ------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a session only for a page served from here (the `Origin` header, which
        browsers always send with a WebSocket and pages cannot forge)."""
        origin = request.headers.get("Origin")
        if origin is None or origin.lower() not in self.allowed_origins:
            raise web.HTTPForbidden(
                text="sharewise: this page may not open a session (its origin is not allowed)\n"
            )
        login = await self.signed_in(request)
        return await self._session(request, login)

    async def signed_in(self, request: web.Request) -> str | None:
        """The signed-in person's login, from the trusted header, or None when no header is
        trusted. Refuses (401, 400, 403, 503, saying why) a request without one name in the
        header, a name that cannot be a login, and a login this server may not act as."""
        if self.user_header is None:
            return None
        header = self.user_header
        values = request.headers.getall(header, [])
        if not values or not values[0].strip():
            raise web.HTTPUnauthorized(
                text=f"sharewise: nobody is signed in (no {header} header from the sign-in "
                "proxy). Open sharewise through your organisation's sign-in address.\n"
            )
        if len(values) > 1:
            raise web.HTTPBadRequest(text=f"sharewise: more than one {header} header\n")
        login = values[0]
        problem = login_problem(login)
        if problem is not None:
            raise web.HTTPBadRequest(
                text=f"sharewise: the signed-in name in {header} cannot be a login: {problem}. "
                "Tell whoever runs the sign-in proxy.\n"
            )
        if self.check_login is not None:
            try:
                refusal = await self.check_login(login)
            except DatabaseUnavailable:
                raise web.HTTPServiceUnavailable(
                    text="sharewise: the ledger's database cannot be reached; try again in a "
                    "minute, and tell your administrator if it goes on.\n"
                ) from None
            if refusal is not None:
                raise web.HTTPForbidden(
                    text=f"sharewise: you are signed in as {safe_line(login)!r}, but {refusal}. "
                    "Ask your sharewise administrator to add your login (docs/deploy.md).\n"
                )
        return login

    async def _session(self, request: web.Request, login: str | None) -> web.WebSocketResponse:
        """textual-serve's session (its `handle_websocket`), with the process told whose
        session it is."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = SessionService(
                self.command,
                login=login,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket

    @web.middleware
    async def _security_headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Nothing is loaded from anywhere but here, and no other site may frame the page (a
        framed page could be clicked or typed into by the site around it)."""
        response: web.StreamResponse = await handler(request)
        if not response.prepared:
            response.headers["Content-Security-Policy"] = CSP.format(
                ws=connect_sources(self.allowed_origins)
            )
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "no-referrer"
        return response


class SessionService(AppService):
    """One session's `sharewise` process, told whose session it is (or, with no sign-in in
    front, that it is nobody's in particular: the variable is removed, never inherited)."""

    def __init__(self, command: str, *, login: str | None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.login = login

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.pop(SIGNED_IN_ENV, None)
        if self.login is not None:
            environment[SIGNED_IN_ENV] = self.login
        return environment


def connect_sources(origins: frozenset[str]) -> str:
    """The WebSocket origins the page may connect to (older browsers do not count ws: as
    'self')."""
    return " ".join(sorted("ws" + o.removeprefix("http") for o in origins))


# textual-serve's page has inline script and style; everything else is this origin's.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self' {ws}; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
