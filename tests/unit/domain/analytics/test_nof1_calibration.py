"""Calibration: is the n-of-1 interval honest? On seeded synthetic journals from the demo
generator, the 95% interval should cover a planted effect in about 95% of seeds, and under no
effect it should exclude zero (a false positive) in about 5%.

Tolerance: with N seeds the count is binomial; we accept any count inside the central 99%
binomial interval around the nominal rate (scipy.stats.binom.interval(0.99, N, p)). For N = 300:
coverage count 275 to 294 of 300 (91.7% to 98.0%); false positives 6 to 25 of 300 (2% to 8.3%).

Each journal is 180 days of the steady pattern. A planted effect of -0.5 points per gram keeps
anxiety (5.5 - 0.5 x about 4 g + noise) well inside the 0-10 rating scale, so the generator's
rounding to whole numbers and clipping at 0 and 10 do not bias the estimate (see docs/insights.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scipy.stats import binom  # type: ignore[import-untyped]  # scipy ships no stubs

from mitra.domain.analytics import daily, nof1
from mitra.domain.demo import DemoKnobs, demo_use_events, generate

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SEEDS = 300
DAYS = 180


def anxiety_estimate(seed: int, effect: float) -> nof1.Estimate:
    journal = generate(DemoKnobs(days=DAYS, seed=seed, anxiety_effect_per_g=effect), NOW)
    uses = demo_use_events(journal, NOW)
    end = NOW.date()
    start = end - timedelta(days=DAYS - 1)
    findings = nof1.associations(
        daily.daily_use(uses, "UTC", start, end),
        daily.checkin_days(journal.checkins, "UTC", start, end),
    )
    estimate = findings[1].same_day
    assert findings[1].outcome == "anxiety" and estimate is not None
    return estimate


def bounds(rate: float) -> tuple[int, int]:
    low, high = binom.interval(0.99, SEEDS, rate)
    return int(low), int(high)


@pytest.mark.slow
def test_the_95_percent_interval_covers_a_planted_effect_in_about_95_percent_of_seeds() -> None:
    covered = sum(
        e.low <= -0.5 <= e.high for e in (anxiety_estimate(s, -0.5) for s in range(SEEDS))
    )
    low, high = bounds(0.95)
    assert (low, high) == (275, 294)
    assert low <= covered <= high, f"covered {covered} of {SEEDS}"


@pytest.mark.slow
def test_under_no_effect_the_interval_excludes_zero_in_about_5_percent_of_seeds() -> None:
    positives = sum(anxiety_estimate(s, 0.0).excludes_zero for s in range(1000, 1000 + SEEDS))
    low, high = bounds(0.05)
    assert (low, high) == (6, 25)
    assert low <= positives <= high, f"false positives {positives} of {SEEDS}"
