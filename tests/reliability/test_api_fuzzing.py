"""API fuzzing: schemathesis generates requests for every operation of the live OpenAPI schema and
runs its checks on every response (no server error, response conforms to its schema, status code
and content type documented, ...). Figure: generated requests, operations covered, failures (0).

The schema is fetched from a real `mitra serve`, so new endpoints are fuzzed as soon as they land.
Quick run: a few examples per operation; `--full`: 100.

One built-in check is replaced: `positive_data_acceptance` expects every schema-valid request to
succeed, but Mitra's domain has rules JSON Schema cannot state (at least one rating in a check-in,
a name that is not blank, a time not in the future); those answer 422, documented on every
operation, and this suite checks instead that each 422 names the field at fault.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import hypothesis
import schemathesis
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance
from tests.reliability.conftest import LiveServer

MAX_EXAMPLES = 100 if "--full" in sys.argv else 8


def fuzz_operation(
    operation: Any,
    base_url: str,
    stats: dict[str, Any],
    headers: dict[str, str] | None = None,
    max_examples: int = MAX_EXAMPLES,
) -> None:
    """Run `max_examples` generated cases of one operation; a failure is recorded, not raised."""

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        stats["requests"] += 1
        response = case.call_and_validate(
            base_url=base_url,
            headers=headers,
            timeout=30,
            excluded_checks=[positive_data_acceptance],
        )
        if response.status_code == 422:  # our stand-in for positive_data_acceptance
            assert all(problem["loc"] for problem in response.json()["detail"]), response.text
        stats["statuses"][response.status_code] = stats["statuses"].get(response.status_code, 0) + 1

    stats["operations"].add(operation.label)
    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported, then the test fails
        stats["failures"].append(f"{operation.label}: {str(exc)[:600]}")


def test_every_api_operation_answers_within_its_schema(
    live_server: Callable[..., LiveServer], figure: Callable[[str], None]
) -> None:
    server = live_server()
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    stats: dict[str, Any] = {"requests": 0, "operations": set(), "failures": [], "statuses": {}}
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            fuzz_operation(result.ok(), server.url, stats)
        else:
            stats["failures"].append(f"operation the schema does not define properly: {result}")
    figure(
        f"schemathesis: {stats['requests']} generated requests, "
        f"{len(stats['operations'])} operations covered, {len(stats['failures'])} failures; "
        f"statuses {dict(sorted(stats['statuses'].items()))}"
    )
    assert len(stats["operations"]) >= 30
    assert stats["failures"] == [], "\n\n".join(stats["failures"])
