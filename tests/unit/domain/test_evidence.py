"""Known-answer tests for the pure evidence model: grades, staleness, codes and search."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.domain.evidence import (
    GRADE_MEANINGS,
    STATUS_MEANINGS,
    Claim,
    Grade,
    JurisdictionStatus,
    LegalStatus,
    Source,
    add_months,
    country_of,
    is_jurisdiction_code,
    is_stale,
    score,
    search,
    stem,
    terms,
)
from mitra.errors import InvalidInputError

CHECKED = date(2026, 11, 25)


def make_claim(claim_id: str, title: str, summary: str) -> Claim:
    return Claim(claim_id, title, Grade.NONE, summary, (), ("src",), CHECKED)


def test_grades_rank_from_none_to_systematic_review_in_documented_order() -> None:
    assert [g.rank for g in Grade] == [0, 1, 2, 3, 4, 5, 6]
    assert Grade.NONE.rank < Grade.CASE_REPORT.rank < Grade.SYSTEMATIC_REVIEW.rank
    assert Grade.from_code("controlled_trial") is Grade.CONTROLLED_TRIAL


def test_an_unknown_grade_code_is_refused_with_the_allowed_list() -> None:
    with pytest.raises(InvalidInputError, match="'anecdote' is not one of: none, preclinical"):
        Grade.from_code("anecdote")


def test_legal_status_codes_parse_and_unknown_ones_are_refused() -> None:
    assert LegalStatus.from_code("banned") is LegalStatus.BANNED
    with pytest.raises(InvalidInputError, match="status: 'illegal' is not one of"):
        LegalStatus.from_code("illegal")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 25), 12, date(2027, 11, 25)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), 0, date(2026, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_short_months(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("today", "stale"),
    [
        (date(2027, 11, 25), False),  # exactly twelve months: still current
        (date(2027, 11, 26), True),  # one day past twelve months
        (date(2026, 11, 25), False),  # checked today
    ],
)
def test_an_entry_is_stale_only_after_twelve_calendar_months(today: date, stale: bool) -> None:
    assert is_stale(CHECKED, today) is stale


def test_staleness_window_can_be_shortened() -> None:
    assert is_stale(CHECKED, date(2027, 2, 26), months=3) is True
    assert is_stale(CHECKED, date(2027, 2, 25), months=3) is False


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("US", True),
        ("US-AL", True),
        ("GB-ENG", True),
        ("INTL", True),
        ("us", False),
        ("USA", False),
        ("US-", False),
        ("", False),
    ],
)
def test_jurisdiction_codes_follow_iso_3166(code: str, valid: bool) -> None:
    assert is_jurisdiction_code(code) is valid


def test_country_of_a_subdivision_is_its_country() -> None:
    assert country_of("US-AL") == "US"
    assert country_of("TH") == "TH"


def test_a_source_links_to_its_url_else_its_doi_else_nothing() -> None:
    with_url = Source("a", "T", ("X",), 2020, "review", url="https://example.org/a", doi="10.1/x")
    with_doi = Source("b", "T", ("X",), 2020, "review", doi="10.1/x")
    bare = Source("c", "T", (), None, "review")
    assert with_url.link == "https://example.org/a"
    assert with_doi.link == "https://doi.org/10.1/x"
    assert bare.link == ""


def test_a_jurisdiction_title_shows_its_name_and_code() -> None:
    status = JurisdictionStatus("US-LA", "Louisiana", LegalStatus.BANNED, "s", ("x",), CHECKED)
    assert status.title == "Louisiana (US-LA)"
    assert status.seven_oh_status is None


def test_terms_are_lower_case_words_and_numbers() -> None:
    assert terms("Liver injury, 7-OH!") == ["liver", "injury", "7", "oh"]


def test_search_ranks_title_matches_above_summary_matches_and_drops_misses() -> None:
    liver = make_claim("risk.liver", "Liver injury", "jaundice and dark urine")
    deaths = make_claim("risk.deaths", "Deaths", "some cases had liver injury")
    pain = make_claim("claim.pain", "Chronic pain", "survey data")
    assert search([deaths, pain, liver], "liver injury") == [liver, deaths]


def test_search_keeps_original_order_for_ties_and_returns_nothing_for_empty_query() -> None:
    first = make_claim("a", "Anxiety", "x")
    second = make_claim("b", "Anxiety", "y")
    assert search([first, second], "ANXIETY") == [first, second]
    assert search([first, second], "  ") == []


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("risks", "risk"),
        ("seizures", "seizure"),
        ("liver", "liver"),
        ("class", "class"),  # a double-s ending is not a plural
        ("gas", "gas"),  # short words stay
        ("oh", "oh"),
    ],
)
def test_stem_folds_a_plain_plural_onto_its_singular(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_a_plural_query_scores_the_same_as_its_singular() -> None:
    seizures = make_claim("risk.seizures", "Seizures", "seizure reports to poison centres")

    assert score(seizures, ["seizure"]) == score(seizures, ["seizures"]) == 3


def test_every_grade_and_legal_status_has_a_plain_meaning() -> None:
    assert set(GRADE_MEANINGS) == set(Grade)
    assert set(STATUS_MEANINGS) == set(LegalStatus)
    assert GRADE_MEANINGS[Grade.NONE] == "No study found."
    assert STATUS_MEANINGS[LegalStatus.BANNED] == "Possession, sale or import is an offence."
