"""The person's place end to end: the shipped place list, the picker on onboarding and settings
(a refused place is re-asked with every other answer kept), and the CLI and API agreeing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mitra.adapters.knowledge.evidence import load_legal
from mitra.adapters.knowledge.help_lines import load_crisis_lines, load_emergency_numbers
from mitra.adapters.knowledge.places import load_gazetteer
from mitra.domain.evidence import INTERNATIONAL
from mitra.domain.places import normalise
from mitra.services import places
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

Cli = Callable[..., Any]


def test_every_pickable_place_typed_back_finds_itself() -> None:
    choices = places.choices()

    assert len(choices) == 249 + 51  # ISO 3166-1, then the US states and DC
    assert all(places.resolve(choice.name).code == choice.code for choice in choices)


def test_every_place_with_data_is_in_the_place_list_by_name() -> None:
    known = load_gazetteer().by_code()
    with_data = {line.country for line in load_crisis_lines()} - {INTERNATIONAL}
    with_data |= set(load_emergency_numbers()) | set(load_legal())

    assert sorted(code for code in with_data if code not in known) == []


def test_no_other_name_is_shared_by_two_countries() -> None:
    seen: dict[str, str] = {}
    for place in load_gazetteer().places:
        if place.is_subdivision:
            continue
        for name in (place.name, *place.aliases):
            key = normalise(name)
            assert seen.setdefault(key, place.code) == place.code, name


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Northern Ireland", "GB"),
        ("Great Britain", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("United States", "US"),
        ("usa", "US"),
        ("Florida", "US-FL"),
        ("District of Columbia", "US-DC"),
        ("Holland", "NL"),
        ("México", "MX"),
        ("Korea", "KR"),
        ("Czech Republic", "CZ"),
    ],
)
def test_shipped_aliases_resolve_to_their_country(typed: str, code: str) -> None:
    assert places.resolve(typed).code == code


def test_onboarding_with_a_state_name_stores_its_code(client: TestClient, mitra: Mitra) -> None:
    form = {"conditions": ["depression"], "country": "Florida", "regular_use": "yes"}
    posted = client.post("/onboarding", data=form, follow_redirects=False)

    assert posted.headers["location"] == "/onboarding?saved=1"
    assert q.read_profile(mitra).country == "US-FL"
    assert 'value="Florida, United States"' in client.get("/onboarding").text


def test_an_unknown_place_is_re_asked_with_every_other_answer_kept(
    client: TestClient, mitra: Mitra
) -> None:
    form = {"conditions": ["anxiety", "ptsd"], "country": "XX", "regular_use": "no", "sex": "male"}
    page = client.post("/onboarding", data=form)

    assert page.status_code == 422
    assert q.read_profile(mitra).country is None  # nothing stored
    html = page.text
    assert 'name="country" value="XX"' in html
    assert "&#39;XX&#39; is not a place Mitra knows." in html
    assert 'aria-invalid="true"' in html
    assert 'value="anxiety" checked' in html and 'value="ptsd" checked' in html
    assert 'value="depression" checked' not in html
    assert 'name="regular_use" value="no" checked' in html
    assert 'name="sex" value="male" checked' in html


def test_an_ambiguous_place_is_re_asked_with_both_choices(client: TestClient) -> None:
    html = client.post("/onboarding", data={"country": "Georgia"}).text

    assert "could be Georgia (GE) or Georgia, United States (US-GA)" in html


def test_settings_change_the_place_by_name(client: TestClient, mitra: Mitra) -> None:
    posted = client.post("/settings/place", data={"country": "UK"}, follow_redirects=False)

    assert posted.headers["location"] == "/settings?saved=place#place"
    assert q.read_profile(mitra).country == "GB"
    page = client.get("/settings?saved=place#place").text
    assert "Saved: United Kingdom." in page
    assert 'name="country" value="United Kingdom"' in page
    refused = client.post("/settings/place", data={"country": "Atlantis"})
    assert refused.status_code == 422
    assert 'value="Atlantis"' in refused.text
    assert q.read_profile(mitra).country == "GB"


def test_the_api_resolves_reads_and_changes_the_place(client: TestClient) -> None:
    assert client.get("/api/v1/place").json() is None
    found = client.get("/api/v1/places/resolve", params={"q": "England"}).json()
    assert found == {"code": "GB", "name": "United Kingdom"}
    changed = client.put("/api/v1/place", json={"place": "florida"})
    assert changed.json() == {"code": "US-FL", "name": "Florida, United States"}
    assert client.get("/api/v1/place").json() == {"code": "US-FL", "name": "Florida, United States"}
    refused = client.put("/api/v1/place", json={"place": "XX"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "country"
    unknown = client.get("/api/v1/places/resolve", params={"q": "Narnia"})
    assert unknown.json()["detail"][0]["loc"][-1] == "q"


def test_cli_onboard_accepts_a_country_name_and_says_which_place_it_saved(cli: Cli) -> None:
    result = cli("onboard", "--conditions", "anxiety", "--country", "United Kingdom")

    assert result.exit_code == 0, result.output
    assert "Saved: anxiety; United Kingdom (GB)." in result.stdout
    refused = cli("onboard", "--country", "XX")
    assert refused.exit_code == 2


LINES = ["United Kingdom", "Florida", "Japan", "Antarctica", "CA"]
STATUSES = ["United Kingdom", "Florida", "Thailand", "us-tx"]


@pytest.mark.parametrize(
    ("command", "key", "typed"),
    [("help-lines", "country", typed) for typed in LINES]
    + [("legal", "asked", typed) for typed in STATUSES],
)
def test_cli_and_api_give_the_same_lines_and_statuses_for_a_place(
    command: str, key: str, typed: str, cli: Cli, client: TestClient
) -> None:
    from_cli = json.loads(cli(command, typed, "--json").stdout)
    from_api = client.get(f"/api/v1/{command}/{typed}").json()

    assert from_cli == from_api
    assert from_cli[key] == places.resolve(typed).code
