"""One seeded generator of realistic synthetic journals, for demos, tests and benchmarks.

Pure: a `random.Random(seed)` and the start time are passed in, so the same seed always gives the
same journal. Knobs: length, dosing pattern, and a planted effect of daily grams on anxiety that
analytics must be able to recover.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mitra.domain.journal import (
    AdverseEffect,
    CheckIn,
    Effect,
    Medication,
    Schedule,
    UseEvent,
    Vital,
    make_use_event,
)
from mitra.domain.products import Product, ProductForm, ServingUnit

PATTERNS = ("steady", "escalating", "tapering")
DEMO_PRODUCTS = (
    Product(
        "Red Bali",
        ProductForm.LEAF_POWDER,
        vendor="Demo Botanicals",
        mitragynine_mg_per_g=15,
        custom_units=(("scoop", 2.5),),
        lot="RB-0425",
    ),
    Product(
        "Green Maeng Da capsules",
        ProductForm.CAPSULE,
        vendor="Demo Botanicals",
        custom_units=(("capsule", 0.5),),
    ),
    Product("White Borneo", ProductForm.LEAF_POWDER, vendor="Leafy Demo Co"),
    Product(
        "Extract shot",
        ProductForm.TINCTURE,
        vendor="Shot Demo Inc",
        mitragynine_mg_per_unit=5,
        serving_unit=ServingUnit.ML,
    ),
)


@dataclass(frozen=True)
class DemoUse:
    product_index: int
    amount: float
    unit: str
    taken_at: datetime


@dataclass(frozen=True)
class DemoKnobs:
    days: int = 90
    seed: int = 1
    pattern: str = "steady"
    anxiety_effect_per_g: float = 0.0
    tz: str = "UTC"


@dataclass
class DemoJournal:
    products: list[Product] = field(default_factory=list)
    uses: list[DemoUse] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    effects: list[AdverseEffect] = field(default_factory=list)
    vitals: list[Vital] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)


def _daily_grams(pattern: str, day: int, days: int, rng: random.Random) -> float:
    progress = day / max(days - 1, 1)
    base = {"steady": 4.0, "escalating": 2.0 + 8.0 * progress, "tapering": 8.0 - 6.5 * progress}
    return max(0.0, base[pattern] + rng.gauss(0, 1.2))


def _day_uses(grams: float, day_start: datetime, rng: random.Random) -> list[DemoUse]:
    doses = 1 + min(3, int(grams // 3)) if grams > 0.5 else 0
    uses = []
    hour = rng.uniform(6.5, 10)
    for _ in range(doses):
        index = rng.choices((0, 1, 2, 3), weights=(6, 3, 2, 1))[0]
        per_dose = grams / doses
        if index == 1:
            amount, unit = float(max(1, round(per_dose / 0.5))), "capsule"
        elif index == 3:
            amount, unit = round(max(1.0, per_dose), 1), "ml"
        else:
            amount, unit = round(max(0.5, per_dose), 1), "g"
        uses.append(DemoUse(index, amount, unit, day_start + timedelta(hours=hour)))
        hour = min(hour + rng.uniform(3, 6), 23.5)
    return uses


def generate(knobs: DemoKnobs, now: datetime) -> DemoJournal:
    """A journal of `knobs.days` days ending today (in knobs.tz), with nothing later than `now`."""
    rng = random.Random(knobs.seed)
    zone = ZoneInfo(knobs.tz)
    today = now.astimezone(zone).date()
    journal = DemoJournal(products=list(DEMO_PRODUCTS))
    journal.medications.append(
        Medication(
            "Sertraline",
            dose_text="50 mg daily",
            schedule=Schedule.SCHEDULED,
            started_on=today - timedelta(days=knobs.days + 200),
        )
    )
    noise = 0.0
    for offset in range(knobs.days):
        day = today - timedelta(days=knobs.days - 1 - offset)
        start = datetime(day.year, day.month, day.day, tzinfo=zone)
        grams = _daily_grams(knobs.pattern, offset, knobs.days, rng)
        uses = _day_uses(grams, start, rng)
        journal.uses.extend(uses)
        noise = 0.5 * noise + rng.gauss(0, 1.0)
        if rng.random() < 0.9:
            journal.checkins.append(_checkin(knobs, grams, noise, start, rng))
        if rng.random() < 0.06:
            effect = rng.choice(
                [Effect.NAUSEA, Effect.CONSTIPATION, Effect.ITCHING, Effect.INSOMNIA]
            )
            journal.effects.append(
                AdverseEffect(start + timedelta(hours=14), knobs.tz, effect, rng.randint(2, 6))
            )
        if offset % 7 == 3:
            journal.vitals.append(
                Vital(
                    start + timedelta(hours=9),
                    knobs.tz,
                    heart_rate=rng.randint(62, 96),
                    systolic=rng.randint(112, 138),
                    diastolic=rng.randint(70, 88),
                )
            )
    return _until(journal, now)


def _until(journal: DemoJournal, now: datetime) -> DemoJournal:
    journal.uses = [u for u in journal.uses if u.taken_at <= now]
    journal.checkins = [c for c in journal.checkins if c.recorded_at <= now]
    journal.effects = [e for e in journal.effects if e.occurred_at <= now]
    journal.vitals = [v for v in journal.vitals if v.measured_at <= now]
    return journal


def _checkin(
    knobs: DemoKnobs, grams: float, noise: float, start: datetime, rng: random.Random
) -> CheckIn:
    def rating(value: float) -> int:
        return max(0, min(10, round(value)))

    anxiety = 5.5 + knobs.anxiety_effect_per_g * grams + noise
    return CheckIn(
        recorded_at=start + timedelta(hours=21),
        tz=knobs.tz,
        mood=rating(5.5 - 0.5 * noise + rng.gauss(0, 1)),
        anxiety=rating(anxiety),
        pain=rating(4 + rng.gauss(0, 1.5)),
        sleep=rating(6 + rng.gauss(0, 1.5)),
        craving=rating(2 + 0.4 * grams + rng.gauss(0, 1)),
    )


def demo_use_events(
    journal: DemoJournal,
    now: datetime,
    tz: str = "UTC",
    products: Sequence[Product] | None = None,
) -> list[UseEvent]:
    """The journal's uses converted with their products' labels (checked like any use).

    `products` are the journal's products as stored (with their ids); without them, products are
    numbered by position, for analytics tests and benchmarks that skip the store.
    """
    stored = products or [replace(p, id=i) for i, p in enumerate(journal.products)]
    return [
        make_use_event(
            stored[u.product_index],
            amount=u.amount,
            unit=u.unit,
            taken_at=u.taken_at,
            tz=tz,
            now=now,
        )
        for u in journal.uses
    ]
