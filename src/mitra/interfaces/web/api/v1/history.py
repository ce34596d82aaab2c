"""GET /api/v1/history: the day-by-day journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mitra.domain.history import HISTORY_KINDS, HistoryDay
from mitra.interfaces.web.deps import MitraDep
from mitra.services.history import MAX_DAYS, history

router = APIRouter(tags=["History"])


@router.get("/history", response_model=list[HistoryDay])
async def read_history(
    mitra: MitraDep,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 14,
    kind: Annotated[list[str] | None, Query(description=", ".join(HISTORY_KINDS))] = None,
) -> Any:
    return history(mitra, days=days, kinds=kind or HISTORY_KINDS)
