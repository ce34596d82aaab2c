"""The alerts page (crisis first, each with why, what to do and sources) and acknowledgement."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.services import safety

router = APIRouter(include_in_schema=False)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, all: bool = False
) -> HTMLResponse:
    found = safety.list_alerts(mitra, include_closed=all)
    context = {
        "alerts": found,
        "links": {s.id: safety.source_links(s.alert.sources) for s in found},
        "show_all": all,
        "tz": mitra.timezone(),
    }
    return templates.TemplateResponse(request, "alerts/index.html", context)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: int, mitra: MitraDep) -> RedirectResponse:
    safety.acknowledge(mitra, alert_id)
    return RedirectResponse("/alerts?acknowledged=1", status_code=303)


@router.post("/safety/check")
def check_now(mitra: MitraDep) -> RedirectResponse:
    safety.evaluate_and_store(mitra)
    return RedirectResponse("/alerts", status_code=303)
