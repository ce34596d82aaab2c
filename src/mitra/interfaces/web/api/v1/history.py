"""GET /api/v1/history: the day-by-day journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mitra.domain.history import HistoryDay
from mitra.interfaces.web.deps import MitraDep
from mitra.services.history import MAX_DAYS, history

router = APIRouter(tags=["History"])


@router.get("/history", response_model=list[HistoryDay])
def read_history(
    mitra: MitraDep,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 14,
    kind: Annotated[
        list[str] | None,
        Query(description="Only these kinds (uses, checkins, effects, vitals, …); repeatable."),
    ] = None,
) -> Any:
    return history(mitra, days=days, kinds=kind or None)
