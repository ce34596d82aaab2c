"""The journal's entries and the rules every entry obeys, whichever interface it came through.

Pure: no I/O, no clock. Times are timezone-aware; `now` is always passed in. Each `check_*` function
collects every problem with an entry and raises them together as one InvalidInputError.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from mitra.domain.checks import (
    LIMITS,
    MAX_NAME,
    MAX_NOTE,
    MAX_UNIT,
    check_range,
    check_rating,
    check_text,
    check_time,
    check_zone,
)
from mitra.domain.products import Product
from mitra.domain.units import convert
from mitra.errors import Problems


class Schedule(StrEnum):
    SCHEDULED = "scheduled"
    AS_NEEDED = "as_needed"


class SubstanceKind(StrEnum):
    MEDICATION = "medication"
    SUBSTANCE = "substance"


class Effect(StrEnum):
    NAUSEA = "nausea"
    CONSTIPATION = "constipation"
    DIZZINESS = "dizziness"
    ITCHING = "itching"
    SWEATING = "sweating"
    INSOMNIA = "insomnia"
    PALPITATIONS = "palpitations"
    OTHER = "other"


CHECKIN_SCALES: Final = ("mood", "anxiety", "pain", "sleep", "craving")
CHECKIN_LABELS: Final = {
    "mood": "Mood (0 very low – 10 very good)",
    "anxiety": "Anxiety (0 none – 10 worst)",
    "pain": "Pain (0 none – 10 worst)",
    "sleep": "Sleep quality (0 very poor – 10 very good)",
    "craving": "Craving for kratom (0 none – 10 strongest)",
}


@dataclass(frozen=True)
class UseEvent:
    product_id: int
    taken_at: datetime
    tz: str
    amount: float
    unit: str
    grams_product: float | None
    grams_leaf: float | None
    mg_mitragynine: float | None
    mg_7oh: float | None
    conversion_note: str
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class CheckIn:
    recorded_at: datetime
    tz: str
    mood: int | None = None
    anxiety: int | None = None
    pain: int | None = None
    sleep: int | None = None
    craving: int | None = None
    note: str = ""
    id: int | None = None

    def ratings(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in CHECKIN_SCALES}


@dataclass(frozen=True)
class Medication:
    name: str
    kind: SubstanceKind = SubstanceKind.MEDICATION
    dose_text: str = ""
    schedule: Schedule = Schedule.SCHEDULED
    started_on: date | None = None
    stopped_on: date | None = None
    note: str = ""
    id: int | None = None

    def is_current(self, today: date) -> bool:
        return self.stopped_on is None or self.stopped_on >= today


@dataclass(frozen=True)
class AdverseEffect:
    occurred_at: datetime
    tz: str
    effect: Effect
    severity: int
    other_text: str = ""
    note: str = ""
    id: int | None = None

    @property
    def label(self) -> str:
        return self.other_text if self.effect is Effect.OTHER else self.effect.value.capitalize()


@dataclass(frozen=True)
class Vital:
    measured_at: datetime
    tz: str
    heart_rate: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    note: str = ""
    id: int | None = None


def check_checkin(checkin: CheckIn, now: datetime) -> None:
    problems = Problems()
    check_time(checkin.recorded_at, now, problems, "recorded_at")
    check_zone(checkin.tz, problems)
    ratings = checkin.ratings()
    for name, value in ratings.items():
        check_rating(value, problems, name)
    if all(value is None for value in ratings.values()):
        problems.add("mood", "rate at least one of mood, anxiety, pain, sleep or craving")
    check_text(checkin.note, MAX_NOTE, problems, "note")
    problems.raise_if_any()


def check_medication(med: Medication) -> None:
    problems = Problems()
    if not med.name.strip():
        problems.add("name", "a medication or substance needs a name")
    check_text(med.name, MAX_NAME, problems, "name")
    check_text(med.dose_text, MAX_NAME, problems, "dose_text")
    check_text(med.note, MAX_NOTE, problems, "note")
    if med.started_on and med.stopped_on and med.stopped_on < med.started_on:
        problems.add("stopped_on", "the stop date is before the start date")
    problems.raise_if_any()


def check_adverse_effect(effect: AdverseEffect, now: datetime) -> None:
    problems = Problems()
    check_time(effect.occurred_at, now, problems, "occurred_at")
    check_zone(effect.tz, problems)
    check_rating(effect.severity, problems, "severity")
    if effect.effect is Effect.OTHER and not effect.other_text.strip():
        problems.add("other_text", "describe the effect when choosing 'other'")
    check_text(effect.other_text, MAX_NAME, problems, "other_text")
    check_text(effect.note, MAX_NOTE, problems, "note")
    problems.raise_if_any()


def check_vital(vital: Vital, now: datetime) -> None:
    problems = Problems()
    check_time(vital.measured_at, now, problems, "measured_at")
    check_zone(vital.tz, problems)
    check_range(vital.heart_rate, LIMITS.heart_rate, problems, "heart_rate")
    check_range(vital.systolic, LIMITS.systolic, problems, "systolic")
    check_range(vital.diastolic, LIMITS.diastolic, problems, "diastolic")
    if (vital.systolic is None) != (vital.diastolic is None):
        problems.add("diastolic", "blood pressure needs both numbers (e.g. 120/80)")
    elif vital.systolic is not None and vital.diastolic is not None:
        if vital.systolic <= vital.diastolic:
            problems.add("systolic", "the first (systolic) number must be above the second")
    if vital.heart_rate is None and vital.systolic is None and vital.diastolic is None:
        problems.add("heart_rate", "record a heart rate, a blood pressure, or both")
    check_text(vital.note, MAX_NOTE, problems, "note")
    problems.raise_if_any()


def _check_use_fields(
    taken_at: datetime, tz: str, unit: str, note: str, now: datetime, problems: Problems
) -> None:
    check_time(taken_at, now, problems, "taken_at")
    check_zone(tz, problems)
    check_text(unit, MAX_UNIT, problems, "unit")
    check_text(note, MAX_NOTE, problems, "note")


def check_use(use: UseEvent, now: datetime) -> None:
    """A use as stored: time, zone, note and a positive amount. Its conversion is kept as it was
    computed when the use was logged (the product's label may have changed since), so an import
    does not recompute it; `make_use_event` is where a conversion is made."""
    problems = Problems()
    _check_use_fields(use.taken_at, use.tz, use.unit, use.note, now, problems)
    if not use.amount > 0:
        problems.add("amount", "must be more than 0")
    problems.raise_if_any()


def make_use_event(
    product: Product,
    *,
    amount: float,
    unit: str,
    taken_at: datetime,
    tz: str,
    now: datetime,
    note: str = "",
) -> UseEvent:
    """Validate a use and convert it with the product's label; every problem reported at once."""
    problems = Problems()
    _check_use_fields(taken_at, tz, unit, note, now, problems)
    problems.raise_if_any()
    conversion = convert(product, amount, unit)
    assert product.id is not None
    return UseEvent(
        product_id=product.id,
        taken_at=taken_at,
        tz=tz,
        amount=amount,
        unit=unit,
        grams_product=conversion.grams_product,
        grams_leaf=conversion.grams_leaf,
        mg_mitragynine=conversion.mg_mitragynine,
        mg_7oh=conversion.mg_7oh,
        conversion_note=conversion.note,
        note=note,
    )
