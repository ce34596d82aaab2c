"""The three tiers on one small journal whose right answers are written out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from tests.studies import declaration

from mitra.domain.research.deidentify import (
    Donor,
    SourceCheckin,
    SourceJournal,
    SourceResponse,
    SourceUse,
    age_text,
    deidentify,
    donor_from_answers,
    draw_shift,
    fields_leaving,
)
from mitra.domain.research.study import Tier, study_from_mapping
from mitra.errors import InvalidInputError

MON = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # a Monday
LEAF = SourceUse(MON, "leaf_powder", False, 4.0, "g", 4.0, 60.0, None, 15.0)
SEVEN_OH = SourceUse(
    datetime(2026, 3, 10, 9, 0, tzinfo=UTC), "seven_oh", True, 1.0, "tablet", 2.0, None, 10.0
)
OUTSIDE = replace(LEAF, at=datetime(2025, 12, 31, 9, 0, tzinfo=UTC))
JOURNAL = SourceJournal(
    uses=[SEVEN_OH, LEAF, OUTSIDE],
    responses=[
        SourceResponse(
            datetime(2026, 3, 3, 20, 0, tzinfo=UTC),
            "phq9",
            7.0,
            True,
            (("phq9.q1", "44250-9", 1.0),),
        )
    ],
    checkins=[
        SourceCheckin(datetime(2026, 3, 2, 21, 0, tzinfo=UTC), {"mood": 6, "anxiety": 4}),
        SourceCheckin(datetime(2026, 3, 3, 21, 0, tzinfo=UTC), {"mood": 4, "anxiety": None}),
    ],
)
DONOR = Donor(1980, "female", "US-FL")
TODAY = date(2026, 11, 25)


def run(tier: str, shift: int = -2, **overrides: object) -> dict[str, list[dict[str, Any]]]:
    study = study_from_mapping(declaration(tier=tier, **overrides))
    return deidentify(study, JOURNAL, DONOR, person_id="p1", shift_weeks=shift, today=TODAY)


def test_aggregate_keeps_years_and_weekly_totals_only_and_never_adds_7oh_to_leaf() -> None:
    out = run("aggregate")
    assert sorted(out) == ["persons", "responses", "weekly_checkins", "weekly_uses"]
    assert out["persons"] == [{"person_id": "p1", "age": "46", "sex": "female", "state": "US-FL"}]
    assert out["weekly_uses"] == [
        {
            "person_id": "p1",
            "year": 2026,
            "week": 0,
            "use_days": 1,
            "doses": 1,
            "grams_leaf": 4.0,
            "mg_mitragynine": 60.0,
            "mg_7oh": None,
            "seven_oh_doses": 0,
            "main_form": "leaf_powder",
        },
        {
            "person_id": "p1",
            "year": 2026,
            "week": 1,
            "use_days": 1,
            "doses": 1,
            "grams_leaf": None,
            "mg_mitragynine": None,
            "mg_7oh": 10.0,
            "seven_oh_doses": 1,
            "main_form": "seven_oh",
        },
    ]
    assert out["responses"] == [
        {
            "person_id": "p1",
            "response_no": 1,
            "instrument": "phq9",
            "total": 7.0,
            "complete": True,
            "year": 2026,
            "week": 0,
        }
    ]
    assert out["weekly_checkins"][0]["mood_mean"] == 5.0
    assert out["weekly_checkins"][0]["anxiety_mean"] == 4.0
    assert out["weekly_checkins"][0]["pain_mean"] is None


def test_registered_moves_every_date_by_the_same_whole_weeks_so_weekdays_keep() -> None:
    out = run("registered", shift=-2)
    use = out["uses"][0]
    assert (use["day"], use["taken_at"]) == (date(2026, 2, 16), datetime(2026, 2, 16, 8, 30))
    assert use["day"].weekday() == MON.weekday()
    assert out["uses"][1]["grams_leaf"] is None  # the 7-OH tablet
    assert out["responses"][0]["day"] == date(2026, 2, 17)
    assert out["response_items"] == [
        {"person_id": "p1", "response_no": 1, "item": "phq9.q1", "loinc": "44250-9", "value": 1.0}
    ]
    assert out["checkins"][0]["day"] == date(2026, 2, 16)
    assert out["persons"][0]["year_of_birth"] == 1980


def test_controlled_keeps_exact_dates_and_no_tier_keeps_a_note_or_a_name() -> None:
    out = run("controlled", shift=-2)
    assert out["uses"][0]["day"] == date(2026, 3, 2)
    columns = {c for rows in out.values() for row in rows for c in row}
    assert not columns & {"note", "name", "vendor", "lot", "shift_weeks"}


def test_only_the_study_kinds_leave() -> None:
    out = run("registered", kinds=["questionnaires"])
    assert sorted(out) == ["persons", "response_items", "responses"]
    empty = deidentify(
        study_from_mapping(declaration(kinds=["uses"])),
        SourceJournal(),
        Donor(None, "x", ""),
        person_id="p2",
        shift_weeks=3,
        today=TODAY,
    )
    assert empty == {
        "persons": [
            {
                "person_id": "p2",
                "age": "unknown",
                "sex": "unknown",
                "state": "unknown",
                "year_of_birth": None,
            }
        ],
        "uses": [],
        "weekly_uses": [],
    }


def test_ages_over_89_leave_as_90_plus_without_a_year_of_birth() -> None:
    assert (age_text(1936, 2026), age_text(1937, 2026), age_text(None, 2026)) == (
        "90+",
        "89",
        "unknown",
    )
    study = study_from_mapping(declaration(kinds=["uses"]))
    out = deidentify(
        study, SourceJournal(), Donor(1930, "male", "GB"), person_id="p", shift_weeks=1, today=TODAY
    )
    assert out["persons"][0]["year_of_birth"] is None


def test_a_shift_is_whole_weeks_between_minus_26_and_26_and_never_zero() -> None:
    assert (draw_shift(0.0), draw_shift(0.499), draw_shift(0.5), draw_shift(0.9999)) == (
        -26,
        -1,
        1,
        26,
    )


def test_the_manifest_names_each_field_and_its_form_for_the_tier() -> None:
    registered = study_from_mapping(declaration(kinds=["uses"]))
    leaving = {(f.table, f.field): f.form for f in fields_leaving(registered)}
    assert leaving[("uses", "day")] == "the date moved by your secret whole-week shift"
    assert leaving[("weekly_uses", "year")] == "the year of the shifted date"
    aggregate = study_from_mapping(declaration(kinds=["uses"], tier="aggregate"))
    assert ("uses", "day") not in {(f.table, f.field) for f in fields_leaving(aggregate)}
    assert Tier.CONTROLLED.value == "controlled"


def test_the_answers_about_a_donor_are_normalised() -> None:
    assert donor_from_answers(" 1984 ", "Female", "us-fl", 2026) == Donor(1984, "female", "US-FL")
    assert donor_from_answers("", "", "", 2026) == Donor(None, "unknown", "")


def test_every_bad_answer_about_a_donor_is_reported_at_once() -> None:
    with pytest.raises(InvalidInputError) as refused:
        donor_from_answers("nineteen", "robot", "Jane Doe", 2026)
    assert [(p.field, p.reason) for p in refused.value.problems] == [
        ("birth_year", "must be a year such as 1984, got 'nineteen'"),
        ("sex", "one of female, male, other, unknown"),
        ("state", "an ISO 3166 code such as US-FL or GB, got 'Jane Doe'"),
    ]
    with pytest.raises(InvalidInputError) as too_late:
        donor_from_answers("2027", "male", "GB", 2026)
    assert too_late.value.message == "birth_year: must be from 1900 to 2026, got 2027"
