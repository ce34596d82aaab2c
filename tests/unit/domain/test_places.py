"""Resolving a typed place: codes, names and aliases ignoring case and accents, a state with its
country, and refusals (unknown, ambiguous) that say what to type instead."""

from __future__ import annotations

import pytest

from mitra.domain.places import Gazetteer, Place, PlaceName, normalise, resolve
from mitra.errors import InvalidInputError

PLACES = Gazetteer(
    (
        PlaceName("GB", "United Kingdom", ("UK", "Britain", "England", "Scotland", "Wales")),
        PlaceName("US", "United States", ("USA", "U.S.A.", "America")),
        PlaceName("CA", "Canada"),
        PlaceName("GE", "Georgia"),
        PlaceName("TR", "Türkiye", ("Turkey",)),
        PlaceName("AE", "United Arab Emirates", ("UAE",)),
        PlaceName("US-FL", "Florida"),
        PlaceName("US-CA", "California"),
        PlaceName("US-GA", "Georgia"),
    )
)


@pytest.mark.parametrize(
    ("typed", "code", "name"),
    [
        ("United Kingdom", "GB", "United Kingdom"),
        ("  united kingdom ", "GB", "United Kingdom"),
        ("UK", "GB", "United Kingdom"),
        ("England", "GB", "United Kingdom"),
        ("gb", "GB", "United Kingdom"),
        ("U.S.A.", "US", "United States"),
        ("the United States", "US", "United States"),
        ("America", "US", "United States"),
        ("Florida", "US-FL", "Florida, United States"),
        ("FL", "US-FL", "Florida, United States"),
        ("Florida, USA", "US-FL", "Florida, United States"),
        ("fl us", "US-FL", "Florida, United States"),
        ("us-fl", "US-FL", "Florida, United States"),
        ("Georgia, United States", "US-GA", "Georgia, United States"),
        ("Georgia (GE)", "GE", "Georgia"),
        ("Georgia, United States (US-GA)", "US-GA", "Georgia, United States"),
        ("CA", "CA", "Canada"),
        ("gb-sct", "GB-SCT", "GB-SCT, United Kingdom"),
        ("turkiye", "TR", "Türkiye"),
        ("TÜRKIYE", "TR", "Türkiye"),
        ("", "INTL", "Anywhere else (international lines)"),
        ("International", "INTL", "Anywhere else (international lines)"),
        ("Anywhere else (international lines)", "INTL", "Anywhere else (international lines)"),
    ],
)
def test_a_place_is_found_by_code_name_or_alias_ignoring_case_and_accents(
    typed: str, code: str, name: str
) -> None:
    assert resolve(typed, PLACES) == Place(code, name)


def test_an_unknown_code_is_refused_not_stored_as_typed() -> None:
    with pytest.raises(InvalidInputError) as refused:
        resolve("XX", PLACES)
    (problem,) = refused.value.problems
    assert problem.field == "country"
    assert problem.reason.startswith("'XX' is not a place Mitra knows. Type a country's name")


def test_a_name_of_two_places_is_refused_with_both_choices() -> None:
    with pytest.raises(InvalidInputError) as refused:
        resolve("Georgia", PLACES, "place")
    assert refused.value.problems[0].field == "place"
    assert refused.value.problems[0].reason == (
        "'Georgia' could be Georgia (GE) or Georgia, United States (US-GA): type the one you mean"
    )


def test_a_typo_is_refused_with_the_close_name_suggested() -> None:
    with pytest.raises(InvalidInputError) as refused:
        resolve("Untied Kingdom", PLACES)
    assert refused.value.problems[0].reason.endswith("Did you mean United Kingdom?")


def test_the_start_of_a_name_suggests_every_name_it_begins() -> None:
    with pytest.raises(InvalidInputError) as refused:
        resolve("united", PLACES)
    assert refused.value.problems[0].reason.endswith(
        "Did you mean United Arab Emirates or United Kingdom or United States?"
    )


def test_a_state_after_another_country_is_not_found() -> None:
    with pytest.raises(InvalidInputError):
        resolve("Florida, Canada", PLACES)


def test_choices_list_each_country_by_name_followed_by_its_states() -> None:
    assert [p.code for p in PLACES.choices()] == [
        "CA", "GE", "TR", "AE", "GB", "US", "US-CA", "US-FL", "US-GA"
    ]  # fmt: skip
    assert PLACES.choices()[-2] == Place("US-FL", "Florida, United States")
    assert PLACES.choices()[1] == Place("GE", "Georgia (GE)")


def test_every_choice_typed_back_finds_its_own_place() -> None:
    assert all(resolve(p.name, PLACES).code == p.code for p in PLACES.choices())


def test_display_name_of_an_unknown_or_international_code() -> None:
    assert PLACES.display_name("ZZ") == "ZZ"
    assert PLACES.display_name("INTL") == "Anywhere else (international lines)"


def test_a_place_knows_its_country() -> None:
    assert Place("US-FL", "Florida").country == "US"
    assert Place("INTL", "x").is_international
    assert not Place("GB", "United Kingdom").is_international


def test_normalise_drops_accents_punctuation_and_a_leading_article() -> None:
    assert normalise("  Côte d’Ivoire ") == "cote divoire"
    assert normalise("The U.S.A.") == "usa"
    assert normalise("Florida,  USA") == "florida usa"
