"""Knowledge use cases: evidence with resolved sources, staleness against a passed-in date, legal
status with the subdivision fallback, help lines, and the cached full-text search."""

from __future__ import annotations

from datetime import date

import pytest

from mitra.adapters.knowledge.evidence import load_legal
from mitra.domain.evidence import LegalStatus, LineKind
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import knowledge as kb
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

CHECKED = date(2026, 11, 25)  # every shipped entry's as_of


# --- evidence ----------------------------------------------------------------------------------


def test_claims_list_in_file_order_with_their_grades() -> None:
    claims = kb.list_claims(CHECKED)

    assert [(c.entry.id, c.entry.grade.value) for c in claims] == [
        ("claim.anxiety", "cross_sectional_survey"),
        ("claim.depression", "cross_sectional_survey"),
        ("claim.ptsd", "none"),
        ("claim.chronic_pain", "cross_sectional_survey"),
        ("claim.energy", "cross_sectional_survey"),
        ("claim.opioid_withdrawal", "cross_sectional_survey"),
    ]


def test_a_claim_is_found_by_its_full_id_or_its_short_name_in_any_case() -> None:
    assert kb.get_claim("claim.anxiety", CHECKED) == kb.get_claim(" Anxiety ", CHECKED)


def test_a_claim_shows_each_study_with_its_source_resolved() -> None:
    anxiety = kb.get_claim("anxiety", CHECKED)

    assert [(r.study.n, r.source.id) for r in anxiety.studies] == [
        (2798, "garcia-romeu-2020"),
        (1510, "smith-2022-crowdsourced"),
    ]
    assert [s.id for s in anxiety.sources] == ["garcia-romeu-2020", "smith-2022-crowdsourced"]


def test_the_liver_risk_links_its_review_by_url_and_doi() -> None:
    liver = kb.get_risk("risk.liver", CHECKED)

    assert liver.entry.grade.value == "case_report"
    assert liver.studies[0].study.n == 85
    assert liver.studies[0].source.doi == "10.1007/s40265-019-01242-6"
    assert liver.sources[0].link == "https://doi.org/10.1007/s40265-019-01242-6"


@pytest.mark.parametrize(
    ("lookup", "asked", "message"),
    [
        (kb.get_claim, "telepathy", "no claim 'telepathy' in the knowledge base"),
        (kb.get_risk, "risk.sunburn", "no risk 'risk.sunburn' in the knowledge base"),
    ],
)
def test_an_unknown_id_is_not_found_and_the_message_names_it(
    lookup: object, asked: str, message: str
) -> None:
    assert callable(lookup)
    with pytest.raises(NotFoundError) as raised:
        lookup(asked, CHECKED)

    assert raised.value.message == message


def test_background_and_care_topics_come_with_sources() -> None:
    about = kb.about_topics(CHECKED)
    care = kb.care_topics(CHECKED)

    assert about[0].entry.id == "about.plant"
    assert care[0].entry.id == "care.kratom_use_disorder.buprenorphine"
    assert all(item.sources for item in [*about, *care])


# --- staleness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "note"),
    [
        (date(2026, 11, 25), ""),
        (date(2027, 11, 25), ""),  # exactly 12 months: still current
        (
            date(2027, 11, 26),
            "May be out of date: last checked 2026-11-25, more than 12 months ago.",
        ),
    ],
)
def test_an_entry_gets_a_stale_note_only_when_checked_more_than_12_months_before_today(
    today: date, note: str
) -> None:
    shown = kb.get_claim("ptsd", today)

    assert (shown.stale_note, shown.stale) == (note, bool(note))


def test_staleness_applies_to_legal_entries_and_help_lines_too() -> None:
    later = date(2028, 1, 1)

    assert kb.legal_status("TH", later).shown.stale
    assert all(item.stale for item in kb.help_lines("GB", later).lines)
    assert not any(item.stale for item in kb.help_lines("GB", CHECKED).lines)


# --- legal status ------------------------------------------------------------------------------


def test_a_subdivision_with_its_own_entry_gets_it_without_a_fallback_note() -> None:
    answer = kb.legal_status("us-al", CHECKED)

    assert answer.asked == "US-AL"
    assert answer.shown.entry.code == "US-AL"
    assert answer.shown.entry.status is LegalStatus.BANNED
    assert answer.fallback_note == ""


def test_a_subdivision_without_an_entry_falls_back_to_its_country_and_says_so() -> None:
    answer = kb.legal_status("US-GU", CHECKED)

    assert answer.asked == "US-GU"
    assert answer.shown.entry.code == "US"
    assert answer.fallback_note == (
        "Mitra has no entry for US-GU, so this is the entry for US, United States (federal). "
        "Local law may add to it."
    )


def test_a_state_answer_lists_its_local_rules_with_their_sources_resolved() -> None:
    answer = kb.legal_status("US-MS", CHECKED)

    places = [(item.entry.name, item.entry.status) for item in answer.localities]
    assert len(places) == 13
    assert places[:2] == [
        ("City of Columbus", LegalStatus.BANNED),
        ("Lowndes County", LegalStatus.BANNED),
    ]
    assert ("City of Oxford", LegalStatus.RESTRICTED) in places
    columbus = answer.localities[0]
    assert [s.link for s in columbus.sources] == [
        "https://www.wcbi.com/kratom-no-longer-allowed-columbus/"
    ]
    assert not columbus.stale
    assert kb.legal_status("US-MS", date(2028, 1, 1)).localities[0].stale


def test_a_fallback_answer_has_no_local_rules() -> None:
    assert kb.legal_status("US-GU", CHECKED).localities == ()


def test_search_finds_a_local_rule_under_its_state() -> None:
    hits = kb.search("Lowndes")

    assert [(hit.section, hit.id) for hit in hits] == [("legal", "US-MS")]


@pytest.mark.parametrize("code", ["AQ", "AQ-01", "INTL"])
def test_a_code_without_any_entry_is_not_found_and_the_message_names_it(code: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        kb.legal_status(code, CHECKED)

    assert raised.value.message == f"no legal-status entry for {code!r} in the knowledge base"


def test_a_malformed_code_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as raised:
        kb.legal_status("Texass", CHECKED)

    assert [(p.field, p.reason) for p in raised.value.problems] == [
        (
            "jurisdiction",
            "'Texass' is not a place Mitra knows. Type a country's name, such as United Kingdom, "
            "or a US state, such as Florida; leave it empty for international lines. "
            "Did you mean Texas, United States?",
        )
    ]


def test_legal_entries_list_each_country_before_its_subdivisions() -> None:
    codes = [item.entry.code for item in kb.list_legal(CHECKED)]

    countries = [code for code in codes if "-" not in code]
    assert countries == sorted(countries)
    assert codes.index("US") + 1 == codes.index("US-AK")
    assert len(codes) == len(set(codes)) == len(load_legal())


def test_before_onboarding_the_user_has_no_jurisdiction(mitra: Mitra) -> None:
    assert kb.my_jurisdiction(mitra) == kb.MyJurisdiction(None, None)
    assert kb.my_country(mitra) == "INTL"


def test_after_onboarding_the_users_own_status_is_found(mitra: Mitra) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="us-la")

    mine = kb.my_jurisdiction(mitra)

    assert mine.code == "US-LA"
    assert mine.answer is not None
    assert mine.answer.shown.entry.status is LegalStatus.BANNED


def test_a_country_without_an_entry_is_the_users_but_has_no_status(mitra: Mitra) -> None:
    q.onboard(mitra, conditions=["chronic_pain"], country="AQ")

    assert kb.my_jurisdiction(mitra) == kb.MyJurisdiction("AQ", None)


# --- help lines --------------------------------------------------------------------------------


def test_us_state_help_lines_use_the_us_lines_crisis_first_then_the_fallback() -> None:
    found = kb.help_lines("US-AL", CHECKED)

    assert found.country == "US-AL"
    assert [item.entry.name for item in found.lines] == [
        "988 Suicide & Crisis Lifeline",
        "SAMHSA National Helpline",
        "Poison Help",
        "Befrienders Worldwide",
    ]
    assert found.lines[0].entry.kind is LineKind.CRISIS
    assert found.emergency is not None and found.emergency.entry.number == "911"
    assert found.international_only is False


def test_a_country_without_lines_gets_only_the_international_fallback() -> None:
    found = kb.help_lines("aq", CHECKED)

    assert [item.entry.country for item in found.lines] == ["INTL"]
    assert (found.international_only, found.emergency) == (True, None)


def test_a_malformed_country_is_refused_naming_the_country_field() -> None:
    with pytest.raises(InvalidInputError) as raised:
        kb.help_lines("Frankreich!", CHECKED)

    assert raised.value.problems[0].field == "country"


# --- search ------------------------------------------------------------------------------------


def test_searching_liver_finds_the_liver_risk_in_the_risks_section() -> None:
    hits = kb.search("liver")

    assert [(h.id, h.section, h.section_title, h.score) for h in hits] == [
        ("risk.liver", "risks", "Risks", 3)
    ]
    assert hits[0].title == "Liver injury"
    assert "liver injury" in hits[0].snippet


def test_title_matches_rank_above_summary_only_matches() -> None:
    hits = kb.search("withdrawal")

    assert [h.id for h in hits[:3]] == [
        "claim.opioid_withdrawal",
        "risk.neonatal",
        "risk.withdrawal",
    ]
    assert all("withdrawal" in h.title.lower() for h in hits[:3])
    assert all("withdrawal" not in h.title.lower() for h in hits[3:])
    assert [h.score for h in hits] == [3, 3, 3, 1, 1, 1, 1, 1, 1]


def test_search_covers_legal_entries_and_help_lines() -> None:
    assert [(h.section, h.id) for h in kb.search("Thailand")][0] == ("legal", "TH")
    assert [(h.section, h.id) for h in kb.search("988")] == [("help", "US")]


def test_a_plural_query_finds_the_singular_and_an_empty_query_finds_nothing() -> None:
    assert kb.search("seizure")[0].id == kb.search("seizures")[0].id == "risk.seizures"
    assert kb.search("  ") == []
    assert kb.search("xylophone") == []


def test_the_search_index_is_built_once_per_process() -> None:
    kb.search("liver")
    before = kb._index.cache_info()

    kb.search("pain")

    after = kb._index.cache_info()
    assert (after.misses, after.hits) == (before.misses, before.hits + 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short text about liver", "short text about liver"),
        ("a " * 100 + "liver damage here", "…a a a a a a a a a liver damage here"),
        ("liver " + "b " * 40, "liver " + "b " * 26 + "b…"),
    ],
)
def test_a_snippet_is_cut_near_the_first_match_with_ellipses_where_cut(
    text: str, expected: str
) -> None:
    assert kb.snippet(text, "liver", width=60) == expected
