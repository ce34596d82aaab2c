"""/api/v1 instruments, responses and due items, through httpx against the whole app."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from mitra.services import questionnaires as q
from mitra.services.context import Mitra


def phq9(*values: int | None) -> dict[str, Any]:
    return {f"phq9.q{n}": v for n, v in enumerate(values, start=1)}


def test_instruments_list_all_eight_in_order(client: TestClient) -> None:
    response = client.get("/api/v1/instruments")
    assert response.status_code == 200
    ids = [i["id"] for i in response.json()]
    assert ids == ["phq9", "gad7", "pcl5", "peg", "sows", "sds", "auditc", "kud_dsm5"]
    phq = response.json()[0]
    assert (phq["item_count"], phq["default_interval_days"]) == (9, 14)


def test_one_instrument_has_items_options_bands_and_sources(client: TestClient) -> None:
    data = client.get("/api/v1/instruments/gad7").json()
    assert len(data["items"]) == 7
    assert data["items"][0]["options"][3] == {"label": "Nearly every day", "value": 3}
    assert [b["code"] for b in data["bands"]][0] == "minimal"
    assert data["sources"] and data["as_of"] == "2026-11-25"
    missing = client.get("/api/v1/instruments/phq10")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "unknown instrument 'phq10'"}


def test_post_response_scores_and_stores_it(client: TestClient) -> None:
    body = {"instrument": "phq9", "answers": phq9(0, 1, 2, 3, 0, 1, 2, 3, 0)}
    created = client.post("/api/v1/responses", json=body)
    assert created.status_code == 201, created.text
    data = created.json()
    assert (data["id"], data["total"], data["band"], data["band_label"]) == (
        1,
        12,
        "moderate",
        "Moderate",
    )
    assert (data["complete"], data["missing_items"], data["crisis"]) == (True, [], False)
    assert data["taken_at"] == "2026-11-25T12:00:00Z"
    assert data["change"] is None and data["crisis_lines"] == []
    assert client.get("/api/v1/responses/1").json() == data


def test_null_answers_are_stored_as_an_incomplete_response(client: TestClient) -> None:
    body = {"instrument": "phq9", "answers": phq9(0, 1, None, 3, 0, 1, 2, 3, 0)}
    data = client.post("/api/v1/responses", json=body).json()
    assert (data["total"], data["band"], data["complete"]) == (None, None, False)
    assert data["missing_items"] == ["phq9.q3"]


def test_a_crisis_response_carries_the_crisis_lines(client: TestClient, mitra: Mitra) -> None:
    q.onboard(mitra, conditions="", country="GB")
    body = {"instrument": "phq9", "answers": phq9(0, 0, 0, 0, 0, 0, 0, 0, 3)}
    data = client.post("/api/v1/responses", json=body).json()
    assert data["crisis"] is True
    assert data["flags"][0]["code"] == "crisis.phq9_item9"
    assert data["flags"][0]["status"] == "raised"
    assert data["crisis_lines"][0]["name"] == "Samaritans"


def test_invalid_answers_name_the_item_and_value(client: TestClient) -> None:
    body = {"instrument": "phq9", "answers": phq9(0, 1, 7, 3, 0, 1, 2, 3, 0)}
    response = client.post("/api/v1/responses", json=body)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "phq9.q3"],
            "msg": "answer 7 is not one of the allowed values (0, 1, 2, 3)",
            "type": "invalid",
        }
    ]
    strings = client.post("/api/v1/responses", json={"instrument": "phq9", "answers": {"a": "1"}})
    assert strings.status_code == 422
    assert client.get("/api/v1/responses").json() == []


def test_change_since_last_and_list_by_instrument(client: TestClient) -> None:
    first = {"instrument": "phq9", "answers": phq9(3, 3, 3, 3, 3, 3, 2, 2, 0)}
    first["taken_at"] = "2026-11-11T09:00:00+00:00"
    client.post("/api/v1/responses", json=first)
    client.post("/api/v1/responses", json={"instrument": "peg", "answers": {"peg.p": 4}})
    later = {"instrument": "phq9", "answers": phq9(0, 1, 2, 3, 0, 1, 2, 3, 0)}
    change = client.post("/api/v1/responses", json=later).json()["change"]
    assert (change["earlier_total"], change["later_total"], change["difference"]) == (22, 12, -10)
    assert change["meaningful"] is True
    listed = client.get("/api/v1/responses", params={"instrument": "phq9"}).json()
    assert [r["id"] for r in listed] == [3, 1]
    assert [r["id"] for r in client.get("/api/v1/responses").json()] == [3, 2, 1]
    assert client.get("/api/v1/responses/99").status_code == 404


def test_due_lists_the_schedule_with_reasons(client: TestClient, mitra: Mitra) -> None:
    q.onboard(mitra, conditions="anxiety", country="GB")
    body = {"instrument": "phq9", "answers": phq9(0, 0, 0, 0, 0, 0, 0, 0, 0)}
    client.post("/api/v1/responses", json=body)
    due = client.get("/api/v1/measures/due").json()
    assert due == [
        {
            "instrument": "gad7",
            "interval_days": 14,
            "last_taken": None,
            "due_on": "2026-11-25",
            "is_due": True,
            "because": "not taken yet; every 14 days (you are managing anxiety)",
        },
        {
            "instrument": "phq9",
            "interval_days": 14,
            "last_taken": "2026-11-25",
            "due_on": "2026-12-09",
            "is_due": False,
            "because": "last complete response 2026-11-25, every 14 days (on for everyone: "
            "its question 9 is the safety question), so due 2026-12-09",
        },
    ]
