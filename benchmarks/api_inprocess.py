"""Server-side cost of one API request, without a network or an HTTP client: Mitra's check-in
list (read, 50 rows) and create (write), called as ASGI apps in this process, versus the load
benchmark's bare Starlette + raw sqlite3 app (benchmarks/load_baseline.py) on a copy of the same
journal. Each side is best of 5 batches. The ratio is time per request, so a ratio of r means
about 1/r of the baseline's single-core throughput. Targets (issue 16): read <= 1.5x, check-in
write <= 2x, kratom-use write with its safety evaluation <= 3x. Unlike `make bench-load` it needs
no wrk and runs in seconds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from benchmarks.timing import report
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.services.lock import login_secret
from mitra.settings import load_settings

Message = MutableMapping[str, Any]
App = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
PATH = "/api/v1/checkins"
BODY = b'{"mood": 5, "anxiety": 3, "note": "load test"}'
USE_BODY = b'{"product_id": 1, "amount": 0.5, "unit": "g", "note": "load test"}'
BATCH = 300
READ_TARGET, WRITE_TARGET = 1.5, 2.0  # issue 16's table


AUTH: list[tuple[bytes, bytes]] = []  # Mitra's login header, set once the journal exists


def _scope(method: str, query: bytes, path: str = PATH) -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"), *AUTH],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(app: App, method: str, query: bytes, body: bytes, path: str = PATH) -> int:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(_scope(method, query, path), receive, send)
    status: int = sent[0]["status"]
    return status


async def _per_request(
    app: App, method: str, query: bytes, body: bytes, expect: int, path: str = PATH
) -> float:
    for _ in range(30):
        await _call(app, method, query, body, path)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(BATCH):
            status = await _call(app, method, query, body, path)
        best = min(best, (time.perf_counter() - start) / BATCH)
        assert status == expect, status
    return best


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = load_settings(data_dir=folder / "mitra", timezone="Europe/London")
        mitra = open_mitra(settings)
        seed_demo(mitra, days=365, seed=5)
        mitra.close()
        journal = next((folder / "mitra").glob("*.db"))
        shutil.copy(journal, folder / "baseline.db")
        os.environ["LOAD_DB"] = str(folder / "baseline.db")

        from benchmarks import load_baseline
        from mitra.interfaces.web.app import create_app

        mitra_app = create_app(settings)
        AUTH.append((b"authorization", f"Bearer {login_secret(settings)}".encode()))
        for name, method, query, body, expect, target in (
            ("read (GET, 50 check-ins)", "GET", b"limit=50", b"", 200, READ_TARGET),
            ("write (POST a check-in)", "POST", b"", BODY, 201, WRITE_TARGET),
        ):
            base = asyncio.run(_per_request(load_baseline.app, method, query, body, expect))
            ours = asyncio.run(_per_request(mitra_app, method, query, body, expect))
            report(f"API in-process, {name}, per request", ours, base, target)
        # A kratom use, with its safety evaluation, against the baseline's raw check-in INSERT.
        base = asyncio.run(_per_request(load_baseline.app, "POST", b"", BODY, 201))
        ours = asyncio.run(_per_request(mitra_app, "POST", b"", USE_BODY, 201, "/api/v1/uses"))
        report("API in-process, write (POST a kratom use + safety), per request", ours, base, 3.0)
        load_baseline.CONN.close()
