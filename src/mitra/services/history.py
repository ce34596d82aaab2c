"""The history use case: entries of the last N days (or a date range), filtered by kind."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from mitra.adapters.store import repositories as repo
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.history import HISTORY_KINDS, HistoryDay, build_history
from mitra.errors import InvalidInputError
from mitra.services.context import Mitra

MAX_DAYS = 3660


def history(
    mitra: Mitra,
    *,
    days: int = 14,
    until: date | None = None,
    kinds: Collection[str] = HISTORY_KINDS,
) -> list[HistoryDay]:
    """Entries from `days` local days ending on `until` (default today), newest first."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError.one("days", f"must be from 1 to {MAX_DAYS}, got {days}")
    unknown = sorted(set(kinds) - set(HISTORY_KINDS))
    if unknown:
        allowed = ", ".join(HISTORY_KINDS)
        raise InvalidInputError.one("kind", f"unknown kind {unknown[0]!r}; use {allowed}")
    tz = mitra.timezone()
    last = until or local_day(mitra.now(), tz)
    since, _ = day_bounds(last - timedelta(days=days - 1), tz)
    _, end = day_bounds(last, tz)
    with mitra.store.read() as conn:
        products = {p.id: p for p in repo.products.list(conn) if p.id is not None}
        return build_history(
            uses=repo.use_events.list(conn, since=since, until=end) if "uses" in kinds else (),
            checkins=repo.checkins.list(conn, since=since, until=end)
            if "checkins" in kinds
            else (),
            effects=repo.adverse_effects.list(conn, since=since, until=end)
            if "effects" in kinds
            else (),
            vitals=repo.vitals.list(conn, since=since, until=end) if "vitals" in kinds else (),
            products=products,
            tz=tz,
        )
