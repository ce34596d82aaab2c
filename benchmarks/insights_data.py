"""One seeded demo year as day series (grams, check-ins), for the n-of-1 benchmark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mitra.domain.analytics import daily
from mitra.domain.demo import DemoKnobs, demo_use_events, generate

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def day_series(days: int) -> tuple[list[daily.DayUse], list[daily.CheckinDay]]:
    journal = generate(DemoKnobs(days=days, seed=1, anxiety_effect_per_g=-0.5), NOW)
    end = NOW.date()
    start = end - timedelta(days=days - 1)
    return (
        daily.daily_use(demo_use_events(journal, NOW), "UTC", start, end),
        daily.checkin_days(journal.checkins, "UTC", start, end),
    )
