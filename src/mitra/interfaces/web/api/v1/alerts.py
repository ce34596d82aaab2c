"""GET /api/v1/alerts, POST /api/v1/alerts/{id}/acknowledge, POST /api/v1/safety/evaluate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from mitra.interfaces.alerts_view import alert_json
from mitra.interfaces.web.api.v1.schemas import SourceOut
from mitra.interfaces.web.deps import MitraDep
from mitra.services import safety

router = APIRouter(tags=["Safety"])


class AlertOut(BaseModel):
    id: int | None
    rule_id: str
    severity: str
    title: str
    because: str
    what_to_do: str
    sources: list[SourceOut]
    status: str
    first_seen: str
    last_seen: str
    acknowledged_at: str | None
    resolved_at: str | None
    times_raised: int


@router.get("/alerts", response_model=list[AlertOut])
def read_alerts(
    mitra: MitraDep,
    include_closed: Annotated[
        bool, Query(alias="all", description="Include acknowledged and resolved alerts.")
    ] = False,
) -> Any:
    """Safety alerts, crisis first; open ones unless `all=true`."""
    return [alert_json(s) for s in safety.list_alerts(mitra, include_closed=include_closed)]


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response_model=AlertOut,
    responses={404: {"description": "No such alert"}},
)
def acknowledge_alert(mitra: MitraDep, alert_id: int) -> Any:
    """Mark an alert as seen; it is raised again if its condition recurs."""
    return alert_json(safety.acknowledge(mitra, alert_id))


@router.post("/safety/evaluate", response_model=list[AlertOut])
def evaluate_now(mitra: MitraDep) -> Any:
    """Run every safety rule now; returns the open alerts."""
    safety.evaluate_and_store(mitra)
    return [alert_json(s) for s in safety.list_alerts(mitra)]
