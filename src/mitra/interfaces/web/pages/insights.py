"""The insights page: trends, use pattern, questionnaire change and n-of-1 findings, as inline
SVG charts each with a table alternative. The period picker is a plain GET form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.services.dashboard import PERIODS, build_dashboard
from mitra.services.insight_charts import dashboard_charts

router = APIRouter(include_in_schema=False)


@router.get("/insights", response_class=HTMLResponse)
def insights_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, weeks: int = 4
) -> HTMLResponse:
    dashboard = build_dashboard(mitra, weeks)
    context = {
        "d": dashboard,
        "charts": dashboard_charts(dashboard, narrow=True),
        "periods": PERIODS,
    }
    return templates.TemplateResponse(request, "insights/index.html", context)
