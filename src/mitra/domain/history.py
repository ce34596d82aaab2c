"""The day-by-day history: every timed entry, grouped by the user's local day, newest first.

Which kinds appear, and the line each entry gets, is the registry's (`services/registry.py`: a kind
with a `describe` function is in the history); this module holds those line builders and the
grouping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mitra.domain.journal import AdverseEffect, CheckIn, UseEvent, Vital
from mitra.domain.products import Product

Products = Mapping[int, Product]


@dataclass(frozen=True)
class HistoryItem:
    """One entry, described: what `build_history` groups."""

    kind: str
    id: int
    at: datetime
    title: str
    detail: str


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


def describe_use(event: UseEvent, products: Products) -> tuple[str, str]:
    product = products.get(event.product_id)
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


def describe_checkin(checkin: CheckIn, _products: Products) -> tuple[str, str]:
    rated = [f"{name} {value}" for name, value in checkin.ratings().items() if value is not None]
    return "Daily check-in", ", ".join(rated)


def describe_effect(effect: AdverseEffect, _products: Products) -> tuple[str, str]:
    return effect.label, f"severity {effect.severity}/10"


def describe_vital(vital: Vital, _products: Products) -> tuple[str, str]:
    parts = []
    if vital.heart_rate is not None:
        parts.append(f"heart rate {vital.heart_rate}/min")
    if vital.systolic is not None:
        parts.append(f"blood pressure {vital.systolic}/{vital.diastolic} mmHg")
    return "Vital signs", ", ".join(parts)


def build_history(items: Iterable[HistoryItem], tz: str) -> list[HistoryDay]:
    """Group entries by local day (newest day first, newest entry first within a day)."""
    zone = ZoneInfo(tz)
    days: dict[date, list[HistoryEntry]] = defaultdict(list)
    for item in items:
        local = item.at.astimezone(zone)
        entry = HistoryEntry(
            item.kind, item.id, item.at, local.strftime("%H:%M"), item.title, item.detail
        )
        days[local.date()].append(entry)
    return [
        HistoryDay(day, tuple(sorted(days[day], key=lambda e: (e.at, e.id), reverse=True)))
        for day in sorted(days, reverse=True)
    ]
