"""The place drives measure defaults: what one drink holds, shown with the AUDIT-C on the web
page, in the API and in `mitra measures take`, from the person's place or a place given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from mitra.adapters.knowledge.evidence import load_sources
from mitra.adapters.knowledge.standard_drinks import load_standard_drinks
from mitra.services import places
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

PRIMARY = {"government_page", "service_page"}
GB_TEXT = (
    "In the United Kingdom one unit is 8 g of alcohol: half a pint of lower to normal-strength "
    "beer or cider (3.6 %) or a single 25 ml shot of spirits; a small 125 ml glass of wine (12 %) "
    'is 1.5 units. Count each "drink" as one unit.'
)


def test_the_shipped_table_has_the_published_sizes_from_primary_sources() -> None:
    drinks = load_standard_drinks()
    assert drinks.instruments == ("auditc",)
    grams = {code: d.grams for code, d in drinks.by_country.items()}
    assert grams == {
        "US": 14,
        "GB": 8,
        "CA": 13.45,
        "AU": 10,
        "NZ": 10,
        "IE": 10,
        "FR": 10,
        "NL": 10,
    }
    kinds = {s.id: s.kind for s in load_sources().values()}
    cited = {s for d in drinks.by_country.values() for s in d.sources} | set(
        drinks.fallback_sources
    )
    assert {kinds[s] for s in cited} == {"government_page"}


def test_a_subdivision_uses_its_country_and_a_typed_place_overrides_the_saved_one(
    mitra: Mitra,
) -> None:
    places.set_place(mitra, "Florida")
    florida = q.drink_note(mitra, "auditc")
    assert florida is not None and florida.country == "US"
    assert florida.text.startswith("In the United States one standard drink is 14 g of alcohol")
    typed = q.drink_note(mitra, "auditc", "England")
    assert typed is not None and typed.text == GB_TEXT
    assert q.drink_note(mitra, "phq9") is None


def test_the_audit_c_page_shows_the_persons_measure_with_its_source(
    client: TestClient, mitra: Mitra
) -> None:
    before = client.get("/measures/auditc").text
    assert "different amount of alcohol in different countries" in before
    assert 'href="/settings#place">Say where you live</a>' in before
    places.set_place(mitra, "United Kingdom")
    page = client.get("/measures/auditc").text
    assert "In the United Kingdom one unit is 8 g of alcohol" in page
    assert (
        'href="https://www.leicspart.nhs.uk/mental-health/advice/alcohol-knowing-your-units/"'
        in page
    )
    assert "checked 2026-12-07" in page
    assert 'id="drink-size"' not in client.get("/measures/phq9").text


def test_the_api_gives_the_same_note_for_the_saved_place_or_a_given_one(
    client: TestClient, mitra: Mitra
) -> None:
    places.set_place(mitra, "GB")
    note = client.get("/api/v1/instruments/auditc").json()["drink_note"]
    assert note["country"] == "GB" and note["text"] == GB_TEXT
    assert note["as_of"] == "2026-12-07"
    assert [s["id"] for s in note["sources"]] == ["lpt-nhs-alcohol-units"]
    canada = client.get("/api/v1/instruments/auditc", params={"place": "Canada"}).json()
    assert canada["drink_note"]["text"].startswith("In Canada one standard drink is 13.45 g")
    assert client.get("/api/v1/instruments/phq9").json()["drink_note"] is None
    refused = client.get("/api/v1/instruments/auditc", params={"place": "Narnia"})
    assert refused.status_code == 422


def test_the_cli_prints_the_note_before_the_questions(cli: Callable[..., Any]) -> None:
    taken = cli("measures", "take", "auditc", "--country", "Ireland", input="1\n1\n1\n")
    assert taken.exit_code == 0, taken.output
    first = taken.output.index("What counts as one drink: In Ireland one standard drink is 10 g")
    assert first < taken.output.index("How often do you have a drink containing alcohol?")
    assert (
        "Source: Alcohol — Health Service Executive (Ireland) https://www.hse.ie/" in taken.output
    )
