"""A real `mitra serve` in its own process on a free loopback port: one launcher for the tests
that need one (the browser tests, the Caddy test, the server-mode API fuzzing).

Each server gets the environment of this process without any `MITRA_*` variable, then its own
settings, so a developer's own settings never leak into a test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

PASSWORD = "a long walk by the river"  # every test account's password
START_TIMEOUT = 60.0  # seconds a server may take to answer (two shared cores under a full run)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any MITRA_* variable, then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    return env | settings


def server_env(data: Path, **settings: str) -> dict[str, str]:
    """A server-mode Mitra's environment: journals in `data`, London time, then `settings`."""
    mode = {"MITRA_DATA_DIR": str(data), "MITRA_TIMEZONE": "Europe/London", "MITRA_SERVER": "true"}
    return clean_env(**(mode | settings))


def add_account(env: Mapping[str, str], name: str) -> None:
    """`mitra accounts add NAME` with `PASSWORD`, as an administrator would type it."""
    done = subprocess.run(
        [sys.executable, "-m", "mitra", "accounts", "add", name],
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"Added account {name}" in done.stdout


def wait_until_answering(
    url: str,
    server: subprocess.Popen[bytes],
    log: Path,
    cookie: Mapping[str, object] | None = None,
) -> None:
    """Until `url` answers 200 (sending `cookie`); fails with the server's log if it exits or
    does not answer within `START_TIMEOUT`."""
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"} if cookie else {}
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mitra serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"mitra serve did not answer {url} within {START_TIMEOUT:g} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask `process` to end; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def server_mode(
    env: Mapping[str, str], log: Path, *options: str, port: int | None = None
) -> Iterator[str]:
    """`mitra serve --server [options]` with `env` on `port` (a free one when None), its output
    in `log`; its URL once its sign-in page answers, and stopped on exit."""
    port = free_port() if port is None else port
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mitra", "serve", "--server", "--port", str(port), *options],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(f"{url}/login", server, log)
            yield url
        finally:
            stop(server)
