"""The history use case: entries of the last N days (or a date range), filtered by kind.

Which kinds appear is the registry's: every kind with a history line (`Kind.describe`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mitra.adapters.store import repositories as repo
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.history import HistoryDay, HistoryItem, build_history
from mitra.errors import InvalidInputError
from mitra.services.context import Mitra
from mitra.services.registry import KINDS, history_kinds

MAX_DAYS = 3660
LIST_DAYS = 90  # a kind's own list page shows a quarter, however long the journal is


@dataclass(frozen=True)
class Window:
    """One kind's entries of `days` local days ending on `last`, newest first, and the zone
    they were read in (a page shows their times in it)."""

    entries: list[Any]
    tz: str
    days: int
    last: date

    @property
    def earlier(self) -> date:
        """The last day of the window just before this one."""
        return self.last - timedelta(days=self.days)


def _checked_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError.one("days", f"must be from 1 to {MAX_DAYS}, got {days}")
    return days


def _bounds(last: date, days: int, tz: str) -> tuple[datetime, datetime]:
    since, _ = day_bounds(last - timedelta(days=days - 1), tz)
    _, end = day_bounds(last, tz)
    return since, end


def history(
    mitra: Mitra,
    *,
    days: int = 14,
    until: date | None = None,
    kinds: Collection[str] | None = None,
) -> list[HistoryDay]:
    """Entries from `days` local days ending on `until` (default today), newest first; `kinds`
    (default: every kind in the history) narrows it."""
    _checked_days(days)
    shown = history_kinds()
    wanted = shown if kinds is None else tuple(kinds)
    unknown = sorted(set(wanted) - set(shown))
    if unknown:
        raise InvalidInputError.one("kind", f"unknown kind {unknown[0]!r}; use {', '.join(shown)}")
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        last = until or local_day(mitra.now(), tz)
        since, end = _bounds(last, days, tz)
        products = {p.id: p for p in repo.products.list(conn) if p.id is not None}
        items: list[HistoryItem] = []
        for name in (n for n in shown if n in wanted):
            kind = KINDS[name]
            assert kind.describe is not None
            for entry in kind.repository.list(conn, since=since, until=end):
                title, detail = kind.describe(entry, products)
                items.append(HistoryItem(name, entry.id, kind.at(entry), title, detail))
        return build_history(items, tz)


def window(
    mitra: Mitra, kind_name: str, *, days: int = LIST_DAYS, until: date | None = None
) -> Window:
    """The entries of one kind in the history (uses, check-ins, effects, vitals) from `days`
    local days ending on `until` (default today): what its list page shows, so the page holds
    what those days hold however many years the journal has (#16)."""
    _checked_days(days)
    kind = KINDS[kind_name]
    if not kind.in_history:
        raise InvalidInputError.one("kind", f"{kind_name!r} entries have no time to page by")
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        last = until or local_day(mitra.now(), tz)
        since, end = _bounds(last, days, tz)
        return Window(kind.repository.list(conn, since=since, until=end), tz, days, last)
