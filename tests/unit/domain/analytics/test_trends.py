"""Smoothing and slopes."""

from __future__ import annotations

from mitra.domain.analytics import trends


def test_the_centred_rolling_mean_skips_gaps_and_needs_three_values() -> None:
    values: list[float | None] = [1.0, None, 3.0, 5.0, None, None, None, None, 7.0]
    smoothed = trends.rolling_mean(values, window=3, min_values=2)
    assert smoothed == [None, 2.0, 4.0, 4.0, None, None, None, None, None]
    assert trends.rolling_mean([2.0] * 7) == [2.0] * 7


def test_a_straight_line_gives_its_slope_per_week() -> None:
    values: list[float | None] = [0.5 * day for day in range(30)]
    found = trends.slope(values, 4)
    assert found.per_week == 3.5 and found.days == 28
    assert found.describe() == "last 4 weeks: rising by 3.5 points per week (28 days)"


def test_slopes_need_ten_days_and_small_ones_read_as_level() -> None:
    few = trends.slope([1.0] * 9, 4)
    assert few.per_week is None
    assert few.describe("g") == "last 4 weeks: not enough days (9) for a trend"
    level = trends.slopes([5.0] * 20, (4, 12))
    assert [s.describe() for s in level] == [
        "last 4 weeks: about level (20 days)",
        "last 12 weeks: about level (20 days)",
    ]
    falling = trends.slope([10.0 - day for day in range(14)], 2)
    assert falling.describe("g") == "last 2 weeks: falling by 7.0 g per week (14 days)"
