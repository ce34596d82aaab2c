"""/api/v1/taper (issue 19): paces, a plan from a seeded journal, its events with who and why,
a SOWS rise that holds it, errors with their status."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from tests.integration.taper_journal import seed_sixty_days

from mitra.services.context import Mitra

LONDON = ZoneInfo("Europe/London")


def seed(mitra: Mitra) -> None:
    seed_sixty_days(mitra)


def test_paces_and_help(client: TestClient) -> None:
    paces = client.get("/api/v1/taper/paces").json()
    assert paces["paces"][1]["id"] == "asam-slow" and paces["paces"][1]["every_days"] == 14
    assert paces["holds"]["sows_rise_points"] == 6
    assert [t["id"] for t in client.get("/api/v1/taper/help").json()] == [
        "buprenorphine",
        "findtreatment",
        "helpline",
    ]


def test_a_plan_through_the_api(client: TestClient, mitra: Mitra) -> None:
    seed(mitra)
    assert client.get("/api/v1/taper/baseline").json()["grams"] == 6.0
    preview = client.post("/api/v1/taper/preview", json={"pace": "community-grams"}).json()
    assert [s["grams"] for s in preview["steps"][:3]] == [6.0, 5.8, 5.6]  # 5.75 -> 5.8
    created = client.post("/api/v1/taper/plans", json={"pace": "cdc-monthly"})
    assert created.status_code == 201
    plan_id = created.json()["id"]
    again = client.post("/api/v1/taper/plans", json={"pace": "cdc-monthly"})
    assert again.status_code == 409
    events = f"/api/v1/taper/plans/{plan_id}/events"
    assert client.post(events, json={"action": "resume"}).status_code == 409
    started = client.post(events, json={"action": "start"}).json()
    assert started["state"] == "active" and started["step"] == {
        "index": 0,
        "grams": 6.0,
        "doses": 3,
    }
    assert client.get("/api/v1/taper/today").json()["target"] == {"grams": 6.0, "doses": 3}
    slower = client.post(events, json={"action": "slower", "every_days": 20})
    assert slower.status_code == 422
    held = client.post(events, json={"action": "hold", "by": "clinician", "why": "review"}).json()
    assert held["state"] == "paused"
    assert held["events"][-1]["by"] == "clinician" and held["events"][-1]["why"] == "review"
    assert client.get("/api/v1/taper/plans/current").json()["id"] == plan_id
    assert client.get("/api/v1/taper/plans/999").status_code == 404
    assert client.post("/api/v1/taper/preview", json={"pace": "fastest"}).status_code == 422
