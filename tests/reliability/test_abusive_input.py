"""Abusive input: oversized bodies, absurd pagination, deeply nested JSON, very long strings,
control characters, HTML/script in every text field, far-past and far-future dates, non-UTF-8
form and CSV input. Each must get a 4xx (or a clear CLI message), never a 5xx; script must come
back escaped in every page and in the report; and the server's memory must stay bounded.

`ABUSES` is the list to extend as endpoints land: (method, path, keyword arguments for httpx).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from tests.reliability.conftest import LiveServer

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CONTROL = "a\x00b\x01c\x07d\x1be\x7ff\u202eg\ufeffh"
DEEP = "[" * 100_000 + "]" * 100_000
TEXT_FIELDS: dict[str, dict[str, Any]] = {
    "products": {"form": "leaf_powder", "name": "", "vendor": "", "lot": "", "notes": ""},
    "uses": {"amount": 2, "unit": "g", "note": ""},
    "checkins": {"mood": 5, "note": ""},
    "medications": {"name": "", "dose_text": "", "note": ""},
    "effects": {"effect": "other", "severity": 2, "other_text": "", "note": ""},
    "vitals": {"heart_rate": 70, "note": ""},
}
JSON = {"content-type": "application/json"}


def abuses(product_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    huge = 10**30
    dates = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1900-01-01T00:00:00+14:00"]
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/v1/checkins", {"content": b"{" + b" " * 3_000_000 + b"}", "headers": JSON}),
        ("POST", "/api/v1/checkins", {"content": DEEP.encode(), "headers": JSON}),
        (
            "POST",
            "/api/v1/checkins",
            {"content": b'{"mood": 5, "note": "\xff\xfe"}', "headers": JSON},
        ),
        ("POST", "/api/v1/checkins", {"json": {"mood": 5, "note": "x" * 900_000}}),
        ("POST", "/api/v1/products", {"json": {"form": "other", "name": "n" * 100_000}}),
        ("POST", "/api/v1/checkins", {"json": {"mood": huge}}),
        ("POST", "/api/v1/checkins", {"json": {"mood": -(10**6), "tz": "Mars/Olympus"}}),
        ("POST", "/api/v1/uses", {"json": {"product_id": huge, "amount": 1e308, "unit": "g"}}),
        ("POST", "/api/v1/uses", {"json": {"product_id": product_id, "amount": -1, "unit": "g"}}),
        ("POST", "/checkins/new", {"content": b"mood=5&note=%ff%fe\xff", "headers": FORM}),
        ("POST", "/checkins/new", {"data": {"mood": "9" * 5000, "recorded_at": "99999-01-01"}}),
    ]
    for path in ("/api/v1/uses", "/api/v1/checkins", "/api/v1/responses"):
        for query in (f"limit={huge}", "limit=-1", "offset=-5", f"offset={huge}", "limit=abc"):
            out.append(("GET", f"{path}?{query}", {}))
    for query in (f"days={huge}", "days=-3", "days=0", "kind=%00%ff"):
        out.append(("GET", f"/api/v1/history?{query}", {}))
        out.append(("GET", f"/history?{query}", {}))
    for when in dates:
        out.append(("POST", "/api/v1/checkins", {"json": {"mood": 5, "recorded_at": when}}))
        use = {"product_id": product_id, "amount": 2, "unit": "g", "taken_at": when}
        out.append(("POST", "/api/v1/uses", {"json": use}))
    for path in (f"/api/v1/uses/{huge}", f"/uses/{huge}/edit", "/uses/-1/delete", "/%00/new"):
        out.append(("GET", path, {}))
    return out


FORM = {"content-type": "application/x-www-form-urlencoded"}


def add_product(client: TestClient | httpx.Client) -> int:
    response = client.post("/api/v1/products", json={"name": "Leaf", "form": "leaf_powder"})
    assert response.status_code == 201, response.text
    product_id: int = response.json()["id"]
    return product_id


def fire(client: TestClient | httpx.Client, product_id: int) -> dict[int, int]:
    """Send every abuse; the status counts. Any 5xx fails with the request that caused it."""
    statuses: dict[int, int] = {}
    for method, path, kwargs in abuses(product_id):
        response = client.request(method, path, **kwargs)
        assert response.status_code < 500, f"{method} {path} -> {response.status_code}"
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return statuses


def test_abusive_requests_get_client_errors_never_server_errors(
    client: TestClient, figure: Callable[[str], None], database_url: str
) -> None:
    product_id = add_product(client)
    statuses = fire(client, product_id)
    backend = database_url.split(":", 1)[0]
    figure(f"{backend}: {sum(statuses.values())} abusive requests, statuses {sorted(statuses)}")
    assert set(statuses) <= {200, 303, 400, 404, 413, 422}
    assert statuses[413] >= 1
    assert statuses[422] >= 20


@pytest.mark.parametrize("path", ["/api/v1/uses/{}", "/api/v1/checkins/{}", "/products/{}/edit"])
def test_an_id_beyond_64_bits_is_not_found_rather_than_a_server_error(
    client: TestClient, path: str
) -> None:
    response = client.get(path.format(2**63))
    assert response.status_code == 404
    assert f"id {2**63}" in response.text
    assert client.delete(f"/api/v1/products/{-(2**64)}").status_code == 404


def test_control_characters_are_kept_or_refused_never_a_server_error(client: TestClient) -> None:
    response = client.post("/api/v1/checkins", json={"mood": 5, "note": CONTROL})
    assert response.status_code in {201, 422}, response.text
    if response.status_code == 201:
        stored = client.get(f"/api/v1/checkins/{response.json()['id']}").json()
        assert stored["note"] in {CONTROL, CONTROL.replace("\x00", "")}


def test_script_in_every_text_field_comes_back_escaped_in_every_page(client: TestClient) -> None:
    product_id = add_product(client)
    ids: dict[str, int] = {}
    for kind, body in TEXT_FIELDS.items():
        values = {k: (SCRIPT if v == "" else v) for k, v in body.items()}
        if kind == "uses":
            values["product_id"] = product_id
        response = client.post(f"/api/v1/{kind}", json=values)
        assert response.status_code == 201, (kind, response.text)
        ids[kind] = response.json()["id"]
    pages = ["/", "/history", "/report/preview", *[f"/{k}" for k in TEXT_FIELDS]]
    pages += [f"/{k}/{i}/edit" for k, i in ids.items()]
    pages += [f"/{k}/{i}/delete" for k, i in ids.items()]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "<script>alert" not in response.text, page
        assert "<img src=x" not in response.text, page


def test_a_non_utf8_csv_import_gets_a_clear_message(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "tracker.csv"
    bad.write_bytes(b"date,time,amount,unit\n2026-11-01,08:00,2,g \xff\xfe\x80\n")
    result = cli("import", str(bad))
    assert result.exit_code == 2, result.stdout
    assert "UTF-8" in result.stderr or "utf-8" in result.stderr


@pytest.mark.slow
def test_server_memory_stays_bounded_under_repeated_abuse(
    live_server: Callable[..., LiveServer], figure: Callable[[str], None], full: bool
) -> None:
    server = live_server()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        product_id = add_product(client)
        fire(client, product_id)
        before = server.rss_kib()
        rounds = 20 if full else 4
        for _ in range(rounds):
            fire(client, product_id)
        after = server.rss_kib()
    figure(
        f"server RSS {before / 1024:.0f} MiB -> {after / 1024:.0f} MiB after {rounds} more "
        f"rounds of {len(abuses(product_id))} abusive requests"
    )
    assert after - before < 64 * 1024


def test_the_deep_json_payload_is_really_deep() -> None:
    with pytest.raises(RecursionError):
        json.loads(DEEP)
