"""Per local day: grams of leaf, mg mitragynine, doses, amount per dose, first dose, gaps between
doses; days of use per week; the daily check-in series.

A day on or after the first logged use with nothing logged counts as 0 g (a day without use);
days before the first logged use are unknown, never 0. A day with a dose that could not be
converted to grams of leaf (an extract, a shot) has unknown grams: a partial sum would understate.
The identity daily amount = doses x amount per dose holds for every day with known grams.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mitra.domain.journal import CHECKIN_SCALES, CheckIn, UseEvent


@dataclass(frozen=True)
class DayUse:
    day: date
    doses: int
    grams_leaf: float | None
    mg_mitragynine: float | None
    first_dose_hour: float | None
    gaps_hours: tuple[float, ...] = ()

    @property
    def grams_per_dose(self) -> float | None:
        if self.grams_leaf is None or self.doses == 0:
            return None
        return self.grams_leaf / self.doses


@dataclass(frozen=True)
class WeekUse:
    week_start: date
    days_known: int
    days_of_use: int


@dataclass(frozen=True)
class CheckinDay:
    day: date
    ratings: dict[str, float | None]


def days_between(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _hour(at: datetime) -> float:
    return at.hour + at.minute / 60 + at.second / 3600


def _sum_or_none(values: Sequence[float | None]) -> float | None:
    if any(v is None for v in values):
        return None
    return round(sum(v for v in values if v is not None), 4)


def _one_day(day: date, times: list[datetime], events: list[UseEvent]) -> DayUse:
    if not events:
        return DayUse(day, 0, 0.0, 0.0, None)
    gaps = tuple(
        round((b - a).total_seconds() / 3600, 4) for a, b in zip(times, times[1:], strict=False)
    )
    return DayUse(
        day,
        len(events),
        _sum_or_none([e.grams_leaf for e in events]),
        _sum_or_none([e.mg_mitragynine for e in events]),
        round(_hour(times[0]), 4),
        gaps,
    )


def daily_use(
    uses: Iterable[UseEvent], tz: str, start: date, end: date, *, used_before: bool = False
) -> list[DayUse]:
    """One `DayUse` per local day from `start` to `end`; unknown (None) before the first use,
    unless `used_before` says uses were logged before `start`."""
    zone = ZoneInfo(tz)
    by_day: dict[date, list[tuple[datetime, UseEvent]]] = defaultdict(list)
    for event in uses:
        local = event.taken_at.astimezone(zone)
        by_day[local.date()].append((local, event))
    first = start if used_before else min(by_day, default=None)
    out = []
    for day in days_between(start, end):
        if first is None or day < first:
            out.append(DayUse(day, 0, None, None, None))
            continue
        pairs = sorted(by_day.get(day, []), key=lambda p: p[0])
        out.append(_one_day(day, [p[0] for p in pairs], [p[1] for p in pairs]))
    return out


def weekly_use(days: Sequence[DayUse]) -> list[WeekUse]:
    """Days of use per 7-day block, counted back from the last day (the last block is full)."""
    weeks = []
    for stop in range(len(days), 0, -7):
        block = days[max(0, stop - 7) : stop]
        known = [d for d in block if d.grams_leaf is not None or d.doses > 0]
        weeks.append(WeekUse(block[0].day, len(known), sum(1 for d in known if d.doses > 0)))
    return weeks[::-1]


def checkin_days(checkins: Iterable[CheckIn], tz: str, start: date, end: date) -> list[CheckinDay]:
    """One row per day; several check-ins on one day are averaged per scale."""
    zone = ZoneInfo(tz)
    sums: dict[date, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for checkin in checkins:
        day = checkin.recorded_at.astimezone(zone).date()
        for name, value in checkin.ratings().items():
            if value is not None:
                sums[day][name].append(value)
    return [
        CheckinDay(
            day,
            {
                name: (sum(v) / len(v) if (v := sums[day][name]) else None) if day in sums else None
                for name in CHECKIN_SCALES
            },
        )
        for day in days_between(start, end)
    ]


@dataclass(frozen=True)
class UseSummary:
    """Averages over the days whose grams are known; `grams_per_day` = `doses_per_day` x
    `grams_per_dose` exactly (amount per dose is total grams over total doses)."""

    days_known: int
    days_of_use: int
    grams_per_day: float | None
    doses_per_day: float | None
    grams_per_dose: float | None
    mg_mitragynine_per_day: float | None
    mg_days: int
    first_dose_hour: float | None
    median_gap_hours: float | None

    @property
    def first_dose_clock(self) -> str | None:
        """The median first-dose time as HH:MM."""
        if self.first_dose_hour is None:
            return None
        minutes = round(self.first_dose_hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def summarise_use(days: Sequence[DayUse]) -> UseSummary:
    known = [d for d in days if d.grams_leaf is not None]
    grams = sum(d.grams_leaf or 0.0 for d in known)
    doses = sum(d.doses for d in known)
    mg_days = [d.mg_mitragynine for d in days if d.mg_mitragynine is not None]
    firsts = [d.first_dose_hour for d in days if d.first_dose_hour is not None]
    gaps = [gap for d in days for gap in d.gaps_hours]
    return UseSummary(
        days_known=len(known),
        days_of_use=sum(1 for d in days if d.doses > 0),
        grams_per_day=grams / len(known) if known else None,
        doses_per_day=doses / len(known) if known else None,
        grams_per_dose=grams / doses if doses else None,
        mg_mitragynine_per_day=sum(mg_days) / len(mg_days) if mg_days else None,
        mg_days=len(mg_days),
        first_dose_hour=_median(firsts),
        median_gap_hours=_median(gaps),
    )


def describe_decomposition(earlier: UseSummary, later: UseSummary) -> str | None:
    """'Daily amount = doses per day x amount per dose', earlier half against later half."""
    parts = (earlier.grams_per_day, later.grams_per_day, earlier.grams_per_dose)
    if any(p is None for p in parts) or later.grams_per_dose is None:
        return None
    assert earlier.doses_per_day is not None and later.doses_per_day is not None
    return (
        f"Daily amount went from {earlier.grams_per_day:.1f} g to {later.grams_per_day:.1f} g "
        f"(first half of the period against the second): doses per day "
        f"{earlier.doses_per_day:.1f} to {later.doses_per_day:.1f}, amount per dose "
        f"{earlier.grams_per_dose:.1f} g to {later.grams_per_dose:.1f} g. "
        "Daily amount = doses per day x amount per dose."
    )
