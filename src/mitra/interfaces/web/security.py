"""ASGI guards for a local app: Host allow-list (DNS rebinding), cross-site writes, body size,
and the security headers every response carries (framing, sniffing, referrer, caching)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from mitra.settings import LOOPBACK_NAMES, Settings, is_loopback_host

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
FIXED_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
OWNED = frozenset({b"content-security-policy", b"cache-control"} | {k for k, _ in FIXED_HEADERS})
CACHEABLE_PREFIX = "/static/"
STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)


class SecurityHeaders:
    """Adds the security headers to every response, errors included: wraps the whole app (see
    `MitraApp`), so even the 500 page of Starlette's outermost error middleware carries them.

    Content-Security-Policy is `POLICY`; a route may send a longer policy that starts with it
    (`policy_with_styles`), never a weaker one. Everything but `/static/` is `no-store`: journal
    pages, API answers, exports and reports are not kept in the browser's cache.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _secured(message.get("headers", []), cacheable)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secured(headers: list[tuple[bytes, bytes]], cacheable: bool) -> list[tuple[bytes, bytes]]:
    given = {k.lower(): v for k, v in headers}
    kept = [(k, v) for k, v in headers if k.lower() not in OWNED]
    policy = given.get(b"content-security-policy", b"")
    if not policy.startswith(POLICY.encode()):
        policy = POLICY.encode()
    kept += [(b"content-security-policy", policy), *FIXED_HEADERS]
    if cacheable:
        kept += [(b"cache-control", given[b"cache-control"])] if b"cache-control" in given else []
    else:
        kept.append((b"cache-control", b"no-store"))
    return kept


def policy_with_styles(html: str) -> str:
    """`POLICY` plus the hashes of `html`'s own `<style>` blocks: for a page that must stay one
    self-contained file (the clinician report), while no other inline style or script runs."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in STYLE_BLOCK.findall(html)
    ]
    return f"{POLICY}; style-src 'self' {' '.join(hashes)}".rstrip()


def _host_name(value: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1'; '[::1]:8000' -> '::1'."""
    if value.startswith("["):
        return value[1 : value.find("]")].lower()
    return value.rsplit(":", 1)[0].lower() if value.count(":") == 1 else value.lower()


class LocalGuard:
    """Refuses requests a local-first app must never serve, before any route runs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed_hosts = LOOPBACK_NAMES | settings.extra_hosts
        self.max_body = settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._problem(scope, headers)
        if problem is not None:
            status, message = problem
            await _plain_error(scope, send, status, message)
            return
        limit = _BodyLimit()
        try:
            await self.app(scope, self._limited(receive, limit), limit.guard(scope, send))
        except BodyTooLargeError:
            await limit.refuse(scope, send)

    def _problem(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = _host_name(headers.get("host", ""))
        if host not in self.allowed_hosts and not is_loopback_host(host):
            return 421, "This Mitra only answers to its own address (Host header refused)."
        if scope["method"] not in SAFE_METHODS and _is_cross_site(headers):
            return 403, "Cross-site request refused: changes must come from Mitra's own pages."
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, f"Request body too large (limit {self.max_body} bytes)."
        return None

    def _limited(self, receive: Receive, limit: _BodyLimit) -> Receive:
        seen = 0
        max_body = self.max_body

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_body:
                    limit.message = f"Request body too large (limit {max_body} bytes)."
                    raise BodyTooLargeError
            return message

        return limited_receive


class _BodyLimit:
    """Turns whatever the app answers after a body passed the limit into one 413: FastAPI wraps
    errors raised while it reads a body into its own 400, so the answer is replaced on its way out
    (a body without Content-Length, e.g. chunked, is only found too large while being read)."""

    def __init__(self) -> None:
        self.message = ""
        self.answered = False

    def guard(self, scope: Scope, send: Send) -> Send:
        async def guarded_send(message: Message) -> None:
            if not self.message:
                self.answered = self.answered or message["type"] == "http.response.start"
                await send(message)
            elif message["type"] == "http.response.start":
                await self.refuse(scope, send)

        return guarded_send

    async def refuse(self, scope: Scope, send: Send) -> None:
        if not self.answered:
            self.answered = True
            await _plain_error(scope, send, 413, self.message or "Request body too large.")


class BodyTooLargeError(Exception):
    """A streamed body passed the size limit; rendered as 413 by the error handler."""


def _is_cross_site(headers: dict[str, str]) -> bool:
    """A browser says where a request comes from in `Sec-Fetch-Site` (pages cannot forge it), and
    that is trusted when present: with `Referrer-Policy: no-referrer` the browser sends
    `Origin: null` even for Mitra's own forms. Without it, `Origin` must name this host."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


async def _plain_error(scope: Scope, send: Send, status: int, message: str) -> None:
    is_api = str(scope.get("path", "")).startswith("/api/")
    if is_api:
        body = json.dumps({"detail": message}).encode()
        content_type = b"application/json"
    else:
        body = f"<!doctype html><title>Mitra</title><p>{message}</p>".encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
