"""Measures pages through httpx: forms post plain form encoding; the crisis page comes first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mitra.services import questionnaires as q
from mitra.services.context import Mitra


def phq9_form(*values: str) -> dict[str, str]:
    return {f"phq9.q{n}": v for n, v in enumerate(values, start=1)}


def test_take_page_has_a_fieldset_with_legend_and_radios_per_question(client: TestClient) -> None:
    page = client.get("/measures/phq9")
    assert page.status_code == 200
    html = page.text
    assert html.count('<fieldset class="question"') == 9
    assert html.count("<legend>") == 9
    assert html.count('type="radio" name="phq9.q9"') == 4
    assert '<a href="#q-2">Next question</a>' in html


def test_submitting_a_phq9_shows_the_result_with_band_and_sources(client: TestClient) -> None:
    posted = client.post(
        "/measures/phq9",
        data=phq9_form("0", "1", "2", "3", "0", "1", "2", "3", "0"),
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/measures/responses/1"
    html = client.get("/measures/responses/1").text
    assert "<strong>12</strong> out of 27: <strong>Moderate</strong>" in html
    assert "first complete result" in html
    assert "Pfizer" in html and "Licence:" in html
    assert "Band &#39;Moderate&#39; because total 12 is within 10–14." in html


def test_item9_above_zero_lands_on_the_crisis_page_first(client: TestClient, mitra: Mitra) -> None:
    q.onboard(mitra, conditions="depression", country="GB")
    posted = client.post(
        "/measures/phq9",
        data=phq9_form("0", "0", "0", "0", "0", "0", "0", "0", "1"),
        follow_redirects=False,
    )
    assert posted.headers["location"] == "/crisis?response=1"
    html = client.get("/crisis?response=1").text
    assert "You do not have to face this alone" in html
    assert "Samaritans" in html and '<a href="tel:999" class="call-999">999</a>' in html
    assert html.index("Samaritans") < html.index("Continue to your result")
    result = client.get("/measures/responses/1").text
    assert 'href="/crisis?response=1"' in result


def test_a_left_out_question_stores_an_incomplete_result(client: TestClient) -> None:
    data = phq9_form("0", "1", "", "3", "0", "1", "2", "3", "0")
    client.post("/measures/phq9", data=data)
    html = client.get("/measures/responses/1").text
    assert "<strong>Incomplete</strong>: no total and no range" in html
    assert "phq9.q3" in html
    assert "question about thoughts of death or self-harm" not in html


def test_an_invalid_value_is_refused_naming_the_item(client: TestClient) -> None:
    response = client.post("/measures/phq9", data=phq9_form("7"))
    assert response.status_code == 422
    assert "phq9.q1: answer 7 is not one of the allowed values" in response.text
    bad = client.post("/measures/phq9", data=phq9_form("x"))
    assert "phq9.q1: answer &#39;x&#39;" in bad.text


def test_measures_page_lists_due_items_and_recent_results(client: TestClient) -> None:
    html = client.get("/measures").text
    assert "<strong>PHQ-9</strong></a>:" in html and "due now" in html
    assert 'href="/measures/calendar.ics"' in html
    assert "No results yet." in html
    assert '<a href="/measures">Questionnaires</a>' in client.get("/more").text


def test_onboarding_saves_conditions_and_country(client: TestClient, mitra: Mitra) -> None:
    assert 'name="conditions" value="ptsd"' in client.get("/onboarding").text
    form = {"conditions": ["anxiety", "ptsd"], "country": "gb", "regular_use": "no", "sex": ""}
    posted = client.post("/onboarding", data=form, follow_redirects=False)
    assert posted.headers["location"] == "/onboarding?saved=1"
    profile = q.read_profile(mitra)
    assert (profile.conditions, profile.country, profile.regular_use) == (
        ("anxiety", "ptsd"),
        "GB",
        False,
    )
    page = client.get("/onboarding?saved=1").text
    assert "Saved." in page and "PCL-5: every 30 days" in page
    refused = client.post("/onboarding", data={"country": "Britian"})
    assert refused.status_code == 422


def test_calendar_download_is_an_icalendar_attachment(client: TestClient) -> None:
    response = client.get("/measures/calendar.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="mitra.ics"'
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_auditc_page_asks_sex_and_unknown_pages_are_404(client: TestClient) -> None:
    assert 'name="sex" value="female"' in client.get("/measures/auditc").text
    assert client.get("/measures/phq10").status_code == 404
    assert client.get("/measures/responses/9").status_code == 404
    assert client.get("/crisis?response=9").status_code == 404
    assert "international lines" in client.get("/crisis").text
