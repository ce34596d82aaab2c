"""Use over whole days: the one computation behind Home, insights (web, CLI, API), the clinician
report and (later) a taper baseline.

A day counts once it has ended in the person's zone: the last whole day is yesterday. Today is
read too, but only shown apart ("so far today"), never averaged, counted in days of use, used in
a trend or in the n-of-1 analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Connection

from mitra.adapters.store import repositories as repo
from mitra.domain.analytics import daily, trends
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.journal import UseEvent
from mitra.services.context import Mitra

HOME_WEEKS = 4


def last_whole_day(now: datetime, tz: str) -> date:
    """The most recent local day that has ended: yesterday in the person's zone."""
    return local_day(now, tz) - timedelta(days=1)


@dataclass(frozen=True)
class UseData:
    """Uses from `first` to `last` (both included), with what the days need to be counted."""

    uses: list[UseEvent]
    used_before: bool
    kinds: dict[int, daily.DoseKind]


def read_uses(conn: Connection, tz: str, first: date, last: date) -> UseData:
    since, _ = day_bounds(first, tz)
    _, until = day_bounds(last, tz)
    return UseData(
        uses=repo.uses.list(conn, since=since, until=until),
        used_before=bool(repo.uses.list(conn, until=since, limit=1)),
        kinds=daily.dose_kinds(repo.products.list(conn)),
    )


def use_days(data: UseData, tz: str, first: date, last: date) -> list[daily.DayUse]:
    """One `DayUse` per local day from `first` to `last` (both included)."""
    return daily.daily_use(
        data.uses, tz, first, last, used_before=data.used_before, kinds=data.kinds
    )


@dataclass(frozen=True)
class UseWindow:
    """`weeks` x 7 whole days ending yesterday, and today so far."""

    weeks: int
    start: date
    end: date
    days: tuple[daily.DayUse, ...]
    summary: daily.UseSummary
    rows: tuple[tuple[str, str], ...]
    slope: trends.Slope
    today: daily.DayUse

    @property
    def so_far_today(self) -> str:
        return so_far_today(self.today)

    @property
    def covers(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()} ({len(self.days)} whole days)"


def window(data: UseData, tz: str, today: date, weeks: int) -> UseWindow:
    end = today - timedelta(days=1)
    start = end - timedelta(days=weeks * 7 - 1)
    days = use_days(data, tz, start, end)
    summary = daily.summarise_use(days)
    (now_day,) = use_days(data, tz, today, today)
    return UseWindow(
        weeks=weeks,
        start=start,
        end=end,
        days=tuple(days),
        summary=summary,
        rows=daily.describe_use(summary),
        slope=trends.slope([d.grams_leaf for d in days], weeks),
        today=now_day,
    )


def recent_use(mitra: Mitra, weeks: int = HOME_WEEKS) -> UseWindow:
    """Home's use box: the last `weeks` whole weeks and today so far."""
    tz = mitra.timezone()
    today = local_day(mitra.now(), tz)
    first = today - timedelta(days=weeks * 7)
    with mitra.store.read() as conn:
        data = read_uses(conn, tz, first, today)
    return window(data, tz, today, weeks)


def so_far_today(day: daily.DayUse) -> str:
    """'So far today: 2 doses, 4.0 g of leaf' (today is never counted in the figures)."""
    if day.doses == 0:
        return "So far today: nothing logged."
    parts = [f"{day.doses} dose{'s' if day.doses != 1 else ''}"]
    if day.grams_leaf is not None and day.doses_of_leaf:
        parts.append(f"{day.grams_leaf:.1f} g of leaf")
    if day.doses_7oh and day.mg_7oh is not None:
        parts.append(f"{day.mg_7oh:.0f} mg 7-OH")
    return "So far today: " + ", ".join(parts) + " (not counted until the day is over)."
