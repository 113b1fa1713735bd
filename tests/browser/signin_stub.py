"""A stand-in for oauth2-proxy: the same nginx `auth_request` interface, with made-up people.

docs/deploy.md puts oauth2-proxy between nginx and the organisation's identity provider. The
test cannot reach an identity provider, so this small server answers nginx exactly as
oauth2-proxy does with `--reverse-proxy --set-xauthrequest`:

- `GET /oauth2/auth` (nginx's auth subrequest, the browser's cookies passed on): 202 with
  `X-Auth-Request-User` and `X-Auth-Request-Email` for a signed-in browser, 401 otherwise;
- `GET /oauth2/sign_in` (nginx's `error_page 401`): a sign-in page with a form;
- `POST /oauth2/sign_in`: checks the name and password (the identity provider's part), sets
  the session cookie and sends the browser back to `/`;
- `GET /oauth2/sign_out`: forgets the session.

It runs in a thread with its own event loop, so that a test using Playwright's synchronous
API can start and stop it.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import threading
from dataclasses import dataclass, field

from aiohttp import web

COOKIE = "_oauth2_proxy"


def _redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


@dataclass(frozen=True)
class Person:
    user: str
    email: str
    password: str


@dataclass
class SignInStub:
    people: list[Person]
    #: Session cookie value -> the person it signed in.
    sessions: dict[str, Person] = field(default_factory=dict)
    #: Every auth subrequest nginx made: (path it was for, status answered).
    asked: list[tuple[str, int]] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None

    # -- the interface nginx uses -----------------------------------------------------------

    async def auth(self, request: web.Request) -> web.Response:
        person = self.sessions.get(request.cookies.get(COOKIE, ""))
        status = 202 if person else 401
        self.asked.append((request.headers.get("X-Original-URI", ""), status))
        if person is None:
            return web.Response(status=401)
        return web.Response(
            status=202,
            headers={"X-Auth-Request-User": person.user, "X-Auth-Request-Email": person.email},
        )

    async def sign_in_page(self, request: web.Request) -> web.Response:
        note = html.escape(request.query.get("error", ""))
        page = f"""<!DOCTYPE html><html><head><title>Sign in</title></head><body>
<h1>Sign in to sharewise</h1><p id="note">{note}</p>
<form method="post" action="/oauth2/sign_in">
<label>Name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>"""
        return web.Response(text=page, content_type="text/html")

    async def sign_in(self, request: web.Request) -> web.Response:
        form = await request.post()
        for person in self.people:
            if form.get("username") == person.user and secrets.compare_digest(
                str(form.get("password", "")), person.password
            ):
                token = secrets.token_urlsafe(24)
                self.sessions[token] = person
                response = _redirect("/")
                response.set_cookie(COOKIE, token, httponly=True, secure=True, samesite="Lax")
                return response
        return _redirect("/oauth2/sign_in?error=Wrong+name+or+password")

    async def sign_out(self, request: web.Request) -> web.Response:
        self.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = _redirect("/")
        response.del_cookie(COOKIE)
        return response

    def cookie_for(self, person: Person) -> str:
        """A signed-in session for `person`, as the form would make (for tests that speak
        HTTP without a browser): the Cookie header to send."""
        token = secrets.token_urlsafe(24)
        self.sessions[token] = person
        return f"{COOKIE}={token}"

    # -- running it -------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()

    async def _start(self) -> None:
        app = web.Application()
        app.add_routes(
            [
                web.get("/oauth2/auth", self.auth),
                web.get("/oauth2/sign_in", self.sign_in_page),
                web.post("/oauth2/sign_in", self.sign_in),
                web.get("/oauth2/sign_out", self.sign_out),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def __enter__(self) -> SignInStub:
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise RuntimeError("the sign-in stand-in did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
