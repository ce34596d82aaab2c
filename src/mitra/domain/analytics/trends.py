"""Smoothing and slopes for daily series with gaps.

- `rolling_mean`: a centred moving average over `window` calendar days, using the days that have
  a value; a day's smoothed value needs at least `min_values` values in its window.
- `slope`: the least-squares line through the last `weeks` weeks, in units per week, with its 95%
  interval (Newey-West standard errors, `regression.hac_ols`) and how many days it rests on; none
  when fewer than `MIN_SLOPE_DAYS` days have a value. It reads "rising" or "falling" only when
  the interval excludes zero, otherwise "about the same": a flat series reads as flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mitra.domain.analytics.regression import bandwidth, hac_ols, interval

WINDOW_DAYS = 7
MIN_SLOPE_DAYS = 10
SLOPE_WEEKS = (4, 12, 52)
DIGITS = 4  # slopes and intervals are rounded here, so floating-point dust never reads as a trend


@dataclass(frozen=True)
class Slope:
    weeks: int
    per_week: float | None
    days: int
    low: float | None = None
    high: float | None = None

    @property
    def direction(self) -> str | None:
        """'rising', 'falling' or 'about the same' (the interval includes zero); None: no slope."""
        if self.per_week is None or self.low is None or self.high is None:
            return None
        if self.low > 0:
            return "rising"
        if self.high < 0:
            return "falling"
        return "about the same"

    def describe(self, unit: str = "points") -> str:
        if self.per_week is None or self.low is None or self.high is None:
            return f"last {self.weeks} weeks: not enough days ({self.days}) for a trend"
        words = {
            "rising": f"rising by {abs(self.per_week):.1f} {unit} per week",
            "falling": f"falling by {abs(self.per_week):.1f} {unit} per week",
            "about the same": "about the same",
        }[self.direction or "about the same"]
        return (
            f"last {self.weeks} weeks: {words} (95% CI {self.low:+.2f} to {self.high:+.2f} "
            f"{unit} per week; {self.days} days)"
        )


def _array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def rolling_mean(
    values: Sequence[float | None], window: int = WINDOW_DAYS, min_values: int = 3
) -> list[float | None]:
    """Centred moving average (an even window leans one day later); gaps are skipped."""
    data = _array(values)
    present = ~np.isnan(data)
    sums = np.concatenate(([0.0], np.cumsum(np.where(present, data, 0.0))))
    counts = np.concatenate(([0], np.cumsum(present)))
    index = np.arange(len(data))
    low = np.clip(index - (window - 1) // 2, 0, len(data))
    high = np.clip(index + window // 2 + 1, 0, len(data))
    n = counts[high] - counts[low]
    total = sums[high] - sums[low]
    return [
        round(float(t / c), 4) if c >= min_values else None
        for t, c in zip(total.tolist(), n.tolist(), strict=True)
    ]


def _clean(value: float) -> float:
    """Rounded, with -0.0 made 0.0."""
    return round(value, DIGITS) + 0.0


def slope(values: Sequence[float | None], weeks: int) -> Slope:
    """Units per week over the last `weeks` weeks of a daily series (last value = the last whole
    day), with its 95% interval."""
    tail = _array(values)[-weeks * 7 :]
    present = ~np.isnan(tail)
    count = int(present.sum())
    if count < MIN_SLOPE_DAYS:
        return Slope(weeks, None, count)
    day = np.flatnonzero(present)
    y = tail[present]
    x = np.column_stack((np.ones(count), day / 7.0))
    value, low, high = interval(hac_ols(y, x, day, bandwidth(count)), 1)
    return Slope(weeks, _clean(value), count, _clean(low), _clean(high))


def slopes(values: Sequence[float | None], weeks: Sequence[int] = SLOPE_WEEKS) -> list[Slope]:
    return [slope(values, w) for w in weeks]
