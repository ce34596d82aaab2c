"""Daily use and check-in series: grams, doses, first dose, gaps, weeks, and the decomposition
daily amount = doses per day x amount per dose."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mitra.domain.analytics import daily
from mitra.domain.journal import CheckIn, UseEvent

DAY = date(2026, 11, 20)


def use(hour: int, grams: float | None, mg: float | None = None, day: int = 20) -> UseEvent:
    at = datetime(2026, 11, day, hour, 0, tzinfo=UTC)
    return UseEvent(1, at, "UTC", 1.0, "g", grams, grams, mg, None, "")


def test_a_day_sums_grams_and_counts_doses_first_dose_and_gaps() -> None:
    days = daily.daily_use([use(14, 2.0, 30.0), use(8, 1.5, 20.0)], "UTC", DAY, DAY)
    assert days == [daily.DayUse(DAY, 2, 3.5, 50.0, 8.0, (6.0,), leaf_doses=2)]
    assert days[0].grams_per_dose == 1.75


def test_days_before_the_first_use_are_unknown_and_later_empty_days_are_zero() -> None:
    days = daily.daily_use([use(9, 2.0, day=19)], "UTC", date(2026, 11, 18), DAY)
    assert [d.grams_leaf for d in days] == [None, 2.0, 0.0]
    assert days[0].grams_per_dose is None and days[2].grams_per_dose is None


def test_earlier_uses_make_every_day_of_the_window_known() -> None:
    days = daily.daily_use([], "UTC", DAY, DAY, used_before=True)
    assert days == [daily.DayUse(DAY, 0, 0.0, 0.0, None, leaf_doses=0)]


def test_one_unweighed_leaf_dose_makes_the_days_grams_unknown_rather_than_understated() -> None:
    leaf = {1: daily.DoseKind.LEAF}
    days = daily.daily_use([use(8, 2.0), use(12, None)], "UTC", DAY, DAY, kinds=leaf)
    assert days[0].grams_leaf is None and days[0].doses == 2 and days[0].mg_mitragynine is None
    assert days[0].doses_unknown == 1 and days[0].grams_if_only_leaf is None


def test_an_extract_dose_counts_as_a_dose_but_never_as_grams_of_leaf() -> None:
    shot = UseEvent(
        2, datetime(2026, 11, 20, 12, tzinfo=UTC), "UTC", 1, "ml", None, None, 150.0, None, ""
    )
    kinds = {1: daily.DoseKind.LEAF, 2: daily.DoseKind.OTHER}
    (day,) = daily.daily_use([use(8, 2.0, 30.0), shot], "UTC", DAY, DAY, kinds=kinds)
    assert (day.doses, day.doses_of_leaf, day.grams_leaf, day.mg_mitragynine) == (2, 1, 2.0, 180.0)
    assert day.grams_per_dose == 2.0 and day.grams_if_only_leaf is None and day.doses_unknown == 0


def test_days_follow_the_users_zone() -> None:
    late = UseEvent(
        1, datetime(2026, 11, 20, 23, 30, tzinfo=UTC), "UTC", 1, "g", 1, 1, None, None, ""
    )
    days = daily.daily_use([late], "Asia/Tokyo", DAY, date(2026, 11, 21))
    assert [d.doses for d in days] == [0, 1]
    assert days[1].first_dose_hour == 8.5


def test_weekly_use_counts_back_from_the_last_day() -> None:
    uses = [use(9, 1.0, day=d) for d in (12, 13, 20)]
    weeks = daily.weekly_use(daily.daily_use(uses, "UTC", date(2026, 11, 10), DAY))
    assert weeks == [
        daily.WeekUse(date(2026, 11, 10), 2, 2),
        daily.WeekUse(date(2026, 11, 14), 7, 1),
    ]


def test_several_checkins_on_one_day_are_averaged_and_missing_days_are_none() -> None:
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    checkins = [CheckIn(at, "UTC", mood=4, anxiety=6), CheckIn(at, "UTC", mood=7)]
    rows = daily.checkin_days(checkins, "UTC", DAY, date(2026, 11, 21))
    assert rows[0].ratings["mood"] == 5.5 and rows[0].ratings["anxiety"] == 6
    assert rows[0].ratings["pain"] is None
    assert all(v is None for v in rows[1].ratings.values())


def test_summary_decomposes_daily_amount_into_frequency_times_amount_per_dose() -> None:
    uses = [use(8, 2.0, 30.0, 19), use(8, 1.0, None, 20), use(15, 3.0, None, 20)]
    summary = daily.summarise_use(daily.daily_use(uses, "UTC", date(2026, 11, 19), DAY))
    assert summary.grams_per_day == 3.0 and summary.doses_per_day == 1.5
    assert summary.grams_per_dose == 2.0
    assert summary.grams_per_day == pytest.approx(summary.doses_per_day * summary.grams_per_dose)
    assert summary.mg_mitragynine_per_day == 30.0 and summary.mg_days == 1
    assert summary.first_dose_hour == 8.0 and summary.first_dose_clock == "08:00"
    assert summary.median_gap_hours == 7.0


def test_an_empty_summary_has_no_averages() -> None:
    summary = daily.summarise_use(daily.daily_use([], "UTC", DAY, DAY))
    assert summary.grams_per_day is None and summary.grams_per_dose is None
    assert summary.first_dose_clock is None and summary.median_gap_hours is None
    assert summary.mg_mitragynine_per_day is None
    assert daily.describe_decomposition(summary, summary) is None


def test_the_decomposition_sentence_names_both_parts() -> None:
    one = daily.summarise_use(daily.daily_use([use(8, 2.0)], "UTC", DAY, DAY))
    two = daily.summarise_use(daily.daily_use([use(8, 2.0), use(14, 2.0)], "UTC", DAY, DAY))
    text = daily.describe_decomposition(one, two)
    assert text is not None
    assert "from 2.0 g to 4.0 g" in text and "doses per day 1.0 to 2.0" in text
    assert "amount per dose 2.0 g to 2.0 g" in text


def test_median_of_an_even_count_is_the_middle_pair_mean() -> None:
    uses = [use(8, 1.0), use(10, 1.0), use(14, 1.0)]
    assert daily.summarise_use(daily.daily_use(uses, "UTC", DAY, DAY)).median_gap_hours == 3.0


def test_products_count_as_leaf_7oh_or_other_doses() -> None:
    from mitra.domain.products import Product, ProductForm, ServingUnit

    products = [
        Product("Powder", ProductForm.LEAF_POWDER, id=1),
        Product("Caps", ProductForm.CAPSULE, id=2),
        Product("Extract", ProductForm.EXTRACT, id=3),
        Product("Tabs", ProductForm.SEVEN_OH, id=4),
        Product(
            "Shot with 7-OH",
            ProductForm.TINCTURE,
            seven_oh_mg_per_unit=5.0,
            serving_unit=ServingUnit.ML,
            id=5,
        ),
        Product("Not stored yet", ProductForm.LEAF_POWDER),
    ]
    K = daily.DoseKind
    assert daily.dose_kinds(products) == {
        1: K.LEAF,
        2: K.LEAF,
        3: K.OTHER,
        4: K.SEVEN_OH,
        5: K.SEVEN_OH,
    }


def tablet(hour: int, mg: float | None) -> UseEvent:
    at = datetime(2026, 11, 20, hour, tzinfo=UTC)
    return UseEvent(4, at, "UTC", 1.0, "tablet", None, None, None, mg, "")


def test_the_summary_rows_say_what_is_not_known_rather_than_zero() -> None:
    nothing = daily.summarise_use(daily.daily_use([], "UTC", DAY, DAY))
    assert daily.describe_use(nothing) == (("Days with any use", "no use logged in this period"),)
    kinds = {1: daily.DoseKind.LEAF, 4: daily.DoseKind.SEVEN_OH}
    unweighed = daily.summarise_use(daily.daily_use([use(8, None)], "UTC", DAY, DAY, kinds=kinds))
    rows = dict(daily.describe_use(unweighed))
    assert rows["Grams of leaf per day"] == "not known (leaf doses without a known weight)"
    assert rows["Doses with an unknown amount"] == "1 of 1 (100%)"
    unlabelled = daily.summarise_use(
        daily.daily_use([tablet(8, None)], "UTC", DAY, DAY, kinds=kinds)
    )
    rows = dict(daily.describe_use(unlabelled))
    assert rows["7-OH products"] == "1.0 tablet a day, mg 7-OH not known (no labelled content)"
    assert unlabelled.mg_7oh_per_day is None and unlabelled.mg_mitragynine_per_day is None
    assert daily.dose_kind(tablet(8, 15.0), {}) is daily.DoseKind.SEVEN_OH
    assert "Grams per leaf dose" not in rows and "Mitragynine per day, from labels" not in rows


def test_the_summary_rows_of_a_labelled_leaf_day() -> None:
    summary = daily.summarise_use(
        daily.daily_use([use(8, 2.0, 30.0), use(14, 2.0, 30.0)], "UTC", DAY, DAY)
    )
    assert daily.describe_use(summary) == (
        ("Days with any use", "1 of 1"),
        ("Doses per day", "2.0 (every dose, any unit)"),
        ("Grams of leaf per day", "4.0 g (1 day with known grams)"),
        ("Grams per leaf dose", "2.0 g"),
        (
            "Mitragynine per day, from labels",
            "60 mg (1 day with every dose labelled)",
        ),
        ("Doses with an unknown amount", "0 of 2 (0%)"),
        ("Usual first dose (median)", "08:00"),
        ("Usual gap between doses (median)", "6.0 hours"),
    )


def test_a_window_without_use_after_earlier_use_reads_zero_grams_and_no_gaps() -> None:
    quiet = daily.summarise_use(daily.daily_use([], "UTC", DAY, DAY, used_before=True))
    assert daily.describe_use(quiet) == (
        ("Days with any use", "0 of 1"),
        ("Doses per day", "0.0 (every dose, any unit)"),
        ("Grams of leaf per day", "0.0 g (1 day with known grams)"),
        (
            "Mitragynine per day, from labels",
            "0 mg (1 day with every dose labelled)",
        ),
        ("Usual first dose (median)", "—"),
    )
