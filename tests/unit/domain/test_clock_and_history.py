"""Local times and the day-by-day history, which follows the user's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from mitra.domain import journal as j
from mitra.domain.clock import day_bounds, local_day, parse_local_time
from mitra.domain.history import (
    HistoryItem,
    build_history,
    describe_checkin,
    describe_effect,
    describe_use,
    describe_vital,
)
from mitra.domain.products import Product, ProductForm
from mitra.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20 08:30", datetime(2026, 11, 20, 8, 30, tzinfo=UTC)),
        ("2026-07-20 08:30", datetime(2026, 7, 20, 7, 30, tzinfo=UTC)),
        ("2026-07-20T08:30", datetime(2026, 7, 20, 7, 30, tzinfo=UTC)),
        ("2026-07-20T08:30:00+02:00", datetime(2026, 7, 20, 6, 30, tzinfo=UTC)),
        ("2026-07-20 08:30:15", datetime(2026, 7, 20, 7, 30, 15, tzinfo=UTC)),
    ],
)
def test_typed_times_are_read_in_the_users_zone_unless_they_carry_an_offset(
    text: str, expected: datetime
) -> None:
    assert parse_local_time(text, "Europe/London") == expected


def _item(kind: str, entry: Any, at: datetime, line: tuple[str, str]) -> HistoryItem:
    return HistoryItem(kind, entry.id, at, *line)


def test_an_unreadable_time_says_how_to_write_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_local_time("yesterday", "UTC", "taken_at")
    assert (
        caught.value.message
        == "taken_at: 'yesterday' is not a time; write it like 2026-11-20 08:30"
    )


def test_days_follow_the_users_zone_across_daylight_saving() -> None:
    late = datetime(2026, 7, 20, 23, 30, tzinfo=UTC)
    assert local_day(late, "Europe/London") == date(2026, 7, 21)
    assert local_day(late, "UTC") == date(2026, 7, 20)
    start, end = day_bounds(date(2026, 10, 25), "Europe/London")
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 25 * 3600


def test_history_groups_entries_by_local_day_newest_first() -> None:
    product = Product("Red Bali", ProductForm.LEAF_POWDER, id=1)
    use = j.UseEvent(
        1,
        datetime(2026, 7, 20, 23, 30, tzinfo=UTC),
        "Europe/London",
        3,
        "g",
        3.0,
        3.0,
        45.0,
        None,
        "",
        id=5,
    )
    unconverted = j.UseEvent(
        2,
        datetime(2026, 7, 20, 8, 0, tzinfo=UTC),
        "UTC",
        2,
        "capsule",
        None,
        None,
        None,
        1.5,
        "why",
        id=6,
    )
    checkin = j.CheckIn(datetime(2026, 7, 21, 20, 0, tzinfo=UTC), "UTC", mood=6, anxiety=4, id=2)
    effect = j.AdverseEffect(
        datetime(2026, 7, 21, 9, 0, tzinfo=UTC), "UTC", j.Effect.NAUSEA, 3, id=3
    )
    vital = j.Vital(
        datetime(2026, 7, 20, 7, 0, tzinfo=UTC),
        "UTC",
        heart_rate=70,
        systolic=120,
        diastolic=80,
        id=4,
    )
    products = {1: product}
    items = [
        *(_item("uses", u, u.taken_at, describe_use(u, products)) for u in (use, unconverted)),
        _item("checkins", checkin, checkin.recorded_at, describe_checkin(checkin, products)),
        _item("effects", effect, effect.occurred_at, describe_effect(effect, products)),
        _item("vitals", vital, vital.measured_at, describe_vital(vital, products)),
    ]
    days = build_history(items, tz="Europe/London")
    assert [d.day for d in days] == [date(2026, 7, 21), date(2026, 7, 20)]
    assert [(e.local_time, e.title, e.detail) for e in days[0].entries] == [
        ("21:00", "Daily check-in", "mood 6, anxiety 4"),
        ("10:00", "Nausea", "severity 3/10"),
        ("00:30", "3 g Red Bali", "3 g leaf, 45 mg mitragynine"),
    ]
    assert [(e.title, e.detail) for e in days[1].entries] == [
        ("2 capsule product 2", "1.5 mg 7-OH"),
        ("Vital signs", "heart rate 70/min, blood pressure 120/80 mmHg"),
    ]


def test_a_use_with_nothing_converted_shows_the_reason() -> None:
    use = j.UseEvent(
        1,
        datetime(2026, 7, 20, 8, tzinfo=UTC),
        "UTC",
        2,
        "capsule",
        None,
        None,
        None,
        None,
        "the weight of one capsule is not known",
        id=1,
    )
    days = build_history([_item("uses", use, use.taken_at, describe_use(use, {}))], tz="UTC")
    assert days[0].entries[0].detail == "not converted: the weight of one capsule is not known"


def test_vitals_describe_only_what_was_measured() -> None:
    at = datetime(2026, 7, 20, 8, tzinfo=UTC)
    pulse = j.Vital(at, "UTC", heart_rate=64, id=1)
    pressure = j.Vital(at, "UTC", systolic=118, diastolic=76, id=2)
    items = [_item("vitals", v, v.measured_at, describe_vital(v, {})) for v in (pulse, pressure)]
    days = build_history(items, tz="UTC")
    assert [e.detail for e in days[0].entries] == [
        "blood pressure 118/76 mmHg",
        "heart rate 64/min",
    ]
