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
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.core.result import Ok
from tests.reliability.test_api_fuzzing import fuzz_operation
from tests.servers import PASSWORD, add_account, server_env, server_mode

QUICK_EXAMPLES = 3
FULL_EXAMPLES = 100


@pytest.fixture
def server_mode_url(tmp_path: Path) -> Iterator[str]:
    """`mitra serve --server` (loopback only, UTC) with the account ana; on the PostgreSQL
    database `MITRA_FUZZ_DATABASE_URL` names, when set."""
    db = os.environ.get("MITRA_FUZZ_DATABASE_URL")
    database = {"MITRA_DATABASE_URL": db} if db else {}
    env = server_env(
        tmp_path / "data", MITRA_TIMEZONE="UTC", MITRA_LOOPBACK_ONLY="true", **database
    )
    add_account(env, "ana")
    with server_mode(env, tmp_path / "server.log") as url:
        yield url


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
    server_mode_url: str, full: bool, figure: Callable[[str], None]
) -> None:
    token = _api_token(server_mode_url)
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(
        f"{server_mode_url}/api/v1/openapi.json", headers=headers
    )

    @schema.hook
    def map_path_parameters(_context: Any, path_parameters: dict[str, Any] | None) -> Any:
        if path_parameters and path_parameters.get("token_id") == 1:  # keep the run's own token
            return {**path_parameters, "token_id": 2}
        return path_parameters

    stats: dict[str, Any] = {"requests": 0, "operations": set(), "failures": [], "statuses": {}}
    examples = FULL_EXAMPLES if full else QUICK_EXAMPLES
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            fuzz_operation(result.ok(), server_mode_url, stats, headers, examples)
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
