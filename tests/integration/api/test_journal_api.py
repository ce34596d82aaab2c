"""The REST API and the pages' guards, through httpx against create_app(settings)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _product(client: TestClient) -> dict[str, Any]:
    response = client.post(
        "/api/v1/products",
        json={
            "name": "Red Bali",
            "form": "leaf_powder",
            "mitragynine_mg_per_g": 15,
            "custom_units": {"scoop": 2.5},
        },
    )
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def test_create_read_update_delete_a_use_event(client: TestClient) -> None:
    product = _product(client)
    assert product["custom_units"] == [["scoop", 2.5]]
    created = client.post(
        "/api/v1/uses",
        json={
            "product_id": product["id"],
            "amount": 2,
            "unit": "scoop",
            "taken_at": "2026-11-20T08:30:00+00:00",
        },
    )
    assert created.status_code == 201
    use = created.json()
    assert (use["grams_leaf"], use["mg_mitragynine"], use["tz"]) == (5.0, 75.0, "Europe/London")
    assert client.get(f"/api/v1/uses/{use['id']}").json()["taken_at"] == "2026-11-20T08:30:00Z"
    updated = client.put(
        f"/api/v1/uses/{use['id']}",
        json={
            "product_id": product["id"],
            "amount": 3,
            "unit": "g",
            "taken_at": "2026-11-20T08:30:00+00:00",
            "tz": "UTC",
        },
    )
    assert (updated.status_code, updated.json()["mg_mitragynine"]) == (200, 45.0)
    assert [u["amount"] for u in client.get("/api/v1/uses").json()] == [3.0]
    assert client.delete(f"/api/v1/uses/{use['id']}").status_code == 204
    assert client.get(f"/api/v1/uses/{use['id']}").status_code == 404


def test_invalid_input_gets_422_naming_field_and_reason(client: TestClient) -> None:
    product = _product(client)
    response = client.post(
        "/api/v1/uses", json={"product_id": product["id"], "amount": -1, "unit": "g"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["body", "amount"], "msg": "must be more than 0", "type": "invalid"}]
    }
    future = client.post(
        "/api/v1/checkins", json={"mood": 4, "recorded_at": "2027-01-01T00:00:00Z"}
    )
    assert future.json()["detail"][0]["msg"] == "time is in the future; log it when it has happened"
    out_of_range = client.post("/api/v1/checkins", json={"mood": 11})
    assert out_of_range.json()["detail"][0]["loc"] == ["body", "mood"]
    assert client.get("/api/v1/uses").json() == []


def test_unknown_product_malformed_json_and_extra_fields_are_refused(client: TestClient) -> None:
    missing = client.post("/api/v1/uses", json={"product_id": 42, "amount": 1, "unit": "g"})
    assert (missing.status_code, missing.json()) == (404, {"detail": "no product with id 42"})
    malformed = client.post(
        "/api/v1/checkins", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["type"] == "json_invalid"
    extra = client.post("/api/v1/checkins", json={"mood": 3, "mod": 4})
    assert extra.json()["detail"][0]["loc"] == ["body", "mod"]


def test_pagination_is_bounded(client: TestClient) -> None:
    assert client.get("/api/v1/checkins?limit=0").status_code == 422
    assert client.get("/api/v1/checkins?limit=100000").status_code == 422
    assert client.get("/api/v1/checkins?offset=-1").status_code == 422
    assert client.get("/api/v1/history?days=0").status_code == 422


def test_deleting_a_product_in_use_is_a_409(client: TestClient) -> None:
    product = _product(client)
    client.post("/api/v1/uses", json={"product_id": product["id"], "amount": 1, "unit": "g"})
    response = client.delete(f"/api/v1/products/{product['id']}")
    assert response.status_code == 409


def test_history_groups_by_local_day(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"mood": 5, "recorded_at": "2026-11-24T23:30:00Z"})
    days = client.get("/api/v1/history?days=7").json()
    assert [(d["day"], d["entries"][0]["title"]) for d in days] == [
        ("2026-11-24", "Daily check-in")
    ]


def test_oversized_bodies_get_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/checkins", content=b"x" * 1_000_001, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_foreign_host_headers_are_refused_against_dns_rebinding(client: TestClient) -> None:
    response = client.get("/api/v1/uses", headers={"host": "attacker.example"})
    assert response.status_code == 421
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_cross_site_writes_are_refused(client: TestClient) -> None:
    evil = client.post(
        "/checkins/new", data={"mood": "3"}, headers={"origin": "http://attacker.example"}
    )
    fetch = client.post(
        "/api/v1/checkins", json={"mood": 3}, headers={"sec-fetch-site": "cross-site"}
    )
    same = client.post(
        "/checkins/new",
        data={"mood": "3"},
        headers={"origin": "http://127.0.0.1:8000"},
        follow_redirects=False,
    )
    assert (evil.status_code, fetch.status_code, same.status_code) == (403, 403, 303)
    assert len(client.get("/api/v1/checkins").json()) == 1


def test_openapi_and_browsable_docs_are_served_without_a_cdn(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/uses", "/api/v1/products/{entry_id}", "/api/v1/history"} <= set(
        schema["paths"]
    )
    docs = client.get("/api/v1/docs").text
    assert "POST /api/v1/uses" in docs
    assert "cdn" not in docs.lower()


def test_every_loopback_address_is_accepted_as_host(client: TestClient) -> None:
    assert client.get("/api/v1/uses", headers={"host": "127.0.0.2:8000"}).status_code == 200
    assert client.get("/api/v1/uses", headers={"host": "[::1]:8000"}).status_code == 200
