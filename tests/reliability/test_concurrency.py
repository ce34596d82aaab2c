"""Concurrency: 50 clients at once against a real server on SQLite, for a bounded time.

Each client creates check-ins, reads lists and history, and keeps rewriting one check-in it owns
(note = `client-N v<k>`). Afterwards: no 5xx at all (so no "database is locked" surfacing), every
acknowledged create is stored, and every owned check-in holds the last version its client was
told was saved (no lost update).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2 as httpx
import sqlalchemy as sa
from tests.reliability.conftest import LiveServer

CLIENTS = 50


@dataclass
class Client:
    number: int
    owned: int = 0
    last_version: int = 0
    created: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)

    def check(self, response: httpx.Response) -> httpx.Response:
        self.requests += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{response.status_code} {response.text[:200]}")
        return response

    def run(self, url: str, until: float) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            first = self.check(http.post("/api/v1/checkins", json={"mood": 1, "note": "v0"}))
            self.owned = first.json()["id"]
            step = 0
            while time.monotonic() < until:
                step += 1
                self.one_step(http, step)

    def one_step(self, http: httpx.Client, step: int) -> None:
        if step % 3 == 0:
            note = f"client-{self.number} new {step}"
            response = self.check(http.post("/api/v1/checkins", json={"mood": 4, "note": note}))
            if response.status_code == 201:
                self.created[response.json()["id"]] = note
        elif step % 3 == 1:
            version = self.last_version + 1
            body = {"mood": 6, "note": f"client-{self.number} v{version}"}
            response = self.check(http.put(f"/api/v1/checkins/{self.owned}", json=body))
            if response.status_code == 200:
                self.last_version = version
        else:
            self.check(http.get("/api/v1/checkins?limit=50"))
            self.check(http.get("/api/v1/history?days=7"))


def test_fifty_concurrent_clients_lose_nothing_and_never_see_a_server_error(
    live_server: Callable[..., LiveServer], figure: Callable[[str], None], full: bool
) -> None:
    server = live_server()
    seconds = 60.0 if full else 6.0
    clients = [Client(n) for n in range(CLIENTS)]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=c.run, args=(server.url, until)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    engine = sa.create_engine(server.db_url)
    with engine.connect() as conn:
        stored = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, note FROM checkins")}
    engine.dispose()
    errors = [e for c in clients for e in c.server_errors]
    locked = [e for e in errors if "locked" in e or "busy" in e]
    lost_creates = [i for c in clients for i, note in c.created.items() if stored.get(i) != note]
    lost_updates = [
        c.number
        for c in clients
        if c.last_version and stored.get(c.owned) != f"client-{c.number} v{c.last_version}"
    ]
    total = sum(c.requests for c in clients)
    figure(
        f"{CLIENTS} clients for {seconds:g} s: {total} requests ({total / seconds:.0f}/s), "
        f"5xx {len(errors)} (database locked {len(locked)}), lost creates {len(lost_creates)}, "
        f"lost updates {len(lost_updates)}"
    )
    assert errors == []
    assert lost_creates == [] and lost_updates == []
    assert all(c.last_version > 0 for c in clients)
