"""Server mode at scale (issue #20): many journals on one PostgreSQL, 50 concurrent sessions.

1. A private database on BENCH_DATABASE_URL (else MITRA_TEST_DATABASE_URL) gets one demo journal
   (BENCH_DAYS days, default 365) seeded through the services, and an account for it.
2. Baseline, a single-journal server: `mitra serve --server` on that database; 50 sessions of
   that account; wrk with 50 connections, each request using the next session's cookie.
3. A copy of the database made before step 2 (so without the baseline's own writes) is grown
   to BENCH_JOURNALS more journals (default 1,000): each a copy of the demo
   journal's rows with new ids and its own journal_id (INSERT ... SELECT per table, as the
   owner), then ANALYZE; 50 accounts each own one of them, one session each.
4. The same requests against the same server, now reading 50 different journals among many.

Requests: Home (`GET /`) and a dose write (`POST /api/v1/uses`, with its safety evaluation). Each
is run flat out on the baseline first (its throughput), then paced to half of that on both sides
(the same offered load); the ratio is subject p99 / baseline p99, target <= 1.5x. BENCH_CLUSTER=1
orders each journal table by journal (CLUSTER … USING ix_<table>_journal_id) before measuring.
The server and wrk are pinned to different cores (taskset). A few minutes; `make bench-server`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.timing import report
from mitra.adapters.auth import secrets as auth
from mitra.adapters.store import accounts as accounts_store
from mitra.adapters.store import tables as t
from mitra.adapters.store.engine import build_engine
from mitra.services.context import open_mitra
from mitra.services.demo import seed_demo
from mitra.settings import load_settings

JOURNALS = int(os.environ.get("BENCH_JOURNALS", "1000"))
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CLUSTER = os.environ.get("BENCH_CLUSTER", "") == "1"
SESSIONS = 50
PASSWORD = "a long walk by the river"
SERVER_CPU, CLIENT_CPU = "0", "1"
TARGET = 1.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _database() -> tuple[str, sa.Engine, str]:
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("MITRA_TEST_DATABASE_URL")
    if not server:
        raise SystemExit("set BENCH_DATABASE_URL (or MITRA_TEST_DATABASE_URL) to a PostgreSQL")
    name = f"mitra_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(sa.make_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    return url, admin, name


def _offset(conn: sa.Connection) -> int:
    highest = 0
    for table in t.JOURNAL_TABLES:
        if "id" in table.c:
            found = conn.execute(sa.select(sa.func.max(table.c.id))).scalar()
            highest = max(highest, int(found or 0))
    return highest + 1


def _references_a_journal_table(column: sa.Column[Any]) -> bool:
    return any(
        fk.column.table.info.get(t.PER_JOURNAL) and fk.column.name == "id"
        for fk in column.foreign_keys
    )


def grow(engine: sa.Engine, count: int) -> int:
    """`count` more journals (ids 2..count+1), each a copy of journal 1's rows; the id offset."""
    started = time.perf_counter()
    with engine.begin() as conn:
        offset = _offset(conn)
        conn.exec_driver_sql(
            "INSERT INTO journals (id, label, created_at) OVERRIDING SYSTEM VALUE "
            "SELECT g, 'bench-' || g, now() FROM generate_series(2, %(last)s) AS g",
            {"last": count + 1},
        )
        for table in [*t.metadata.sorted_tables]:
            if not table.info.get(t.PER_JOURNAL) and table is not t.preferences:
                continue
            names, values = ["journal_id"], ["g"]
            for column in t.data_columns(table):
                names.append(column.name)
                if column.name == "id" or _references_a_journal_table(column):
                    values.append(f"src.{column.name} + g * {offset}")
                else:
                    values.append(f"src.{column.name}")
            identity = " OVERRIDING SYSTEM VALUE" if "id" in table.c else ""
            conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}){identity} "
                f"SELECT {', '.join(values)} FROM {table.name} AS src "
                f"CROSS JOIN generate_series(2, {count + 1}) AS g WHERE src.journal_id = 1"
            )
        for table in [t.journals, *t.JOURNAL_TABLES]:
            if "id" in table.c:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table.name}))"
                )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if CLUSTER:  # each journal's rows together on disk, as one journal's are
            for table in t.JOURNAL_TABLES:
                conn.exec_driver_sql(f"CLUSTER {table.name} USING ix_{table.name}_journal_id")
        conn.exec_driver_sql("ANALYZE")
    print(f"grew to {count + 1} journals in {time.perf_counter() - started:.0f} s")
    return offset


def add_accounts(engine: sa.Engine, journal_ids: list[int], prefix: str) -> list[str]:
    hashed = auth.hash_password(PASSWORD)
    names = [f"{prefix}{n}" for n in range(len(journal_ids))]
    with engine.begin() as conn:
        for name, journal_id in zip(names, journal_ids, strict=True):
            accounts_store.add(conn, name, hashed, journal_id, datetime.now(UTC))
    return names


def _session(url: str, name: str) -> str:
    request = urllib.request.Request(
        f"{url}/api/v1/session",
        data=f'{{"name": "{name}", "password": "{PASSWORD}"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        cookie = answer.headers["set-cookie"].split(";", 1)[0]
    return str(cookie)


def _serve(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    env |= {
        "MITRA_DATABASE_URL": url,
        "MITRA_DATA_DIR": str(folder),
        "MITRA_SERVER": "true",
        "MITRA_LOOPBACK_ONLY": "true",
        "MITRA_TIMEZONE": "Europe/London",
    }
    command = [sys.executable, "-m", "mitra", "serve", "--server", "--port", str(port)]
    server = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *command], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=1):
                return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("mitra serve --server did not start")


def _lua(cookies: list[str], bodies: list[str] | None, rate: float) -> str:
    quoted = ", ".join(f'"{cookie}"' for cookie in cookies)
    lua = f"local cookies = {{{quoted}}}\nlocal i = 0\n"
    if bodies is not None:
        lua += "local bodies = {" + ", ".join(f"'{body}'" for body in bodies) + "}\n"
    lua += "request = function()\n  i = i + 1\n  local k = (i % #cookies) + 1\n"
    if bodies is not None:
        lua += (
            '  return wrk.format("POST", nil, {["Cookie"] = cookies[k], '
            '["Content-Type"] = "application/json"}, bodies[(i % #bodies) + 1])\n'
        )
    else:
        lua += '  return wrk.format("GET", nil, {["Cookie"] = cookies[k]})\n'
    lua += "end\n"
    lua += (
        "local shown = false\nresponse = function(status, headers, body)\n"
        "  if status >= 300 and not shown then shown = true; print(status, body) end\nend\n"
    )
    if rate:
        lua += f"function delay() return {SESSIONS * 1000 / rate:.2f} end\n"
    return lua


def _check(target: str, cookie: str, body: str | None) -> None:
    """One request as wrk will send it: it must succeed (else the figures measure an error)."""
    request = urllib.request.Request(
        target,
        data=None if body is None else body.encode(),
        headers={"Cookie": cookie, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status in (200, 201), answer.status
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{target}: {exc.code} {exc.read()[:300]!r}") from None


def _wrk(url: str, lua: str, folder: Path) -> dict[str, float]:
    script = folder / "server_load.lua"
    script.write_text(lua)
    command = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{SESSIONS}", f"-d{SECONDS}s"]
    command += ["--timeout", "30s", "--latency", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    assert rps is not None and p99 is not None, out
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert bad is None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return {"rps": float(rps.group(1)), "p99_ms": float(p99.group(1)) * scale}


def _requests(base: str, write_bodies: list[str]) -> dict[str, tuple[str, list[str] | None]]:
    return {"Home (GET /)": (f"{base}/", None), "dose write": (f"{base}/api/v1/uses", write_bodies)}


def run() -> None:
    url, admin, name = _database()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            settings = load_settings(data_dir=folder, database_url=url, timezone="Europe/London")
            mitra = open_mitra(settings)
            started = time.perf_counter()
            seed_demo(mitra, days=DAYS, seed=5)
            print(
                f"seeded one demo journal of {DAYS} days in {time.perf_counter() - started:.0f} s"
            )
            engine = mitra.store.engine
            with engine.connect() as conn:
                product, unit = conn.execute(
                    sa.select(t.use_events.c.product_id, t.use_events.c.unit).limit(1)
                ).one()
            body = f'{{"product_id": {product}, "amount": 0.5, "unit": "{unit}"}}'
            (solo,) = add_accounts(engine, [1], "solo")
            # The many-journal side starts from this same untouched journal (the baseline's own
            # dose writes must not be copied into every journal): a copy of the database now.
            engine.dispose()
            many_name = f"{name}_many"
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{many_name}" TEMPLATE "{name}"')
            many_url = (
                sa.make_url(url).set(database=many_name).render_as_string(hide_password=False)
            )
            server, base = _serve(url, folder)
            results: dict[str, dict[str, float]] = {}
            try:
                cookies = [_session(base, solo) for _ in range(SESSIONS)]
                for cookie in cookies:  # every session's first page, before measuring
                    _check(f"{base}/", cookie, None)
                for label, (target, bodies) in _requests(base, [body]).items():
                    _check(target, cookies[0], None if bodies is None else bodies[0])
                    flat = _wrk(target, _lua(cookies, bodies, 0), folder)
                    paced = _wrk(target, _lua(cookies, bodies, flat["rps"] / 2), folder)
                    results[label] = {"flat_rps": flat["rps"], **paced}
            finally:
                server.terminate()
                server.wait(timeout=20)
            many = build_engine(many_url)
            offset = grow(many, JOURNALS)
            owned = list(range(2, 2 + min(SESSIONS, JOURNALS)))
            names = add_accounts(many, owned, "person")
            many.dispose()
            bodies = [body.replace(f": {product},", f": {product + j * offset},") for j in owned]
            server, base = _serve(many_url, folder)
            try:
                cookies = [_session(base, person) for person in names]
                for cookie in cookies:  # every session's first page, before measuring
                    _check(f"{base}/", cookie, None)
                for label, (target, sent) in _requests(base, bodies).items():
                    _check(target, cookies[0], None if sent is None else sent[0])
                    rate = results[label]["flat_rps"] / 2
                    flat = _wrk(target, _lua(cookies, sent, 0), folder)
                    paced = _wrk(target, _lua(cookies, sent, rate), folder)
                    print(
                        f"{label}: baseline (1 journal) flat out {results[label]['flat_rps']:.1f}"
                        f" req/s; paced at {rate:.1f} req/s: p99 {results[label]['p99_ms']:.0f}"
                        f" ms vs {paced['p99_ms']:.0f} ms with {JOURNALS + 1} journals"
                        f" (flat out {flat['rps']:.1f} req/s){' after CLUSTER' if CLUSTER else ''}"
                    )
                    report(
                        f"server mode, {SESSIONS} sessions, {label}, p99 with {JOURNALS + 1} "
                        "journals",
                        paced["p99_ms"],
                        results[label]["p99_ms"],
                        TARGET,
                        "ms",
                    )
            finally:
                server.terminate()
                server.wait(timeout=20)
            mitra.close()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}_many" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    run()
