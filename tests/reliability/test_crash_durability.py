"""Crash durability: SIGKILL a real server (and a bulk import) at random moments, again and again.

Clients post use events and check-ins over the API; every entry answered 2xx is remembered with a
unique token in its note. After each kill the journal is checked (SQLite `PRAGMA integrity_check`
and `foreign_key_check`; orphan rows on both backends) and the server restarted. At the end every
acknowledged entry must be in the database under the id it was acknowledged with. A bulk import
(`mitra demo --force`) and a CSV import (`mitra import`) are killed too: their rows must be all
there or not there at all. Extend `Writer.post_one` as new writing endpoints land.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from tests.reliability.conftest import LiveServer, Zygote, ZygoteError

DEMO_TABLES = ("products", "use_events", "checkins", "adverse_effects", "vitals", "medications")
IMPORT_DAYS = 1500
CSV_PRODUCT, CSV_ROWS = "Imported leaf", 3000


@dataclass
class Tally:
    kills: int = 0
    import_kills: int = 0
    imports_committed: int = 0
    csv_kills: int = 0
    csv_committed: int = 0
    acknowledged: dict[str, dict[int, str]] = field(
        default_factory=lambda: {"use_events": {}, "checkins": {}}
    )
    integrity_errors: list[str] = field(default_factory=list)
    partial_imports: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, table: str, entry_id: int, token: str) -> None:
        with self.lock:
            self.acknowledged[table][entry_id] = token


class Writer(threading.Thread):
    """Posts entries until the server dies under it; records each one acknowledged."""

    def __init__(self, url: str, product_id: int, tally: Tally, lane: int) -> None:
        super().__init__(daemon=True)
        self.url, self.product_id, self.tally, self.lane = url, product_id, tally, lane
        self.sent = 0

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=15) as client:
            while True:
                try:
                    self.post_one(client)
                except httpx.TransportError:
                    return

    def post_one(self, client: httpx.Client) -> None:
        self.sent += 1
        token = f"crash-{self.lane}-{time.monotonic_ns()}-{self.sent}"
        if self.sent % 2:
            table, path = "use_events", "/api/v1/uses"
            body: dict[str, Any] = {"product_id": self.product_id, "amount": 2, "unit": "g"}
        else:
            table, path, body = "checkins", "/api/v1/checkins", {"mood": 5, "anxiety": 4}
        response = client.post(path, json={**body, "note": token})
        if response.is_success:
            self.tally.ack(table, response.json()["id"], token)
        else:
            raise AssertionError(f"{path} answered {response.status_code}: {response.text}")


def check_integrity(url: str) -> list[str]:
    """Problems found in the journal right after a kill (empty when it is sound)."""
    problems: list[str] = []
    if url.startswith("sqlite"):
        try:
            with sqlite3.connect(sa.make_url(url).database or "") as conn:
                result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
                problems.extend(str(row) for row in conn.execute("PRAGMA foreign_key_check"))
        except sqlite3.DatabaseError as exc:
            result = [str(exc)]
        return problems + ([] if result == ["ok"] else result)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM use_events u LEFT JOIN products p ON p.id = u.product_id "
            "WHERE p.id IS NULL"
        ).scalar_one()
    engine.dispose()
    return [f"{orphans} orphan use events"] if orphans else []


def demo_counts(url: str, api_products: set[int]) -> dict[str, int]:
    """Rows written by bulk imports: everything the API writers did not tag as theirs."""
    ids = ",".join(str(i) for i in sorted(api_products)) or "0"
    wheres = {
        "products": f"id NOT IN ({ids}) AND name <> '{CSV_PRODUCT}'",
        "use_events": f"product_id NOT IN ({ids}) AND substr(note, 1, 8) <> 'bulkimp-'",
        "checkins": "substr(note, 1, 6) <> 'crash-'",
    }
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {
            t: conn.exec_driver_sql(
                f"SELECT count(*) FROM {t} WHERE {wheres.get(t, '1=1')}"
            ).scalar_one()
            for t in DEMO_TABLES
        }
    engine.dispose()
    return counts


class Importer:
    """`mitra demo --force` as a subprocess: one big transaction, killed at random moments."""

    def __init__(self, server: LiveServer, api_products: set[int]) -> None:
        self.server, self.api_products = server, api_products
        self.url = server.db_url
        self.per_import: dict[str, int] = {}

    def _start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "mitra", "demo", "--force", "--days", str(IMPORT_DAYS)]
        return subprocess.Popen(command, env=self.server.full_env(), stdout=subprocess.DEVNULL)

    def calibrate(self) -> float:
        """One uninterrupted import: how many rows one import writes, and how long it takes."""
        before = demo_counts(self.url, self.api_products)
        started = time.monotonic()
        assert self._start().wait(timeout=120) == 0
        elapsed = time.monotonic() - started
        after = demo_counts(self.url, self.api_products)
        self.per_import = {t: after[t] - before[t] for t in DEMO_TABLES}
        assert all(self.per_import.values()), self.per_import
        return elapsed

    def kill_one(self, rng: random.Random, duration: float, tally: Tally) -> None:
        before = demo_counts(self.url, self.api_products)
        process = self._start()
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        process.kill()
        process.wait(timeout=10)
        after = demo_counts(self.url, self.api_products)
        delta = {t: after[t] - before[t] for t in DEMO_TABLES}
        tally.import_kills += 1
        if delta == self.per_import:
            tally.imports_committed += 1
        elif any(delta.values()):
            tally.partial_imports += 1


class CsvImporter:
    """`mitra import tracker.csv` (all rows or none) as a subprocess, killed at random moments.
    Import k's rows carry the note `bulkimp-k`, so each import is counted on its own."""

    def __init__(self, server: LiveServer, folder: Path) -> None:
        self.server, self.folder, self.imports = server, folder, 0

    def _start(self) -> tuple[subprocess.Popen[bytes], str]:
        self.imports += 1
        note = f"bulkimp-{self.imports}"
        lines = ["date,time,iso_timestamp,strain_code,strain_name,amount_g,notes"]
        lines += [
            f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 24:02d}:{i % 60:02d},,L,{CSV_PRODUCT},"
            f"1.5,{note}"
            for i in range(CSV_ROWS)
        ]
        path = self.folder / f"{note}.csv"
        path.write_text("\n".join(lines) + "\n")
        command = [sys.executable, "-m", "mitra", "import", str(path)]
        env = self.server.full_env()
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), note

    def _rows(self, note: str) -> int:
        engine = sa.create_engine(self.server.db_url)
        with engine.connect() as conn:
            query = sa.text("SELECT count(*) FROM use_events WHERE note = :note")
            count: int = conn.execute(query, {"note": note}).scalar_one()
        engine.dispose()
        return count

    def calibrate(self) -> float:
        started = time.monotonic()
        process, note = self._start()
        assert process.wait(timeout=120) == 0
        assert self._rows(note) == CSV_ROWS
        return time.monotonic() - started

    def kill_one(self, rng: random.Random, duration: float, tally: Tally) -> None:
        process, note = self._start()
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        process.kill()
        process.wait(timeout=10)
        rows = self._rows(note)
        tally.csv_kills += 1
        tally.csv_committed += rows == CSV_ROWS
        tally.partial_imports += rows not in (0, CSV_ROWS)


def add_product(url: str) -> int:
    body = {"name": "Crash test leaf", "form": "leaf_powder"}
    response = httpx.post(f"{url}/api/v1/products", json=body, timeout=15)
    assert response.status_code == 201, response.text
    product_id: int = response.json()["id"]
    return product_id


CYCLE_TIMEOUT = 60.0  # one kill cycle (write, kill, check, restart) takes about a second
PROGRESS_EVERY = 50  # kills between progress lines (seen with `-s`: a run stopped early says
# how far it got)


def acknowledged_count(tally: Tally) -> int:
    with tally.lock:
        return sum(len(a) for a in tally.acknowledged.values())


def wait_for_acknowledgements(tally: Tally, writer: Writer, target: int) -> None:
    """Until `target` entries are acknowledged (the deterministic quick suite kills only then)."""
    deadline = time.monotonic() + CYCLE_TIMEOUT
    while acknowledged_count(tally) < target:
        if not writer.is_alive() or time.monotonic() > deadline:
            raise AssertionError(f"no acknowledgement within {CYCLE_TIMEOUT:g} s")
        time.sleep(0.005)


def kill_cycles(
    server: LiveServer, product_id: int, kills: int, tally: Tally, lane: int, timed: bool
) -> None:
    """Kill `server` `kills` times while a writer posts to it: when `timed`, a random 50–600 ms
    after the cycle's first acknowledged entry (waiting for one first: on a loaded machine a
    restarted server's first write can take longer than 600 ms, and killing before any write
    lands would test nothing); else right after 1–3 more acknowledged entries (deterministic)."""
    rng = random.Random(lane)
    for _ in range(kills):
        writer = Writer(server.url, product_id, tally, lane)
        writer.start()
        if timed:  # at a random moment of a write loop that is known to be under way
            wait_for_acknowledgements(tally, writer, acknowledged_count(tally) + 1)
            time.sleep(rng.uniform(0.05, 0.6))
        else:
            wait_for_acknowledgements(tally, writer, acknowledged_count(tally) + rng.randint(1, 3))
        server.kill()
        writer.join(timeout=CYCLE_TIMEOUT)
        if writer.is_alive():
            raise AssertionError(
                f"lane {lane}: a writer still runs {CYCLE_TIMEOUT:g} s after a kill"
            )
        with tally.lock:
            tally.kills += 1
        tally.integrity_errors.extend(check_integrity(server.db_url))
        if tally.kills % PROGRESS_EVERY == 0:
            print(
                f"progress {time.strftime('%H:%M:%S')}: {tally.kills} kills, "
                f"{acknowledged_count(tally)} acknowledged, "
                f"{len(tally.integrity_errors)} integrity errors",
                flush=True,
            )
        server.start()


class Lane(threading.Thread):
    """One lane's kill cycles in a thread that keeps its exception for the test to raise."""

    def __init__(self, *args: Any) -> None:
        super().__init__(daemon=True)
        self.args = args
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            kill_cycles(*self.args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread, re-raised there
            self.error = exc


def run_lanes(lanes: list[Lane], kills: int) -> None:
    """Start the lanes and wait for them, each with a bound: a stuck lane fails the test with a
    message instead of hanging the run."""
    for lane in lanes:
        lane.start()
    deadline = time.monotonic() + CYCLE_TIMEOUT * (kills + 1)
    for lane in lanes:
        lane.join(timeout=max(0.0, deadline - time.monotonic()))
        if lane.is_alive():
            pytest.fail(f"a kill-cycle lane did not finish {kills} kills in time; stopped waiting")
        if lane.error is not None:
            raise lane.error


def lost_entries(url: str, tally: Tally) -> list[str]:
    engine = sa.create_engine(url)
    lost: list[str] = []
    with engine.connect() as conn:
        for table, acked in tally.acknowledged.items():
            rows = conn.exec_driver_sql(f"SELECT id, note FROM {table}")
            stored = {row[0]: row[1] for row in rows}
            lost.extend(f"{table} {i}" for i, token in acked.items() if stored.get(i) != token)
    engine.dispose()
    return lost


def run_suite(
    start: Callable[..., LiveServer],
    zygote: Zygote,
    url: str | None,
    kills: int,
    imports: int,
    lanes: int,
    timed: bool = True,
) -> tuple[Tally, list[str]]:
    """`lanes` servers share one journal (several processes writing one SQLite file), each
    killed `kills / lanes` times; bulk imports are killed first, while nothing else writes."""
    tally = Tally()
    servers = [start(database_url=url, zygote=zygote)]
    db = servers[0].db_url
    servers += [start(database_url=db, zygote=zygote) for _ in range(lanes - 1)]
    products = [add_product(s.url) for s in servers]
    api_products = set(products)
    importer = Importer(servers[0], api_products)
    duration = importer.calibrate()
    csv = CsvImporter(servers[0], servers[0].data_dir.parent)
    csv_duration = csv.calibrate()
    rng = random.Random(8)
    for done in range(1, imports + 1):
        importer.kill_one(rng, duration, tally)
        csv.kill_one(rng, csv_duration, tally)
        if done % 10 == 0:
            print(
                f"progress {time.strftime('%H:%M:%S')}: {done} bulk-import kills each", flush=True
            )
    lanes_ = [
        Lane(s, products[lane], kills // lanes, tally, lane, timed)
        for lane, s in enumerate(servers)
    ]
    run_lanes(lanes_, kills // lanes)
    tally.integrity_errors.extend(check_integrity(db))
    return tally, lost_entries(db, tally)


def report(figure: Callable[[str], None], name: str, tally: Tally, lost: list[str]) -> int:
    acknowledged = sum(len(a) for a in tally.acknowledged.values())
    figure(
        f"{name}: kills {tally.kills} (+{tally.import_kills} demo-import and "
        f"{tally.csv_kills} CSV-import kills; {tally.imports_committed} and {tally.csv_committed}"
        f" committed before the kill), acknowledged {acknowledged}, "
        f"lost {len(lost)}, integrity errors {len(tally.integrity_errors)}, "
        f"partial imports {tally.partial_imports}"
    )
    return acknowledged


def assert_nothing_lost(
    acknowledged: int, tally: Tally, lost: list[str], kills: int, at_least: int
) -> None:
    assert tally.kills == kills
    assert acknowledged >= at_least
    assert lost == []
    assert tally.integrity_errors == []
    assert tally.partial_imports == 0


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_no_acknowledged_entry_is_lost_when_the_server_is_killed_at_random_moments(
    backend: str,
    request: pytest.FixtureRequest,
    live_server: Callable[..., LiveServer],
    zygote: Zygote,
    full: bool,
    figure: Callable[[str], None],
) -> None:
    """The long run (1,000 kills at random moments, two servers on one journal): `make
    reliability` only, since random timing on a loaded machine makes it slow and noisy."""
    if not full:
        pytest.skip("1,000 random kills run under `make reliability` (--full)")
    url = request.getfixturevalue("pg_schema_url") if backend == "postgresql" else None
    imports = int(request.config.getoption("--import-kills"))
    tally, lost = run_suite(live_server, zygote, url, kills=1000, imports=imports, lanes=2)
    assert_nothing_lost(report(figure, backend, tally, lost), tally, lost, 1000, 1000 // 2 + 1)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_no_acknowledged_entry_is_lost_when_the_server_is_killed_right_after_acknowledging(
    backend: str,
    request: pytest.FixtureRequest,
    live_server: Callable[..., LiveServer],
    zygote: Zygote,
    figure: Callable[[str], None],
) -> None:
    """The quick, deterministic run in `make test`: each kill lands right after 1–3 further
    acknowledgements, so the count of acknowledged entries does not depend on machine load."""
    url = request.getfixturevalue("pg_schema_url") if backend == "postgresql" else None
    tally, lost = run_suite(live_server, zygote, url, kills=12, imports=1, lanes=1, timed=False)
    acknowledged = report(figure, f"{backend} (quick)", tally, lost)
    assert_nothing_lost(acknowledged, tally, lost, 12, 12)


def test_integrity_check_reports_a_corrupted_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\x07" * 8192
    path.write_bytes(bytes(data))
    assert check_integrity(f"sqlite:///{path}") != []


def test_a_zygote_that_never_answers_fails_the_spawn_with_a_message_instead_of_hanging(
    tmp_path: Path,
) -> None:
    silent = Zygote(
        "import sys, time\nprint('ready', flush=True)\n"
        "for line in sys.stdin:\n    time.sleep(60)\n",
        timeout=0.5,
    )
    started = time.monotonic()
    with pytest.raises(ZygoteError, match=r"did not answer within 0\.5 s"):
        silent.spawn(1, tmp_path / "log", {})
    silent.close()
    assert time.monotonic() - started < 10


def test_a_zygote_that_exits_fails_the_spawn_with_its_exit_code(tmp_path: Path) -> None:
    dead = Zygote("import sys\nprint('ready', flush=True)\nsys.stdin.readline()\nsys.exit(3)\n")
    with pytest.raises(ZygoteError, match="the zygote exited"):
        dead.spawn(1, tmp_path / "log", {})
    dead.close()


def test_a_zygote_that_never_gets_ready_fails_the_first_spawn_with_a_message(
    tmp_path: Path,
) -> None:
    stuck = Zygote("import time\ntime.sleep(60)\n", ready=0.5)
    with pytest.raises(ZygoteError, match=r"did not answer within 0\.5 s"):
        stuck.spawn(1, tmp_path / "log", {})
    stuck.close()


def test_two_lanes_spawning_at_once_each_get_their_own_reply(tmp_path: Path) -> None:
    echo = Zygote(
        "import sys, time\nprint('ready', flush=True)\n"
        "for line in sys.stdin:\n    time.sleep(0.05)\n"
        "    print(line.split('\\t')[0], flush=True)\n"
    )
    replies: dict[int, int] = {}

    def ask(port: int) -> None:
        replies[port] = echo.spawn(port, tmp_path / "log", {})

    threads = [threading.Thread(target=ask, args=(port,)) for port in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    echo.close()
    assert replies == {port: port for port in range(1, 9)}
