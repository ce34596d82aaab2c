"""Running the web app under uvicorn, with limits for slow or greedy clients.

What uvicorn 0.54 offers, and what Mitra sets:
- `timeout_keep_alive` (5 s): an idle kept-alive connection is closed. Its timer only runs between
  requests and stops at the first byte, so a client that trickles a request's headers one byte at a
  time ("slowloris") would otherwise hold its connection open forever;
- `h11_max_incomplete_event_size` (16 KiB): request line and headers larger than this get 400;
- `limit_concurrency` (`MAX_CONNECTIONS`): beyond that many open connections, new requests get 503;
- nothing for a header-read timeout, so `HeaderTimeoutProtocol` adds one: a connection whose request
  line and headers have not all arrived `HEADER_TIMEOUT` seconds after it opened (or after the
  previous response) is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0
KEEP_ALIVE = 5
MAX_HEADER_BYTES = 16 * 1024
MAX_CONNECTIONS = 200


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's line and headers."""

    header_timeout: float = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the headers are in: the request has begun
            self._disarm()

    def on_response_complete(self) -> None:
        self._arm()  # before: a pipelined request handled inside disarms it again
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def server_options() -> dict[str, Any]:
    """uvicorn options for every `mitra serve` (the tests start servers with these too)."""
    return {
        "http": HeaderTimeoutProtocol,
        "timeout_keep_alive": KEEP_ALIVE,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "limit_concurrency": MAX_CONNECTIONS,
        "log_level": "warning",
        "access_log": False,
    }


def run(app: Any, host: str, port: int) -> None:
    uvicorn.run(app, host=host, port=port, **server_options())
