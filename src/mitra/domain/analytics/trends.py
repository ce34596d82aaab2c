"""Smoothing and slopes for daily series with gaps.

- `rolling_mean`: a centred moving average over `window` calendar days, using the days that have
  a value; a day's smoothed value needs at least `min_values` values in its window.
- `slope`: the ordinary least-squares line through the last `weeks` weeks, in points per week,
  with how many days it rests on; none when fewer than `MIN_SLOPE_DAYS` days have a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

WINDOW_DAYS = 7
MIN_SLOPE_DAYS = 10
SLOPE_WEEKS = (4, 12, 52)


@dataclass(frozen=True)
class Slope:
    weeks: int
    per_week: float | None
    days: int

    def describe(self, unit: str = "points") -> str:
        if self.per_week is None:
            return f"last {self.weeks} weeks: not enough days ({self.days}) for a trend"
        if abs(self.per_week) < 0.05:
            return f"last {self.weeks} weeks: about level ({self.days} days)"
        way = "rising" if self.per_week > 0 else "falling"
        return (
            f"last {self.weeks} weeks: {way} by {abs(self.per_week):.1f} {unit} per week "
            f"({self.days} days)"
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


def slope(values: Sequence[float | None], weeks: int) -> Slope:
    """Points per week over the last `weeks` weeks of a daily series (last value = today)."""
    tail = _array(values)[-weeks * 7 :]
    days = np.arange(len(tail), dtype=float)
    present = ~np.isnan(tail)
    count = int(present.sum())
    x, y = days[present], tail[present]
    if count < MIN_SLOPE_DAYS:
        return Slope(weeks, None, count)
    fitted = np.polyfit(x, y, 1)
    return Slope(weeks, round(float(fitted[0]) * 7, 4), count)


def slopes(values: Sequence[float | None], weeks: Sequence[int] = SLOPE_WEEKS) -> list[Slope]:
    return [slope(values, w) for w in weeks]
