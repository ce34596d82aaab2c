"""The /api/v1 router, and its browsable docs page (rendered here, no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mitra.interfaces.web.api.v1 import (
    alerts,
    entries,
    history,
    insights,
    interactions,
    knowledge,
    measures,
    profile,
    research,
    taper,
)
from mitra.interfaces.web.deps import TemplatesDep


def api_docs(request: Request, templates: TemplatesDep) -> HTMLResponse:
    schema = request.app.openapi()
    return templates.TemplateResponse(request, "api/docs.html", {"schema": schema})


def make_router(*, server: bool = False) -> APIRouter:
    """The API, built when an app is built: entry routes for every kind registered then; in
    server mode also the researcher's (#22)."""
    router = APIRouter(prefix="/api/v1")
    router.include_router(entries.make_router())
    router.include_router(history.router)
    router.include_router(alerts.router)
    router.include_router(interactions.router)
    router.include_router(measures.router)
    router.include_router(knowledge.router)
    router.include_router(profile.router)
    router.include_router(insights.router)
    router.include_router(taper.router)
    if server:
        router.include_router(research.router)
    router.add_api_route(
        "/docs", api_docs, methods=["GET"], include_in_schema=False, response_class=HTMLResponse
    )
    return router
