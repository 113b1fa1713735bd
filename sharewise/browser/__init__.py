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
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

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
        self, command: str, *, host: str, port: int, public_url: str | None, title: str
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
        """textual-serve's page (our copy of its template), its URLs from `base_url`."""
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

    # -- the session ------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a session only for a page served from here (the `Origin` header, which
        browsers always send with a WebSocket and pages cannot forge)."""
        origin = request.headers.get("Origin")
        if origin is None or origin.lower() not in self.allowed_origins:
            raise web.HTTPForbidden(
                text="sharewise: this page may not open a session (its origin is not allowed)\n"
            )
        return await super().handle_websocket(request)

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
