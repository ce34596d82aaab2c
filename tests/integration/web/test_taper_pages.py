"""The taper pages (issue 19): the baseline and pace options with sources, a preview table, a
saved and started plan, Home's daily target, a hold with why, the escalation page."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from tests.integration.taper_journal import seed_sixty_days

from mitra.services.context import Mitra

LONDON = ZoneInfo("Europe/London")


def seed(mitra: Mitra) -> None:
    seed_sixty_days(mitra)


def test_without_a_log_the_page_says_what_is_missing(client: TestClient) -> None:
    page = client.get("/taper")
    assert page.status_code == 200
    assert "a plan needs at least 7 logged days in the last 14; 0 found" in page.text


def test_make_follow_and_hold_a_plan_on_the_pages(client: TestClient, mitra: Mitra) -> None:
    seed(mitra)
    page = client.get("/taper").text
    assert "<strong>6.0 g of leaf a day</strong>" in page
    assert "10 % of the current amount every 30 days" in page
    assert "CDC Clinical Practice Guideline for Prescribing Opioids for Pain" in page
    preview = client.get(
        "/taper", params={"pace": "cdc-monthly", "measure": "scale", "unit": "0.1"}
    )
    assert "<td>2026-12-25</td>" in preview.text and "<td>5.4 g</td>" in preview.text
    bad = client.get("/taper", params={"pace": "custom", "percent": "30", "every_days": "7"})
    assert bad.status_code == 422 and "at most 12.5 % every 7 days" in bad.text
    saved = client.post(
        "/taper/plans",
        data={"pace": "cdc-monthly", "measure": "scale", "unit": "0.1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/taper?saved=1"
    plan = client.get("/taper?saved=1").text
    assert "Saved as a draft" in plan and "Start the plan today" in plan
    started = client.post("/taper/1/act", data={"action": "start"})
    assert "Target: <strong>6 g</strong> in <strong>3</strong> doses" in started.text
    home = client.get("/").text
    assert "Today's target: <strong>6 g</strong> in 3 doses" in home
    assert "logged so far: 0 g in 0 doses" in home
    assert 'href="/measures/sows"' in home
    held = client.post("/taper/1/act", data={"action": "hold", "why": "moving house"})
    assert "on hold at this step" in held.text and "by person: moving house" in held.text


def test_the_escalation_page_lists_treatment_with_sources(client: TestClient) -> None:
    page = client.get("/taper/help").text
    assert "Treatment with buprenorphine, from a clinician" in page
    assert 'href="https://findtreatment.gov/"' in page
    assert 'href="tel:18006624357"' in page


def test_the_step_dates_download_as_a_calendar(client: TestClient, mitra: Mitra) -> None:
    assert client.get("/taper/calendar.ics").status_code == 404
    seed(mitra)
    client.post("/taper/plans", data={"pace": "cdc-monthly", "unit": "0.1"})
    client.post("/taper/1/act", data={"action": "start"})
    got = client.get("/taper/calendar.ics")
    assert got.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Mitra taper: 5.4 g in 3 dose(s) a day\r\nDESCRIPTION" in got.text
    assert "DTSTART;VALUE=DATE:20261225" in got.text
    quiet = client.get("/taper/calendar.ics", params={"discreet": "1"}).text
    assert "kratom" not in quiet.lower() and "SUMMARY:Mitra: plan step" in quiet
