"""Recording what Mitra did on the user's behalf, including what failed and why."""

from __future__ import annotations

from mitra.adapters.store import repositories as repo
from mitra.domain.activity import Activity, Status
from mitra.services.context import Mitra


def record(
    mitra: Mitra,
    action: str,
    status: Status,
    detail: str = "",
    counts: dict[str, int] | None = None,
) -> Activity:
    """Store one record in its own transaction, so a failed use case still leaves its trace."""
    entry = Activity(mitra.now(), action, status, detail, dict(counts or {}))
    with mitra.store.write() as conn:
        return repo.activity.add_plain(conn, entry)


def recent(mitra: Mitra, limit: int = 50) -> list[Activity]:
    with mitra.store.read() as conn:
        return repo.activity.list(conn, limit=limit)
