"""Safety alerts through the REST API and the pages: oxycodone added, the warning shown at once,
acknowledged, listed with sources; the banner on every page for crisis and urgent alerts."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_api_lists_acknowledges_and_evaluates(client: TestClient) -> None:
    made = client.post("/api/v1/medications", json={"name": "oxycodone"})
    assert made.status_code == 201, made.text
    listed = client.get("/api/v1/alerts").json()
    assert [a["rule_id"] for a in listed] == ["interaction.opioids"]
    alert = listed[0]
    assert alert["severity"] == "urgent" and alert["status"] == "open"
    assert alert["sources"] and all(s["link"].startswith("http") for s in alert["sources"])
    acked = client.post(f"/api/v1/alerts/{alert['id']}/acknowledge")
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    assert client.get("/api/v1/alerts").json() == []
    assert [a["status"] for a in client.get("/api/v1/alerts?all=true").json()] == ["acknowledged"]
    assert client.post("/api/v1/safety/evaluate").json() == []
    assert client.post("/api/v1/alerts/999/acknowledge").status_code == 404


def test_an_alert_id_beyond_64_bits_is_not_found_not_a_server_error(client: TestClient) -> None:
    # Found by the schemathesis fuzzing run: the driver overflowed on 9478460694634667442176.
    answer = client.post("/api/v1/alerts/9478460694634667442176/acknowledge")

    assert answer.status_code == 404
    assert answer.json()["detail"] == "no alert with id 9478460694634667442176"


def test_adding_oxycodone_on_the_page_shows_the_warning_on_the_next_page(
    client: TestClient,
) -> None:
    saved = client.post(
        "/medications/new",
        data={"name": "Oxycodone", "kind": "medication", "schedule": "scheduled"},
    )
    assert saved.status_code == 200, saved.text  # followed the redirect
    assert "URGENT" in saved.text and "Opioid medicine with kratom" in saved.text
    home = client.get("/")
    assert "Safety alerts" in home.text and "Opioid medicine with kratom" in home.text
    page = client.get("/alerts")
    assert "Why:" in page.text and "What to do:" in page.text and 'href="https://' in page.text
    alert_id = client.get("/api/v1/alerts").json()[0]["id"]
    done = client.post(f"/alerts/{alert_id}/acknowledge")
    assert done.status_code == 200 and "Acknowledged." in done.text
    assert "URGENT:" not in client.get("/").text
    assert "No open safety alerts" in client.post("/safety/check").text
    assert "interaction.opioids" in client.get("/alerts?all=true").text
