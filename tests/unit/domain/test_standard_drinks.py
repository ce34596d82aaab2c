"""What one drink holds by country: the entry for a place, the fallback, and the wording."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.domain.standard_drinks import (
    StandardDrink,
    StandardDrinks,
    countries_without_duplicates,
    wording,
)

DAY = date(2026, 12, 7)
US = StandardDrink(
    "US", "the United States", 14, "standard drink", "12 oz of beer (5 %)", ("niaaa",), DAY
)
GB = StandardDrink("GB", "the United Kingdom", 8, "unit", "", ("nhs",), DAY)
TABLE = StandardDrinks(
    ("auditc",), {"US": US, "GB": GB}, "Countries differ.", ("niaaa", "nhs"), DAY
)


def test_a_country_with_a_definition_gets_its_own_sentence_and_sources() -> None:
    note = TABLE.note("auditc", "US")
    assert note is not None
    assert note.country == "US"
    assert (
        note.text
        == "In the United States one standard drink is 14 g of alcohol: 12 oz of beer (5 %)."
    )
    assert note.sources == ("niaaa",)
    assert note.as_of == DAY


def test_a_country_naming_it_otherwise_is_told_to_count_in_that_name() -> None:
    assert (
        wording(GB)
        == 'In the United Kingdom one unit is 8 g of alcohol. Count each "drink" as one unit.'
    )


@pytest.mark.parametrize("country", [None, "INTL", "DE"])
def test_no_place_or_a_place_without_a_definition_gets_the_fallback(country: str | None) -> None:
    note = TABLE.note("auditc", country)
    assert note is not None
    assert (note.country, note.text, note.sources) == (None, "Countries differ.", ("niaaa", "nhs"))


def test_an_instrument_that_counts_no_drinks_gets_no_note() -> None:
    assert TABLE.note("phq9", "US") is None


def test_fractional_grams_are_shown_as_given() -> None:
    canada = StandardDrink("CA", "Canada", 13.45, "standard drink", "", ("hc",), DAY)
    assert wording(canada) == "In Canada one standard drink is 13.45 g of alcohol."


def test_a_country_listed_twice_is_refused() -> None:
    assert countries_without_duplicates([US, GB]) == {"US": US, "GB": GB}
    with pytest.raises(ValueError, match="US is listed twice"):
        countries_without_duplicates([US, GB, US])
