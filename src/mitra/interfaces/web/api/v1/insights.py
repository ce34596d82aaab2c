"""GET /api/v1/insights: the dashboard's data (the same result the page and `mitra insights`
show): use pattern, check-in trends, questionnaire timelines, n-of-1 findings, effects, vitals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mitra.interfaces.serialize import to_jsonable
from mitra.interfaces.web.deps import MitraDep
from mitra.services.dashboard import PERIODS, Dashboard, build_dashboard

router = APIRouter(tags=["Insights"])


@router.get(
    "/insights",
    response_model=Dashboard,
    responses={422: {"description": "weeks is not one of 4, 12 or 52"}},
)
def read_insights(
    mitra: MitraDep,
    weeks: Annotated[int, Query(description=f"Period: one of {PERIODS}.")] = 4,
) -> Any:
    return to_jsonable(build_dashboard(mitra, weeks))
