"""Read the taper planner's data (knowledge/taper/paces.yaml): paces, custom limits, hold and
escalation thresholds, where guidance differs, and the treatment options.

Shapes are checked here; unknown fields are refused and every source id must exist, so a broken
file fails the test suite and the app start, never a person's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from mitra.adapters.knowledge.evidence import load_sources
from mitra.adapters.knowledge.instruments import load_instruments
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.taper import CustomLimits, EscalationRules, HoldRules, Pace, PaceKind
from mitra.errors import ConfigurationError

PACES_FILE = "taper/paces.yaml"
TOP = frozenset(
    {
        "as_of",
        "paces",
        "frequency",
        "custom",
        "holds",
        "escalation",
        "after_zero_days",
        "measures",
        "positions",
        "treatments",
    }
)
PACE_FIELDS = frozenset(
    {
        "id",
        "name",
        "kind",
        "percent",
        "grams",
        "every_days",
        "ceiling_percent",
        "summary",
        "sources",
    }
)
CUSTOM_FIELDS = frozenset({"max_percent", "per_days", "min_every_days", "sources"})
HOLD_FIELDS = frozenset(
    {
        "sows_rise_points",
        "sows_baseline_days",
        "sleep_drop_points",
        "sleep_days",
        "gad7_rise_points",
        "logic",
        "sources",
    }
)
ESCALATION_FIELDS = frozenset(
    {
        "sows_severe_at_least",
        "very_high_grams_per_day",
        "holds_without_progress",
        "logic",
        "sources",
    }
)
POSITION_FIELDS = frozenset({"who", "says", "sources"})
TREATMENT_FIELDS = frozenset({"id", "title", "text", "sources"})


@dataclass(frozen=True)
class Sourced:
    title: str
    text: str
    sources: tuple[str, ...]
    id: str = ""


MEASURE_FIELDS = frozenset({"sows_every_days", "mood_every_days", "logic"})


@dataclass(frozen=True)
class MeasureIntervals:
    """How often the measures schedule asks for the SOWS and the PHQ-9 / GAD-7 during a plan
    and for `after_zero_days` after it (Mitra's choice; `logic` says so)."""

    sows_every_days: int
    mood_every_days: int
    logic: str


@dataclass(frozen=True)
class TaperKnowledge:
    as_of: date
    paces: tuple[Pace, ...]
    frequency: Sourced
    custom: CustomLimits
    holds: HoldRules
    hold_logic: str
    hold_sources: tuple[str, ...]
    escalation: EscalationRules
    escalation_logic: str
    escalation_sources: tuple[str, ...]
    after_zero_days: int
    measures: MeasureIntervals
    positions: tuple[Sourced, ...]
    treatments: tuple[Sourced, ...]

    def pace(self, pace_id: str) -> Pace | None:
        return next((p for p in self.paces if p.id == pace_id), None)


def _fail(where: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"knowledge file {PACES_FILE}: {where} {reason}")


class _Entry:
    def __init__(self, where: str, data: Any, known: frozenset[str]) -> None:
        if not isinstance(data, Mapping):
            raise _fail(where, "must be a mapping")
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise _fail(f"{where}.{unknown[0]}", "is not a known field (misspelt?)")
        self.where, self.data = where, data

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _fail(f"{self.where}.{name}", "must be non-empty text")
        return " ".join(value.split())

    def number(self, name: str, *, optional: bool = False) -> float | None:
        value = self.data.get(name)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise _fail(f"{self.where}.{name}", "must be a positive number")
        return float(value)

    def whole(self, name: str) -> int:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _fail(f"{self.where}.{name}", "must be a positive whole number")
        return value

    def sources(self, known: Mapping[str, Any]) -> tuple[str, ...]:
        value = self.data.get("sources")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _fail(f"{self.where}.sources", "must be a non-empty list of source ids")
        for source_id in value:
            if source_id not in known:
                raise _fail(f"{self.where}.sources", f"names an unknown source {source_id!r}")
        return tuple(value)


def _pace(index: int, data: Any, known: Mapping[str, Any]) -> Pace:
    entry = _Entry(f"paces[{index}]", data, PACE_FIELDS)
    kind_text = entry.text("kind")
    try:
        kind = PaceKind(kind_text)
    except ValueError:
        raise _fail(f"{entry.where}.kind", f"{kind_text!r} is not a pace kind") from None
    percent = entry.number("percent", optional=True)
    grams = entry.number("grams", optional=True)
    if (kind is PaceKind.PROPORTIONAL) != (percent is not None) or (
        kind is PaceKind.FIXED_GRAMS
    ) != (grams is not None):
        raise _fail(entry.where, "a proportional pace needs percent, a fixed one grams")
    ceiling = float(entry.number("ceiling_percent") or 0)
    if percent is not None and percent > ceiling:
        raise _fail(entry.where, "percent is above its own ceiling")
    return Pace(
        id=entry.text("id"),
        name=entry.text("name"),
        kind=kind,
        every_days=entry.whole("every_days"),
        ceiling_percent=ceiling,
        percent=percent,
        grams=grams,
        summary=entry.text("summary"),
        sources=entry.sources(known),
    )


def _list(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list) or not value:
        raise _fail(key, "must be a non-empty list")
    return value


@cache
def load_taper() -> TaperKnowledge:
    """The taper file, checked (read once per process)."""
    document = read_yaml(PACES_FILE)
    top = _Entry("top level", document, TOP)
    known = load_sources()
    phq9 = load_instruments()["phq9"].meaningful_change
    if phq9 is None or phq9.points is None:
        raise _fail("holds", "needs the PHQ-9's meaningful change in points")
    as_of = document.get("as_of")
    if not isinstance(as_of, date):
        raise _fail("as_of", "must be a date")
    paces = tuple(_pace(i, p, known) for i, p in enumerate(_list(document, "paces")))
    if len({p.id for p in paces}) != len(paces):
        raise _fail("paces", "ids must be unique")
    frequency = _Entry("frequency", document.get("frequency"), frozenset({"text", "sources"}))
    custom = _Entry("custom", document.get("custom"), CUSTOM_FIELDS)
    holds = _Entry("holds", document.get("holds"), HOLD_FIELDS)
    escalation = _Entry("escalation", document.get("escalation"), ESCALATION_FIELDS)
    measures = _Entry("measures", document.get("measures"), MEASURE_FIELDS)
    positions = []
    for i, data in enumerate(_list(document, "positions")):
        entry = _Entry(f"positions[{i}]", data, POSITION_FIELDS)
        positions.append(Sourced(entry.text("who"), entry.text("says"), entry.sources(known)))
    treatments = []
    for i, data in enumerate(_list(document, "treatments")):
        entry = _Entry(f"treatments[{i}]", data, TREATMENT_FIELDS)
        treatments.append(
            Sourced(entry.text("title"), entry.text("text"), entry.sources(known), entry.text("id"))
        )
    return TaperKnowledge(
        as_of=as_of,
        paces=paces,
        frequency=Sourced("Frequency first", frequency.text("text"), frequency.sources(known)),
        custom=CustomLimits(
            max_percent=float(custom.number("max_percent") or 0),
            per_days=custom.whole("per_days"),
            min_every_days=custom.whole("min_every_days"),
            sources=custom.sources(known),
        ),
        holds=HoldRules(
            sows_rise_points=float(holds.number("sows_rise_points") or 0),
            sows_baseline_days=holds.whole("sows_baseline_days"),
            phq9_rise_points=float(phq9.points),
            gad7_rise_points=float(holds.number("gad7_rise_points") or 0),
            sleep_drop_points=float(holds.number("sleep_drop_points") or 0),
            sleep_days=holds.whole("sleep_days"),
        ),
        hold_logic=holds.text("logic"),
        hold_sources=holds.sources(known),
        escalation=EscalationRules(
            sows_severe_at_least=float(escalation.number("sows_severe_at_least") or 0),
            very_high_grams_per_day=float(escalation.number("very_high_grams_per_day") or 0),
            holds_without_progress=escalation.whole("holds_without_progress"),
        ),
        escalation_logic=escalation.text("logic"),
        escalation_sources=escalation.sources(known),
        after_zero_days=top.whole("after_zero_days"),
        measures=MeasureIntervals(
            sows_every_days=measures.whole("sows_every_days"),
            mood_every_days=measures.whole("mood_every_days"),
            logic=measures.text("logic"),
        ),
        positions=tuple(positions),
        treatments=tuple(treatments),
    )
