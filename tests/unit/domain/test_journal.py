"""Journal entry rules: times, ratings, vitals, medications, effects, use events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mitra.domain import journal as j
from mitra.domain.checks import parse_enum
from mitra.domain.products import Product, ProductForm
from mitra.errors import InvalidInputError

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LEAF = Product("Red Bali", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15, id=7)


def problems_of(error: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, str]]:
    return [(p.field, p.reason) for p in error.value.problems]


def test_make_use_event_converts_and_keeps_what_was_entered() -> None:
    event = j.make_use_event(LEAF, amount=3, unit="g", taken_at=NOW, tz="Europe/London", now=NOW)
    assert (event.product_id, event.amount, event.unit, event.grams_leaf, event.mg_mitragynine) == (
        7,
        3,
        "g",
        3.0,
        45.0,
    )


@pytest.mark.parametrize(
    ("taken_at", "tz", "expected"),
    [
        (
            NOW + timedelta(minutes=6),
            "UTC",
            [("taken_at", "time is in the future; log it when it has happened")],
        ),
        (
            datetime(1989, 12, 31, tzinfo=UTC),
            "UTC",
            [("taken_at", "time is before 1990; check the date")],
        ),
        (datetime(2026, 11, 25, 8, 0), "UTC", [("taken_at", "time must include a time zone")]),
        (NOW, "Mars/Olympus", [("tz", "unknown time zone 'Mars/Olympus'")]),
        # a 300-character zone once reached the file system and crashed with "name too long"
        (NOW, "<" * 300, [("tz", "unknown time zone '" + "<" * 64 + "'…")]),
    ],
)
def test_use_event_times_must_be_real_past_and_zoned(
    taken_at: datetime, tz: str, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        j.make_use_event(LEAF, amount=1, unit="g", taken_at=taken_at, tz=tz, now=NOW)
    assert problems_of(caught) == expected


def test_a_time_within_five_minutes_ahead_is_accepted_for_clock_skew() -> None:
    later = NOW + timedelta(minutes=4)
    assert j.make_use_event(LEAF, amount=1, unit="g", taken_at=later, tz="UTC", now=NOW).taken_at


def test_checkin_ratings_are_0_to_10_and_at_least_one_is_needed() -> None:
    with pytest.raises(InvalidInputError) as caught:
        j.check_checkin(j.CheckIn(NOW, "UTC", mood=11, pain=-1), NOW)
    assert problems_of(caught) == [
        ("mood", "must be a whole number from 0 to 10, got 11"),
        ("pain", "must be a whole number from 0 to 10, got -1"),
    ]
    with pytest.raises(InvalidInputError) as caught:
        j.check_checkin(j.CheckIn(NOW, "UTC", note="n" * 2001), NOW)
    assert problems_of(caught) == [
        ("mood", "rate at least one of mood, anxiety, pain, sleep or craving"),
        ("note", "is 2001 characters long; the limit is 2000"),
    ]
    j.check_checkin(j.CheckIn(NOW, "UTC", mood=0, craving=10), NOW)


def test_checkin_ratings_are_listed_by_scale() -> None:
    checkin = j.CheckIn(NOW, "UTC", mood=6, anxiety=4)
    assert checkin.ratings() == {
        "mood": 6,
        "anxiety": 4,
        "pain": None,
        "sleep": None,
        "craving": None,
    }


@pytest.mark.parametrize(
    ("vital", "expected"),
    [
        (j.Vital(NOW, "UTC", heart_rate=72, systolic=120, diastolic=80), []),
        (
            j.Vital(NOW, "UTC", heart_rate=300),
            [("heart_rate", "must be between 20 and 250, got 300")],
        ),
        (
            j.Vital(NOW, "UTC", systolic=120),
            [("diastolic", "blood pressure needs both numbers (e.g. 120/80)")],
        ),
        (
            j.Vital(NOW, "UTC", systolic=80, diastolic=90),
            [("systolic", "the first (systolic) number must be above the second")],
        ),
        (j.Vital(NOW, "UTC"), [("heart_rate", "record a heart rate, a blood pressure, or both")]),
    ],
)
def test_vitals_need_plausible_values_and_both_blood_pressure_numbers(
    vital: j.Vital, expected: list[tuple[str, str]]
) -> None:
    if not expected:
        j.check_vital(vital, NOW)
        return
    with pytest.raises(InvalidInputError) as caught:
        j.check_vital(vital, NOW)
    assert problems_of(caught) == expected


def test_medication_needs_a_name_and_a_stop_after_its_start() -> None:
    med = j.Medication("", started_on=date(2026, 5, 1), stopped_on=date(2026, 4, 1))
    with pytest.raises(InvalidInputError) as caught:
        j.check_medication(med)
    assert problems_of(caught) == [
        ("name", "a medication or substance needs a name"),
        ("stopped_on", "the stop date is before the start date"),
    ]
    current = j.Medication("Sertraline", stopped_on=date(2026, 12, 1))
    j.check_medication(current)
    assert current.is_current(date(2026, 11, 25)) is True
    assert current.is_current(date(2026, 12, 2)) is False


def test_other_adverse_effect_needs_a_description_and_severity_in_range() -> None:
    effect = j.AdverseEffect(NOW, "UTC", j.Effect.OTHER, severity=12)
    with pytest.raises(InvalidInputError) as caught:
        j.check_adverse_effect(effect, NOW)
    assert problems_of(caught) == [
        ("severity", "must be a whole number from 0 to 10, got 12"),
        ("other_text", "describe the effect when choosing 'other'"),
    ]
    assert j.AdverseEffect(NOW, "UTC", j.Effect.OTHER, 3, other_text="Hiccups").label == "Hiccups"
    assert j.AdverseEffect(NOW, "UTC", j.Effect.NAUSEA, 3).label == "Nausea"
    j.check_adverse_effect(j.AdverseEffect(NOW, "UTC", j.Effect.NAUSEA, 3), NOW)


def test_parse_enum_names_the_allowed_choices() -> None:
    assert parse_enum(j.Schedule, "as_needed", "schedule") is j.Schedule.AS_NEEDED
    with pytest.raises(InvalidInputError) as caught:
        parse_enum(j.Schedule, "weekly", "schedule")
    assert problems_of(caught) == [("schedule", "'weekly' is not one of: scheduled, as_needed")]


def _use(amount: float, unit: str = "g", note: str = "") -> j.UseEvent:
    return j.UseEvent(1, NOW, "UTC", amount, unit, None, None, None, None, "", note)


def test_a_stored_use_is_checked_for_time_zone_unit_note_and_a_positive_amount() -> None:
    j.check_use(_use(2.0), NOW)
    with pytest.raises(InvalidInputError) as caught:
        j.check_use(_use(0.0, unit="u" * 31, note="n" * 2001), NOW)
    assert [p.field for p in caught.value.problems] == ["unit", "note", "amount"]
    assert caught.value.problems[-1].reason == "must be more than 0"


def test_a_unit_name_longer_than_max_unit_is_refused_when_a_use_is_logged() -> None:
    product = Product("Red", ProductForm.LEAF_POWDER, id=1)
    with pytest.raises(InvalidInputError) as caught:
        j.make_use_event(product, amount=1, unit="u" * 31, taken_at=NOW, tz="UTC", now=NOW)
    assert caught.value.problems[0].field == "unit"


def test_field_choices_of_an_enum_read_as_labels() -> None:
    from mitra.domain.fields import enum_choices

    assert enum_choices(j.Schedule) == (("scheduled", "Scheduled"), ("as_needed", "As needed"))
