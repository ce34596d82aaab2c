"""One seeded demo year as day series (grams, check-ins), for the n-of-1 benchmark."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from mitra.domain.analytics import daily
from mitra.domain.demo import DEMO_PRODUCTS, DemoKnobs, generate
from mitra.domain.journal import make_use_event

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def day_series(days: int) -> tuple[list[daily.DayUse], list[daily.CheckinDay]]:
    products = [dataclasses.replace(p, id=i) for i, p in enumerate(DEMO_PRODUCTS)]
    journal = generate(DemoKnobs(days=days, seed=1, anxiety_effect_per_g=-0.5), NOW)
    uses = [
        make_use_event(
            products[u.product_index],
            amount=u.amount,
            unit=u.unit,
            taken_at=u.taken_at,
            tz="UTC",
            now=NOW,
        )
        for u in journal.uses
    ]
    end = NOW.date()
    start = end - timedelta(days=days - 1)
    return (
        daily.daily_use(uses, "UTC", start, end),
        daily.checkin_days(journal.checkins, "UTC", start, end),
    )
