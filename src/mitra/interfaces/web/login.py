"""The web app's login: nothing is served without the per-install secret, even on loopback.

Any account on this machine can reach 127.0.0.1, so a folder readable only by its owner is not
enough: `mitra serve` prints a login link holding the secret (kept in a 0600 file in the data
folder, like a notebook server's token). Opening it sets an HttpOnly, SameSite=Strict cookie that
carries an HMAC of the secret, named after the port so two Mitras on one machine do not overwrite
each other's (browsers send cookies for 127.0.0.1 to every port). API clients may send the secret
instead: `Authorization: Bearer <secret>`, or as the password of HTTP Basic auth (`curl -u
:<secret>`, or `http://mitra:<secret>@127.0.0.1:8000`). `LoginGate` (pure ASGI) refuses anything
else: 401 JSON under /api/, a redirect to the page saying how to get in elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from mitra.interfaces.web.lock import SIGNED_IN, cookie_value, respond
from mitra.interfaces.web.security import ASGIApp, Receive, Scope, Send
from mitra.services import lock as lock_service
from mitra.settings import Settings

OPEN_PATHS = ("/login", "/static/")
COOKIE_DAYS = 30
NOT_SIGNED_IN = (
    "this browser is not signed in to Mitra: open the login link `mitra serve` printed "
    "(or run `mitra login-link`)"
)


@dataclass(frozen=True)
class Login:
    """The secret of one web app, and the cookie it sets; never printed (repr hides it)."""

    secret: str = field(repr=False)
    port: int

    @property
    def cookie_name(self) -> str:
        return f"mitra_access_{self.port}"

    @cached_property
    def cookie_value(self) -> str:
        return hmac.new(self.secret.encode(), b"mitra web access", hashlib.sha256).hexdigest()

    @property
    def url_path(self) -> str:
        return f"{lock_service.LOGIN_PATH}?token={quote(self.secret)}"

    def accepts_token(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.secret.encode())

    def is_signed_in(self, scope: Scope) -> bool:
        cookie = cookie_value(scope, self.cookie_name)
        if cookie is not None and hmac.compare_digest(cookie.encode(), self.cookie_value.encode()):
            return True
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                return self.accepts_token(_secret_of(value.decode("latin-1")))
        return False


def _secret_of(authorization: str) -> str:
    """The secret in a Bearer token, or the password of Basic auth; "" for anything else."""
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def make_login(settings: Settings) -> Login:
    return Login(secret=lock_service.login_secret(settings), port=settings.port)


class LoginGate:
    """Lets a request through only with the login cookie or bearer secret (or for /login)."""

    def __init__(self, app: ASGIApp, login: Login) -> None:
        self.app = app
        self.login = login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        signed_in = self.login.is_signed_in(scope)
        scope.setdefault("state", {})[SIGNED_IN] = signed_in
        if signed_in or path.startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            body = json.dumps({"detail": NOT_SIGNED_IN}).encode()
            headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
            await respond(send, 401, headers, body)
            return
        await respond(send, 303, [(b"location", b"/login")], b"")
