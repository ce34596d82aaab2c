"""The crisis path's first screen and the crisis banner, through httpx: what comes first, what is
a link, what stays out (poison and treatment lines), and the international fallback."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mitra.services import places
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

PHQ9_ITEM9 = {f"phq9.q{n}": "0" for n in range(1, 9)} | {"phq9.q9": "1"}


def section(html: str, css: str) -> str:
    start = html.index(f'class="{css}')
    return html[start : html.index("</section>", start)]


def take_phq9_in(client: TestClient, mitra: Mitra, place: str) -> None:
    q.onboard(mitra, conditions="depression", country=place)
    posted = client.post("/measures/phq9", data=PHQ9_ITEM9, follow_redirects=False)
    assert posted.headers["location"] == "/crisis?response=1"


def test_the_crisis_page_starts_with_the_line_the_text_option_and_the_emergency_number(
    client: TestClient, mitra: Mitra
) -> None:
    take_phq9_in(client, mitra, "Florida")
    html = client.get("/crisis?response=1").text
    first = section(html, "crisis crisis-now")

    assert "Call 988 Suicide &amp; Crisis Lifeline" in first
    assert '<a href="tel:988" class="call-big">988</a>' in first
    assert 'Text: <a href="sms:988" class="text-link">988</a>' in first
    assert 'In immediate danger: <a href="tel:911" class="call-999">911</a>' in first
    assert first.count("<p") == 4  # one sentence, the line, its text option, the emergency
    assert html.index("crisis-now") < html.index("Continue to your result")
    assert html.index("Continue to your result") < html.index("SAMHSA National Helpline")
    assert "alert-banner" not in html  # the page itself is the crisis help


def test_the_result_of_that_phq9_shows_the_same_first_screen_before_the_score(
    client: TestClient, mitra: Mitra
) -> None:
    take_phq9_in(client, mitra, "United Kingdom")
    html = client.get("/measures/responses/1").text
    first = section(html, "crisis crisis-now")

    assert '<h2 id="now-h">You do not have to face this alone</h2>' in first
    assert '<a href="tel:116123" class="call-big">116 123</a>' in first
    assert 'Online: <a href="https://www.samaritans.org">' in first
    assert '<a href="tel:999" class="call-999">999</a>' in first
    assert html.index("crisis-now") < html.index("<h1>") < html.index('id="score-h"')


def test_the_banner_is_one_sentence_and_the_two_numbers_without_poison_or_referral_lines(
    client: TestClient, mitra: Mitra
) -> None:
    take_phq9_in(client, mitra, "USA")
    banner = section(client.get("/knowledge").text, "alert-banner")

    assert "<strong>Thoughts of death or self-harm? Talk to someone now.</strong>" in banner
    assert 'Call <a href="tel:988">988</a>' in banner
    assert 'Emergency <a href="tel:911">911</a>' in banner
    assert '<a href="/crisis">More help</a>' in banner
    assert "SAMHSA" not in banner and "Poison" not in banner and "tel:1800" not in banner
    assert banner.count("<p") == 2


def test_a_place_without_lines_gets_emergency_advice_and_a_directory_naming_no_country(
    client: TestClient, mitra: Mitra
) -> None:
    take_phq9_in(client, mitra, "Antarctica")
    first = section(client.get("/crisis").text, "crisis crisis-now")

    assert "In immediate danger: call your local emergency number." in first
    assert 'Find a free helpline where you are: <a href="https://www.befrienders.org">' in first
    countries = [p.name for p in places.choices() if "-" not in p.code]
    assert [name for name in countries if name in first] == []


def test_before_onboarding_the_crisis_page_offers_the_international_lines(
    client: TestClient,
) -> None:
    html = client.get("/crisis").text

    assert "In immediate danger: call your local emergency number." in html
    assert '<a href="/onboarding">Tell Mitra where you live</a> to see local ones.' in html
