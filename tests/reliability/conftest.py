"""Reliability suites: quick versions run in `make test`; `make reliability` passes `--full`.

Every suite records the figures it measured with the `figure` fixture; they are printed together
at the end of the run (a terminal-summary section), whatever pytest's own output options are.
Servers are real `python -m mitra serve` subprocesses on free loopback ports, so a SIGKILL, a
full disk or a locked file hits the same process a user runs. Mitra answers only requests carrying
its per-install login secret: a started server's `url` holds it as HTTP Basic credentials
(`http://mitra:<secret>@127.0.0.1:<port>`), which httpx sends with every request.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from tests.servers import free_port

START_TIMEOUT = 30.0
SPAWN_TIMEOUT = 30.0  # a zygote answers a fork request in milliseconds; 30 s means it is stuck
READY_TIMEOUT = 300.0  # its first start imports everything: minutes on a heavily loaded machine
FIGURES: list[tuple[str, str]] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        default=False,
        help="Run the full reliability suites (1,000 kills, more fuzzing); `make reliability`.",
    )
    parser.addoption(
        "--import-kills",
        type=int,
        default=100,
        help="Kills of each bulk writer in the full crash run (default 100; fewer reaches the "
        "server kills sooner on a slow machine).",
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.write_sep("=", "Mitra reliability figures")
    for nodeid, text in FIGURES:
        terminalreporter.write_line(f"{nodeid.rsplit('/', 1)[-1]}: {text}")


@pytest.fixture
def full(request: pytest.FixtureRequest) -> bool:
    """True under `make reliability` (`pytest tests/reliability --full`)."""
    return bool(request.config.getoption("--full", default=False))


@pytest.fixture
def figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record one line of figures for the end-of-run summary (and print it for -s runs)."""

    def record(text: str) -> None:
        FIGURES.append((request.node.nodeid, text))
        print(text)

    return record


ZYGOTE = """
import json, os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
from mitra.interfaces.cli import app as cli
import tempfile, uvicorn
from fastapi.testclient import TestClient
from mitra.interfaces.web.app import create_app
from mitra.settings import load_settings
cli.make_app()
with tempfile.TemporaryDirectory() as folder:  # warm up: lazy imports happen once, here
    app = create_app(load_settings(data_dir=folder, timezone="UTC"))
    auth = {"Authorization": "Bearer " + app.state.login.secret}
    with TestClient(app, base_url="http://127.0.0.1", headers=auth) as client:
        client.get("/api/v1/checkins"), client.post("/api/v1/checkins", json={"mood": 1})
print("ready", flush=True)
for line in sys.stdin:
    port, log, env = line.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(fd, 1), os.dup2(fd, 2)
        os.environ.clear(), os.environ.update(json.loads(env))
        sys.argv = ["mitra", "serve", "--port", port]
        try:
            cli.main()
        finally:
            os._exit(0)
    print(pid, flush=True)
"""


class ZygoteError(RuntimeError):
    """The zygote did not answer a fork request in time, or died."""


class Zygote:
    """A process that imported Mitra once and forks `mitra serve` children on request.

    Each child runs the CLI's own `main()` exactly as `python -m mitra serve` does, only without
    paying Python's imports again, so a crash suite can afford a thousand restarts. Requests are
    serialised by a lock (lanes run in threads and share the pipes, so otherwise one thread could
    read another's reply and kill the wrong server), and every reply is awaited with a timeout.
    """

    def __init__(
        self, script: str = ZYGOTE, timeout: float = SPAWN_TIMEOUT, ready: float = READY_TIMEOUT
    ) -> None:
        self.timeout, self.ready_timeout = timeout, ready
        self.process = subprocess.Popen(
            [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )
        self.lock = threading.Lock()
        self.ready = False

    def spawn(self, port: int, log: Path, env: dict[str, str]) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        if not self.lock.acquire(timeout=self.ready_timeout + self.timeout):
            raise ZygoteError("waited too long for another lane's spawn")
        try:
            if not self.ready:
                reply = self._read_line(self.process.stdout.fileno(), self.ready_timeout)
                if reply != b"ready\n":
                    raise ZygoteError(f"the zygote said {reply!r} instead of ready")
                self.ready = True
            self.process.stdin.write(f"{port}\t{log}\t{json.dumps(env)}\n".encode())
            return int(self._read_line(self.process.stdout.fileno(), self.timeout))
        finally:
            self.lock.release()

    def _read_line(self, fd: int, timeout: float) -> bytes:
        """One reply line, or ZygoteError after `timeout` (the pipe is unbuffered, so no reply
        can hide in a buffer that `select` does not see)."""
        reply, deadline = b"", time.monotonic() + timeout
        while not reply.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise ZygoteError(f"the zygote did not answer within {timeout:g} s")
            chunk = os.read(fd, 64)
            if not chunk:
                raise ZygoteError(f"the zygote exited (code {self.process.poll()})")
            reply += chunk
        return reply

    def close(self) -> None:
        self.process.kill()
        self.process.communicate(timeout=10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class LiveServer:
    """One `mitra serve` process (a subprocess, or a zygote's child); can be killed and started
    again on the same data."""

    data_dir: Path
    database_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    zygote: Zygote | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    pid: int = 0
    starts: int = 0

    @property
    def url(self) -> str:
        """The server's address, with its login secret as credentials once it has made one."""
        secret = self.secret
        return f"http://mitra:{secret}@127.0.0.1:{self.port}" if secret else self.plain_url

    @property
    def plain_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def secret(self) -> str:
        """The login secret `mitra serve` keeps in the data folder ("" before the first start)."""
        path = self.data_dir / "web-login.secret"
        return path.read_text().strip() if path.exists() else ""

    @property
    def log(self) -> Path:
        return self.data_dir.parent / f"server-{self.port}.log"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'mitra.db'}"

    def full_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
        env |= {"MITRA_DATA_DIR": str(self.data_dir), "MITRA_TIMEZONE": "Europe/London"}
        if self.database_url:
            env["MITRA_DATABASE_URL"] = self.database_url
        return env | self.env

    def start(self) -> LiveServer:
        if self.zygote is not None:
            self.pid = self.zygote.spawn(self.port, self.log, self.full_env())
        else:
            command = [sys.executable, "-m", "mitra", "serve", "--port", str(self.port)]
            with self.log.open("ab") as out:
                self.process = subprocess.Popen(
                    command, env=self.full_env(), stdout=out, stderr=subprocess.STDOUT
                )
            self.pid = self.process.pid
        self.starts += 1
        self._wait_until_answering()
        return self

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return self.pid > 0 and _alive(self.pid)

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive():
                pytest.fail(f"mitra serve exited:\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/api/v1/products?limit=1", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.01)
        pytest.fail(f"mitra serve did not answer within {START_TIMEOUT:g} s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no rollback; what a power cut does."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, number: int) -> None:
        if not self.alive():
            return
        os.kill(self.pid, number)
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            return
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS line")  # pragma: no cover - Linux always has it


@pytest.fixture(scope="session")
def zygote() -> Iterator[Zygote]:
    forker = Zygote()
    yield forker
    forker.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers on fresh data dirs: `live_server(database_url=None, env={...}, zygote=None)`;
    with a `zygote`, servers are forked from it (fast restarts for the crash suite)."""
    started: list[LiveServer] = []

    def start(
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        zygote: Zygote | None = None,
    ) -> LiveServer:
        data_dir = tmp_path / f"data{len(started)}"
        data_dir.mkdir(parents=True, exist_ok=True)
        server = LiveServer(data_dir, database_url, env or {}, zygote)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A schema of its own in the run's private PostgreSQL database (`pg_url` from
    tests/conftest.py), so a suite's tables and counts are its own."""
    schema = f"rel_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()
