"""Slow clients (#15 should-fix): a connection that trickles its request headers is closed after
the header deadline, while a normal request on the same server is answered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from mitra.interfaces.web.serving import HeaderTimeoutProtocol, server_options


class QuickDeadline(HeaderTimeoutProtocol):
    header_timeout = 0.5


async def hello(scope: dict[str, object], _receive: object, send: object) -> None:
    assert scope["type"] in ("http", "lifespan")
    if scope["type"] == "lifespan":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"hi"})  # type: ignore[operator]


@pytest.fixture
def port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free: int = probe.getsockname()[1]
    options = {**server_options(), "http": QuickDeadline, "lifespan": "off"}
    server = uvicorn.Server(uvicorn.Config(hello, host="127.0.0.1", port=free, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield free
    server.should_exit = True
    thread.join(timeout=10)


def test_server_options_set_uvicorns_limits_and_the_header_deadline() -> None:
    options = server_options()
    assert options["http"] is HeaderTimeoutProtocol
    assert HeaderTimeoutProtocol.header_timeout == 10.0
    assert options["timeout_keep_alive"] == 5
    assert options["h11_max_incomplete_event_size"] == 16 * 1024
    assert options["limit_concurrency"] == 200


def test_a_client_trickling_its_headers_is_disconnected(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        closed = False
        for _ in range(40):  # one header line every 0.1 s: keep-alive alone would never fire
            try:
                slow.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
            time.sleep(0.1)
        if not closed:
            closed = slow.recv(100) == b""
    assert closed


def test_a_prompt_request_is_answered(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as prompt:
        prompt.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := prompt.recv(1000):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer.endswith(b"\r\n2\r\nhi\r\n0\r\n\r\n")
