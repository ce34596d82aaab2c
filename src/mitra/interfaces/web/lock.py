"""The web app lock for an encrypted journal: unlocked state in server memory only.

`AppLock` holds which browser sessions have unlocked the journal (random tokens in an HttpOnly,
SameSite=Strict cookie), when each was last seen, and the open journal itself. When the last
session goes idle for `MITRA_LOCK_MINUTES` the journal is closed and its key forgotten; a restart
starts locked. Wrong passphrases make the next try wait 1, 2, 4, 8… seconds (capped), computed as
a retry-after time: nothing sleeps, the event loop is never blocked. `LockGate` (pure ASGI)
redirects every page to /unlock (401 JSON under /api/) while a request's session is not unlocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from mitra.interfaces.web.security import ASGIApp, Receive, Scope, Send
from mitra.services import lock as lock_service
from mitra.services.context import Mitra, open_mitra
from mitra.settings import Settings

SESSION_COOKIE = "mitra_session"
OPEN_PATHS = ("/unlock", "/api/v1/unlock", "/static/")
MAX_DELAY_S = 60.0


@dataclass
class AppLock:
    """Lock state of one web app. `active` is False for a plain journal: nothing to unlock."""

    settings: Settings
    state: Any  # the app's State: `state.mitra` is the open journal, or None while locked
    active: bool
    owns_journal: bool = True
    clock: Callable[[], float] = time.monotonic
    sessions: dict[str, float] = field(default_factory=dict, repr=False)
    failures: int = 0
    retry_at: float = 0.0

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
        journal = self.state.mitra
        self.state.mitra = None
        if journal is not None and (self.owns_journal or even_if_lent):
            journal.close()

    def retry_after(self) -> float:
        """Seconds to wait before the next passphrase may be tried (0 when it may)."""
        return max(0.0, self.retry_at - self.clock())

    def record_failure(self) -> float:
        self.failures += 1
        delay = min(2.0 ** (self.failures - 1), MAX_DELAY_S)
        self.retry_at = self.clock() + delay
        return delay

    def unlock(self, passphrase: str) -> str:
        """Check the passphrase (WrongPassphraseError), open the journal if closed; a new session.

        Blocking (key derivation): call it in a worker thread."""
        if self.state.mitra is None:
            self.state.mitra = open_mitra(self.settings, passphrase=passphrase)
            self.owns_journal = True
        else:
            lock_service.verify(self.settings, passphrase)
        self.failures = 0
        self.retry_at = 0.0
        return self.start_session()

    def start_session(self) -> str:
        token = secrets.token_urlsafe(32)
        self.sessions[token] = self.clock()
        return token

    def end_session(self, token: str | None) -> None:
        self.sessions.pop(token or "", None)
        self.expire_idle()

    def protect(self, passphrase: str) -> str:
        """Encrypt this app's journal (closing it first), reopen it encrypted; a new session."""
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


def session_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            with contextlib.suppress(Exception):
                cookie.load(value.decode("latin-1"))
            if SESSION_COOKIE in cookie:
                return cookie[SESSION_COOKIE].value
    return None


class LockGate:
    """Lets a request through only when its session has unlocked the journal (or for /unlock)."""

    def __init__(self, app: ASGIApp, lock: AppLock) -> None:
        self.app = app
        self.lock = lock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        if self.lock.is_unlocked(session_token(scope)):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            body = json.dumps({"detail": "the journal is locked; unlock it first"}).encode()
            await _respond(send, 401, [(b"content-type", b"application/json")], body)
            return
        target = f"/unlock?next={quote(path, safe='/')}"
        await _respond(send, 303, [(b"location", target.encode())], b"")


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
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
