"""The web app lock for an encrypted journal: unlocked state in server memory only.

`AppLock` holds which browser sessions have unlocked the journal (random tokens in an HttpOnly,
SameSite=Strict cookie), when each was last seen, and the open journal itself. Pressing Lock ends
every session (all browsers) and closes the journal; so does the last session going idle for
`MITRA_LOCK_MINUTES`; closing overwrites the derived key; a restart starts locked. `LockGate` (pure
ASGI) redirects every page to /unlock (401 JSON under /api/) while a request's session is not
unlocked, and marks the request so no page shows journal content (not even an alert's title).

Passphrase guesses (`Attempts`): an attempt is reserved before the key is derived and only one may
be in flight (a second gets 429 at once). Failures are counted per client — a random cookie the
unlock page sets; requests without it share one bucket — and each failure makes that client's next
try wait 1, 2, 4… seconds (at most 60). A global ceiling on top spaces all guesses at least 1 s
apart, growing to at most 10 s after many, so minting new client cookies does not multiply the
guessing rate, while a local process guessing cannot keep the owner out for more than 10 s at a
time. Nothing sleeps: waits are retry-after times, the event loop is never blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from mitra.errors import ConflictError, LockedError
from mitra.interfaces.web.security import ASGIApp, Receive, Scope, Send
from mitra.services import lock as lock_service
from mitra.services.context import Mitra, open_mitra
from mitra.settings import Settings

SESSION_COOKIE = "mitra_session"
CLIENT_COOKIE = "mitra_client"
OPEN_PATHS = ("/unlock", "/api/v1/unlock", "/static/", "/login")
UNLOCKED = "mitra_unlocked"  # keys in the request's scope state: this session is unlocked,
SIGNED_IN = "mitra_signed_in"  # and this browser opened the login link (web/login.py)
MAX_DELAY_S = 60.0
GLOBAL_FREE_FAILURES = 5
MAX_GLOBAL_DELAY_S = 10.0
MAX_CLIENTS = 256
NO_CLIENT = ""


class TooSoonError(LockedError):
    """A passphrase tried while another is being checked, or before this client's (or the
    global) wait after wrong ones has passed. Rendered as 429 with Retry-After."""

    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass
class Attempts:
    """Reserved, in-flight and failed passphrase attempts, per client and overall."""

    clock: Callable[[], float] = time.monotonic
    in_flight: bool = False
    failures: dict[str, int] = field(default_factory=dict)
    retry_at: dict[str, float] = field(default_factory=dict)
    global_failures: int = 0
    global_retry_at: float = 0.0

    def reserve(self, client: str) -> None:
        """Claim the one attempt slot for `client`, or TooSoonError saying how long to wait."""
        if self.in_flight:
            raise TooSoonError("another passphrase is being checked; try again in a moment", 1)
        now = self.clock()
        wait = max(self.retry_at.get(client, 0.0), self.global_retry_at) - now
        if wait > 0:
            raise TooSoonError(
                f"too many wrong passphrases: wait {math.ceil(wait)} s and try again", wait
            )
        self.in_flight = True

    def release(self) -> None:
        self.in_flight = False

    def failed(self, client: str) -> float:
        """Count a wrong passphrase; the seconds this client must now wait."""
        self.release()
        now = self.clock()
        count = self.failures.pop(client, 0) + 1
        self.failures[client] = count  # most recent last, so the oldest is dropped first
        delay = min(2.0 ** (count - 1), MAX_DELAY_S)
        self.retry_at[client] = now + delay
        while len(self.failures) > MAX_CLIENTS:
            oldest = next(iter(self.failures))
            del self.failures[oldest]
            self.retry_at.pop(oldest, None)
        self.global_failures += 1
        extra = max(0, self.global_failures - GLOBAL_FREE_FAILURES)
        self.global_retry_at = now + min(2.0**extra, MAX_GLOBAL_DELAY_S)
        return delay

    def succeeded(self) -> None:
        """The right passphrase: only the owner knows it, so every count starts again."""
        self.release()
        self.failures.clear()
        self.retry_at.clear()
        self.global_failures = 0
        self.global_retry_at = 0.0


@dataclass
class AppLock:
    """Lock state of one web app. `active` is False for a plain journal: nothing to unlock."""

    settings: Settings
    state: Any  # the app's State: `state.mitra` is the open journal, or None while locked
    active: bool
    owns_journal: bool = True
    clock: Callable[[], float] = time.monotonic
    sessions: dict[str, float] = field(default_factory=dict, repr=False)
    attempts: Attempts = field(default_factory=Attempts)

    def __post_init__(self) -> None:
        self.attempts.clock = lambda: self.clock()

    @property
    def idle_seconds(self) -> float:
        return self.settings.lock_minutes * 60

    def is_unlocked(self, token: str | None) -> bool:
        """True (and the session's idle timer restarts) if `token` is a live unlocked session."""
        self.expire_idle()
        if not self.active:
            return True
        if token is None or token not in self.sessions:
            return False
        self.sessions[token] = self.clock()
        return True

    def expire_idle(self) -> None:
        """Forget idle sessions; with none left, close the journal (its key leaves memory)."""
        now = self.clock()
        for token, seen in list(self.sessions.items()):
            if now - seen > self.idle_seconds:
                del self.sessions[token]
        if self.active and not self.sessions:
            self.close_journal()

    def close_journal(self, *, even_if_lent: bool = False) -> None:
        """Close the journal (its engine's disposal overwrites the derived key)."""
        journal = self.state.mitra
        self.state.mitra = None
        if journal is not None and (self.owns_journal or even_if_lent):
            journal.close()

    def lock_all(self) -> None:
        """Lock now, for every browser: every session ends and the journal closes."""
        self.sessions.clear()
        if self.active:
            self.close_journal()

    def unlock(self, passphrase: str) -> str:
        """Check the passphrase (WrongPassphraseError), open the journal if closed; a new session.

        Blocking (key derivation): call it in a worker thread, after `attempts.reserve`."""
        if self.state.mitra is None:
            self.state.mitra = open_mitra(self.settings, passphrase=passphrase)
            self.owns_journal = True
        else:
            lock_service.verify(self.settings, passphrase)
        return self.start_session()

    def start_session(self) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions[token] = self.clock()
        return token

    def protect(self, passphrase: str) -> str:
        """Encrypt this app's journal (closing it first), reopen it encrypted; a new session."""
        if lock_service.needs_passphrase(self.settings):
            raise ConflictError(
                "the journal is already encrypted; change its passphrase with `mitra lock change`"
            )
        lock_service.check_new_passphrase(passphrase)
        self.close_journal(even_if_lent=True)
        try:
            lock_service.setup(self.settings, passphrase)
        finally:
            encrypted = lock_service.needs_passphrase(self.settings)
            self.state.mitra = open_mitra(
                self.settings, passphrase=passphrase if encrypted else None
            )
            self.owns_journal = True
        self.active = True
        return self.start_session()

    @contextlib.asynccontextmanager
    async def watching(self) -> AsyncIterator[None]:
        """While the app runs, lock idle sessions even when no request arrives."""
        task = asyncio.create_task(self._watch()) if self.active else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(min(30.0, max(self.idle_seconds / 4, 0.25)))
            self.expire_idle()


def cookie_value(scope: Scope, name: str) -> str | None:
    """The value of cookie `name` in the request, or None."""
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            with contextlib.suppress(Exception):
                cookie.load(value.decode("latin-1"))
            if name in cookie:
                return cookie[name].value
    return None


def session_token(scope: Scope) -> str | None:
    return cookie_value(scope, SESSION_COOKIE)


def client_id(scope: Scope) -> str:
    """Whose failures a passphrase attempt counts towards: the client cookie, or the shared
    bucket of requests without one."""
    return cookie_value(scope, CLIENT_COOKIE) or NO_CLIENT


def hide_content(scope: Scope) -> None:
    """Render this request's page without journal content (an error page when the store failed:
    the banner would only fail again)."""
    scope.setdefault("state", {})[UNLOCKED] = False


def is_unlocked_request(scope: Scope) -> bool:
    """True when the gates let this request through signed in and unlocked (content may be
    shown); False on /login, /unlock and error pages reached without both."""
    state = scope.get("state", {})
    return bool(state.get(SIGNED_IN, False) and state.get(UNLOCKED, False))


class LockGate:
    """Lets a request through only when its session has unlocked the journal (or for /unlock)."""

    def __init__(self, app: ASGIApp, lock: AppLock) -> None:
        self.app = app
        self.lock = lock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        unlocked = self.lock.is_unlocked(session_token(scope))
        scope.setdefault("state", {})[UNLOCKED] = unlocked
        if unlocked or path.startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            body = json.dumps({"detail": "the journal is locked; unlock it first"}).encode()
            await respond(send, 401, [(b"content-type", b"application/json")], body)
            return
        target = f"/unlock?next={quote(path, safe='/')}"
        await respond(send, 303, [(b"location", target.encode())], b"")


async def respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def lock_of(state: Any) -> AppLock:
    found = state.lock
    assert isinstance(found, AppLock)
    return found


def make_lock(settings: Settings, state: Any, mitra: Mitra | None) -> AppLock:
    """The app's lock: active (and no journal open yet) when the journal file is encrypted."""
    active = mitra is None and lock_service.needs_passphrase(settings)
    state.mitra = mitra if (mitra is not None or active) else open_mitra(settings)
    return AppLock(settings=settings, state=state, active=active, owns_journal=mitra is None)
