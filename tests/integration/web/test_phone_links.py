"""Every phone number Mitra shows is a `tel:` link a phone can dial (digits and a leading + only),
checked for every help line and emergency number in the shipped data, on the help page, the
crisis page, the alert banner, the alerts page and the clinician report."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mitra.adapters.knowledge.help_lines import load_crisis_lines, load_emergency_numbers
from mitra.domain.dialing import numbers, segments, text_segments
from mitra.domain.evidence import INTERNATIONAL
from mitra.services import knowledge as kb
from mitra.services import places
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

DIALABLE = re.compile(r"^(tel|sms):\+?[0-9]{3,15}$")
COUNTRIES = sorted(
    {line.country for line in load_crisis_lines()} - {INTERNATIONAL} | set(load_emergency_numbers())
)
PHQ9_ITEM9 = {f"phq9.q{n}": "0" for n in range(1, 9)} | {"phq9.q9": "1"}


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms):[^"]*)"', html)


def expected_links(country: str) -> set[str]:
    lines = [line for line in load_crisis_lines() if line.country == country]
    found = {s.href for line in lines for s in numbers(line.phone)}
    found |= {s.href for line in lines for s in text_segments(line.text) if s.is_link}
    emergency = load_emergency_numbers().get(country)
    return found | ({s.href for s in numbers(emergency.number)} if emergency else set())


def test_every_number_in_the_data_yields_at_least_one_dialable_link() -> None:
    for line in load_crisis_lines():
        assert not line.phone or numbers(line.phone), line.name
    for emergency in load_emergency_numbers().values():
        assert numbers(emergency.number), emergency.country


def test_the_help_page_links_every_number_of_every_country(client: TestClient) -> None:
    """One pass over every country (a fresh journal per country would add minutes to
    `make test` and test nothing more: the help page does not read the journal)."""
    undialable, missing = {}, {}
    for country in COUNTRIES:
        found = hrefs(client.get("/knowledge/help", params={"country": country}).text)
        undialable[country] = [href for href in found if not DIALABLE.match(href)]
        missing[country] = sorted(expected_links(country) - set(found))

    assert len(COUNTRIES) >= 50
    assert {c: h for c, h in undialable.items() if h} == {}
    assert {c: m for c, m in missing.items() if m} == {}


def test_the_crisis_page_links_every_number_for_every_country(
    client: TestClient, mitra: Mitra
) -> None:
    for country in COUNTRIES:
        places.set_place(mitra, country)
        found = hrefs(client.get("/crisis").text)
        assert all(DIALABLE.match(href) for href in found), (country, found)
        assert expected_links(country) <= set(found), country


def test_a_number_with_a_vanity_name_and_a_tty_line_becomes_two_links(client: TestClient) -> None:
    html = client.get("/knowledge/help", params={"country": "US"}).text

    assert (
        'call <a href="tel:18006624357">1-800-662-4357</a> (1-800-662-HELP); '
        'TTY <a href="tel:18004874889">1-800-487-4889</a>'
    ) in html
    assert 'text <a href="sms:435748">435748</a> (send your ZIP code (HELP4U))' in html


def test_two_emergency_numbers_are_two_links(client: TestClient) -> None:
    html = client.get("/knowledge/help", params={"country": "IE"}).text

    assert (
        '<a href="tel:112" class="call-999">112</a> or <a href="tel:999" class="call-999">999</a>'
    ) in html


def unlinked_known_numbers(html: str) -> list[str]:
    """Help-line numbers that appear in the page's text outside a link (a line's name, such as
    "NHS 111" or "988 Suicide & Crisis Lifeline", is a name and not counted)."""
    names = r"<style>.*?</style>|<strong>.*?</strong>|<span class=\"line-name\">.*?</span>"
    text = re.sub(rf"{names}|<a [^>]*>.*?</a>|<[^>]+>", " ", html, flags=re.S)
    return [s.text for s in segments(text, only=kb.known_numbers()) if s.is_link]


def test_911_is_a_link_on_every_page_of_the_crisis_path(client: TestClient, mitra: Mitra) -> None:
    q.onboard(mitra, conditions="depression", country="Florida")
    client.post("/measures/phq9", data=PHQ9_ITEM9)

    for path in ("/crisis", "/measures/responses/1", "/knowledge/help", "/", "/alerts"):
        html = client.get(path).text
        assert 'href="tel:911"' in html, path
        assert unlinked_known_numbers(html) == [], path


def test_the_report_shows_no_help_line_number_that_is_not_a_link(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions="depression", country="GB")
    client.post("/measures/phq9", data=PHQ9_ITEM9)
    html = client.get("/report/preview").text

    assert "PHQ-9" in html
    assert unlinked_known_numbers(html) == []
    assert all(DIALABLE.match(href) for href in hrefs(html))


def test_the_report_filter_links_numbers_in_alert_text() -> None:
    from mitra.adapters.reports.html import environment

    render = environment().from_string("{{ text|phone_links(dial) }}").render
    assert render(text="Call 116 123 or 999 (since 2021)", dial={"116123", "999"}) == (
        'Call <a href="tel:116123">116 123</a> or <a href="tel:999">999</a> (since 2021)'
    )


def named_numbers(country: str) -> set[str]:
    """Help-line numbers that a country's line descriptions or emergency note mention."""
    lines = [line for line in load_crisis_lines() if line.country == country]
    emergency = load_emergency_numbers().get(country)
    texts = [line.purpose for line in lines] + ([emergency.note] if emergency else [])
    known = kb.known_numbers()
    return {s.href for text in texts for s in segments(text, only=known) if s.is_link}


def test_some_descriptions_name_other_numbers() -> None:
    assert sum(len(named_numbers(country)) for country in COUNTRIES) >= 3


def test_known_numbers_named_in_descriptions_are_links_too(client: TestClient) -> None:
    unlinked = {}
    for country in COUNTRIES:
        found = set(hrefs(client.get("/knowledge/help", params={"country": country}).text))
        unlinked[country] = sorted(named_numbers(country) - found)

    assert {c: n for c, n in unlinked.items() if n} == {}
