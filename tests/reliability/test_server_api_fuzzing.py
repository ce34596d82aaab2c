"""Issue #20: schemathesis against the server-mode API, signed in with an API token: every
operation of the live schema, 0 server errors and every answer within its schema (the checks of
test_api_fuzzing.py). Quick run in `make test`: 3 examples per operation; `--full`: 100.

Revoking API tokens is fuzzed with a second token's id space only: the run's own token is made
first (id 1 on a fresh server), and generated ids that are its id are replaced, so the run never
signs itself out half-way."""

from __future__ import annotations

import http.cookiejar
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.core.result import Ok
from tests.reliability.conftest import free_port
from tests.reliability.test_api_fuzzing import fuzz_operation

PASSWORD = "a long walk by the river"
QUICK_EXAMPLES = 3
FULL_EXAMPLES = 100


@pytest.fixture
def server_mode(tmp_path: Path) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    port = free_port()
    env |= {
        "MITRA_DATA_DIR": str(tmp_path / "data"),
        "MITRA_TIMEZONE": "UTC",
        "MITRA_SERVER": "true",
        "MITRA_LOOPBACK_ONLY": "true",
        "MITRA_PORT": str(port),
    }
    db = os.environ.get("MITRA_FUZZ_DATABASE_URL")
    if db:
        env["MITRA_DATABASE_URL"] = db
    added = subprocess.run(
        [sys.executable, "-m", "mitra", "accounts", "add", "ana"],
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n".encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mitra", "serve", "--server"], env=env, stdout=out, stderr=out
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(url, server, log)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    import time
    import urllib.error

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(log.read_text())
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(log.read_text())


def _api_token(url: str) -> str:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def post(path: str, body: dict[str, str]) -> bytes:
        request = urllib.request.Request(
            f"{url}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Origin": url},
        )
        with opener.open(request, timeout=10) as answer:
            return bytes(answer.read())

    post("/api/v1/session", {"name": "ana", "password": PASSWORD})
    made = json.loads(post("/api/v1/tokens", {"label": "schemathesis"}))
    assert made["id"] == 1
    return str(made["token"])


def test_the_server_mode_api_signed_in_with_a_token_has_no_server_errors(
    server_mode: str, full: bool, figure: Callable[[str], None]
) -> None:
    token = _api_token(server_mode)
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(f"{server_mode}/api/v1/openapi.json", headers=headers)

    @schema.hook
    def map_path_parameters(_context: Any, path_parameters: dict[str, Any] | None) -> Any:
        if path_parameters and path_parameters.get("token_id") == 1:  # keep the run's own token
            return {**path_parameters, "token_id": 2}
        return path_parameters

    stats: dict[str, Any] = {"requests": 0, "operations": set(), "failures": [], "statuses": {}}
    examples = FULL_EXAMPLES if full else QUICK_EXAMPLES
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            fuzz_operation(result.ok(), server_mode, stats, headers, examples)
        else:
            stats["failures"].append(f"operation the schema does not define properly: {result}")
    figure(
        f"schemathesis (server mode, API token): {stats['requests']} generated requests, "
        f"{len(stats['operations'])} operations covered, {len(stats['failures'])} failures; "
        f"statuses {dict(sorted(stats['statuses'].items()))}"
    )
    assert 500 not in stats["statuses"]
    assert "POST /api/v1/tokens" in stats["operations"]
    assert len(stats["operations"]) >= 30
    assert stats["failures"] == [], "\n\n".join(stats["failures"])
