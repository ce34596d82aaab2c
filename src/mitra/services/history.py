"""The history use case: entries of the last N days (or a date range), filtered by kind.

Which kinds appear is the registry's: every kind with a history line (`Kind.describe`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from mitra.adapters.store import repositories as repo
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.history import HistoryDay, HistoryItem, build_history
from mitra.errors import InvalidInputError
from mitra.services.context import Mitra
from mitra.services.registry import KINDS, history_kinds

MAX_DAYS = 3660


def history(
    mitra: Mitra,
    *,
    days: int = 14,
    until: date | None = None,
    kinds: Collection[str] | None = None,
) -> list[HistoryDay]:
    """Entries from `days` local days ending on `until` (default today), newest first; `kinds`
    (default: every kind in the history) narrows it."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError.one("days", f"must be from 1 to {MAX_DAYS}, got {days}")
    shown = history_kinds()
    wanted = shown if kinds is None else tuple(kinds)
    unknown = sorted(set(wanted) - set(shown))
    if unknown:
        raise InvalidInputError.one("kind", f"unknown kind {unknown[0]!r}; use {', '.join(shown)}")
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        last = until or local_day(mitra.now(), tz)
        since, _ = day_bounds(last - timedelta(days=days - 1), tz)
        _, end = day_bounds(last, tz)
        products = {p.id: p for p in repo.products.list(conn) if p.id is not None}
        items: list[HistoryItem] = []
        for name in (n for n in shown if n in wanted):
            kind = KINDS[name]
            assert kind.describe is not None
            for entry in kind.repository.list(conn, since=since, until=end):
                title, detail = kind.describe(entry, products)
                items.append(HistoryItem(name, entry.id, kind.at(entry), title, detail))
        return build_history(items, tz)
