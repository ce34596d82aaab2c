"""The day-by-day history: every timed entry, grouped by the user's local day, newest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mitra.domain.journal import AdverseEffect, CheckIn, UseEvent, Vital
from mitra.domain.products import Product

HISTORY_KINDS = ("uses", "checkins", "effects", "vitals")


@dataclass(frozen=True)
class HistoryEntry:
    kind: str
    id: int
    at: datetime
    local_time: str
    title: str
    detail: str


@dataclass(frozen=True)
class HistoryDay:
    day: date
    entries: tuple[HistoryEntry, ...]


def describe_use(event: UseEvent, product: Product | None) -> tuple[str, str]:
    name = product.name if product else f"product {event.product_id}"
    parts = []
    if event.grams_leaf is not None:
        parts.append(f"{event.grams_leaf:g} g leaf")
    if event.mg_mitragynine is not None:
        parts.append(f"{event.mg_mitragynine:g} mg mitragynine")
    if event.mg_7oh is not None:
        parts.append(f"{event.mg_7oh:g} mg 7-OH")
    detail = ", ".join(parts) if parts else f"not converted: {event.conversion_note}"
    return f"{event.amount:g} {event.unit} {name}", detail


def describe_checkin(checkin: CheckIn) -> tuple[str, str]:
    rated = [f"{name} {value}" for name, value in checkin.ratings().items() if value is not None]
    return "Daily check-in", ", ".join(rated)


def describe_effect(effect: AdverseEffect) -> tuple[str, str]:
    return effect.label, f"severity {effect.severity}/10"


def describe_vital(vital: Vital) -> tuple[str, str]:
    parts = []
    if vital.heart_rate is not None:
        parts.append(f"heart rate {vital.heart_rate}/min")
    if vital.systolic is not None:
        parts.append(f"blood pressure {vital.systolic}/{vital.diastolic} mmHg")
    return "Vital signs", ", ".join(parts)


def build_history(
    *,
    uses: Iterable[UseEvent] = (),
    checkins: Iterable[CheckIn] = (),
    effects: Iterable[AdverseEffect] = (),
    vitals: Iterable[Vital] = (),
    products: Mapping[int, Product],
    tz: str,
) -> list[HistoryDay]:
    """Group entries by local day (newest day first, newest entry first within a day)."""
    zone = ZoneInfo(tz)
    items: list[tuple[str, int | None, datetime, tuple[str, str]]] = []
    items += [("uses", u.id, u.taken_at, describe_use(u, products.get(u.product_id))) for u in uses]
    items += [("checkins", c.id, c.recorded_at, describe_checkin(c)) for c in checkins]
    items += [("effects", e.id, e.occurred_at, describe_effect(e)) for e in effects]
    items += [("vitals", v.id, v.measured_at, describe_vital(v)) for v in vitals]
    days: dict[date, list[HistoryEntry]] = defaultdict(list)
    for kind, entry_id, at, (title, detail) in items:
        local = at.astimezone(zone)
        assert entry_id is not None
        entry = HistoryEntry(kind, entry_id, at, local.strftime("%H:%M"), title, detail)
        days[local.date()].append(entry)
    return [
        HistoryDay(day, tuple(sorted(days[day], key=lambda e: (e.at, e.id), reverse=True)))
        for day in sorted(days, reverse=True)
    ]
