"""The coach dashboard in a browser: textual-serve behind a password login of our own.

textual-serve starts one dashboard process per browser tab and streams it over
a websocket; it has no notion of users. :class:`LoginServer` adds one:

* every route but ``/login`` needs a session cookie; without one the page
  redirects to ``/login`` and the websocket, static files and downloads answer
  401, so a wrong (or no) password sees nothing of the dashboard and starts no
  dashboard process;
* the password is kept only as a salted scrypt hash, compared in constant time;
  each wrong password costs the caller a one-second wait;
* the session cookie is random, ``HttpOnly`` and ``SameSite=Strict``, and lasts
  twelve hours.

It binds to 127.0.0.1 unless told otherwise. The connection is plain HTTP: on a
network you do not trust, put it behind a TLS reverse proxy.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from trainer.fleet.connection import FleetError

COOKIE = "trainer_coach_session"
SESSION_SECONDS = 12 * 3600
MIN_PASSWORD = 8
WRONG_PASSWORD_DELAY = 1.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>trainer coach: sign in</title>
<style>
 body {{ font-family: sans-serif; background: #1e1e2e; color: #eee; display: grid;
        place-items: center; height: 100vh; margin: 0; }}
 form {{ background: #2a2a3c; padding: 2em; border-radius: 8px; min-width: 18em; }}
 input, button {{ font-size: 1.1em; width: 100%; margin-top: .6em; padding: .4em;
                 box-sizing: border-box; }}
 .error {{ color: #ff7b72; }}
</style></head>
<body><form method="post" action="/login">
<h1>trainer coach</h1>
<p class="error" id="error">{error}</p>
<label for="password">Password</label>
<input type="password" id="password" name="password" autofocus autocomplete="current-password">
<button type="submit" id="sign-in">Sign in</button>
</form></body></html>
"""


def parse_bind(bind: str) -> tuple[str, int]:
    """``ADDR:PORT`` (``[v6addr]:PORT`` for IPv6) as ``(host, port)``."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise FleetError(f"--bind {bind!r}: expected ADDR:PORT, e.g. 127.0.0.1:8765")
    return host, int(port)


def read_password(path: Path | None, from_environment: str | None) -> str:
    """The login password from ``path`` (its first line) or the environment."""
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise FleetError(f"{path}: cannot read the password file ({error.strerror})") from None
        password = lines[0].strip() if lines else ""
    else:
        password = (from_environment or "").strip()
    if not password:
        raise FleetError(
            "--serve needs a login password: put it in a file for --password-file FILE "
            "(readable only by you), or set $TRAINER_COACH_PASSWORD"
        )
    if len(password) < MIN_PASSWORD:
        raise FleetError(f"the login password needs at least {MIN_PASSWORD} characters")
    return password


class PasswordCheck:
    """A password kept as a salted scrypt hash, checked in constant time."""

    def __init__(self, password: str) -> None:
        self._salt = secrets.token_bytes(16)
        self._hash = self._derive(password)

    def _derive(self, password: str) -> bytes:
        return hashlib.scrypt(password.encode(), salt=self._salt, n=2**14, r=8, p=1)

    def matches(self, attempt: str) -> bool:
        return hmac.compare_digest(self._derive(attempt), self._hash)


class LoginServer(Server):
    """textual-serve's server with every route but the login page behind a session cookie."""

    def __init__(
        self,
        command: str,
        password: str,
        *,
        host: str = "127.0.0.1",
        port: int = 8765,
        title: str = "trainer coach",
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self._password = PasswordCheck(password)
        self._sessions: dict[str, float] = {}  # token -> expiry (time.monotonic)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def require_login(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path == "/login" or self._signed_in(request):
                return await handler(request)
            if request.path == "/" and request.method == "GET":
                raise web.HTTPSeeOther("/login")
            raise web.HTTPUnauthorized(text="sign in at /login first")

        app.middlewares.append(require_login)
        app.router.add_get("/login", self._login_page)
        app.router.add_post("/login", self._login)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The page tells the browser where the websocket is: the address the
        # browser used, not the bind address (0.0.0.0 means nothing to a tablet).
        self.public_url = f"{request.scheme}://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        return response

    def _signed_in(self, request: web.Request) -> bool:
        token = request.cookies.get(COOKIE, "")
        expiry = self._sessions.get(token)
        if expiry is None:
            return False
        if expiry < time.monotonic():
            del self._sessions[token]
            return False
        return True

    async def _login_page(self, request: web.Request) -> web.Response:
        return web.Response(text=_LOGIN_PAGE.format(error=""), content_type="text/html")

    async def _login(self, request: web.Request) -> web.Response:
        form = await request.post()
        attempt = form.get("password")
        if isinstance(attempt, str) and self._password.matches(attempt):
            token = secrets.token_urlsafe(32)
            self._sessions[token] = time.monotonic() + SESSION_SECONDS
            response = web.HTTPSeeOther("/")
            response.set_cookie(
                COOKIE, token, max_age=SESSION_SECONDS, httponly=True, samesite="Strict", path="/"
            )
            raise response
        await asyncio.sleep(WRONG_PASSWORD_DELAY)  # slows guessing
        page = _LOGIN_PAGE.format(error=html.escape("Wrong password."))
        return web.Response(text=page, content_type="text/html", status=401)
