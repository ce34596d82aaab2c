"""Smoothing, and slopes with their 95% interval: a trend is named only when the interval
excludes zero."""

from __future__ import annotations

from mitra.domain.analytics import trends


def test_the_centred_rolling_mean_skips_gaps_and_needs_three_values() -> None:
    values: list[float | None] = [1.0, None, 3.0, 5.0, None, None, None, None, 7.0]
    smoothed = trends.rolling_mean(values, window=3, min_values=2)
    assert smoothed == [None, 2.0, 4.0, 4.0, None, None, None, None, None]
    assert trends.rolling_mean([2.0] * 7) == [2.0] * 7


def test_a_straight_line_gives_its_slope_per_week_with_a_zero_width_interval() -> None:
    values: list[float | None] = [0.5 * day for day in range(30)]
    found = trends.slope(values, 4)
    assert (found.per_week, found.low, found.high, found.days) == (3.5, 3.5, 3.5, 28)
    assert found.direction == "rising"
    assert found.describe() == (
        "last 4 weeks: rising by 3.5 points per week "
        "(95% CI +3.50 to +3.50 points per week; 28 days)"
    )


def test_a_flat_series_reads_as_flat() -> None:
    flat = trends.slope([6.0] * 60, 4)
    assert (flat.per_week, flat.low, flat.high, flat.direction) == (0.0, 0.0, 0.0, "about the same")
    assert flat.describe("g") == (
        "last 4 weeks: about the same (95% CI +0.00 to +0.00 g per week; 28 days)"
    )


def test_a_weekly_rhythm_is_not_a_trend() -> None:
    weekends: list[float | None] = [9.0 if day % 7 >= 5 else 6.0 for day in range(28)]
    found = trends.slope(weekends, 4)
    assert found.low is not None and found.high is not None
    assert found.low < 0 < found.high and found.direction == "about the same"


def test_noise_around_a_level_is_about_the_same_and_a_clear_fall_is_falling() -> None:
    noisy: list[float | None] = [5.0 + (1.0 if day % 2 else -1.0) for day in range(28)]
    assert trends.slope(noisy, 4).direction == "about the same"
    falling = trends.slope([10.0 - day for day in range(14)], 2)
    assert falling.describe("g") == (
        "last 2 weeks: falling by 7.0 g per week (95% CI -7.00 to -7.00 g per week; 14 days)"
    )


def test_slopes_need_ten_days() -> None:
    few = trends.slope([1.0] * 9, 4)
    assert few.per_week is None and few.direction is None
    assert few.describe("g") == "last 4 weeks: not enough days (9) for a trend"
    assert [s.days for s in trends.slopes([5.0] * 20, (4, 12))] == [20, 20]
