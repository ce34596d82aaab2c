"""The phone app's shell: the More page, the appearance settings, the web app manifest and the
service worker (served from the root so its scope covers every page)."""

from __future__ import annotations

import json
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.consent import Role, can_manage_clinicians
from mitra.interfaces.web.deps import FormDep, MitraDep, TemplatesDep
from mitra.interfaces.web.server_mode import visitor_of
from mitra.interfaces.web.templating import appearance
from mitra.services import appearance as appearance_service
from mitra.services import consent

router = APIRouter(include_in_schema=False)

STATIC = resources.files("mitra.interfaces.web").joinpath("static")
MORE_LINKS = (
    (
        "Record",
        (
            ("/history", "History: everything you logged"),
            ("/effects/new", "An adverse effect"),
            ("/vitals/new", "Heart rate or blood pressure"),
            ("/measures", "Questionnaires"),
        ),
    ),
    (
        "Your things",
        (
            ("/products", "Products"),
            ("/medications", "Medications and other substances"),
            ("/alerts", "Safety alerts"),
            ("/taper", "Taper plan"),
        ),
    ),
    (
        "Know and share",
        (
            ("/knowledge", "What is known"),
            ("/report", "Report for your clinician"),
            ("/sharing/research", "Give to a research study"),
            ("/crisis", "Help now: crisis lines"),
        ),
    ),
    (
        "This app",
        (
            ("/settings", "Settings, your data, look and discreet mode"),
            ("/api/v1/docs", "API"),
        ),
    ),
)


@router.get("/more", response_class=HTMLResponse)
def more_page(request: Request, templates: TemplatesDep) -> HTMLResponse:
    groups = MORE_LINKS + _clinician_links(request)
    return templates.TemplateResponse(request, "shell/more.html", {"groups": groups})


def _clinician_links(request: Request) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Server mode (issue #21): sharing with a clinician, the disclosure log, and for a
    clinician account their patients."""
    visitor = visitor_of(request.scope)
    if not request.app.state.settings.server or visitor is None:
        return ()
    links: tuple[tuple[str, str], ...] = (
        ("/sharing/clinicians", "Share with a clinician"),
        ("/sharing/disclosures", "Who looked at your journal"),
    )
    held = consent.roles(request.app.state.mitra, visitor.account_id)
    if Role.CLINICIAN in held:
        links += (("/clinic", "Your patients (as a clinician)"),)
    if can_manage_clinicians(held):
        links += (("/clinic/admin", "Clinician accounts (as a clinic admin)"),)
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (("Your clinicians", links),)
    if Role.RESEARCHER in held:  # issue #22: the researcher's own studies
        groups += (("Research", (("/research", "Your studies (as a researcher)"),)),)
    return groups


@router.get("/hide", response_class=HTMLResponse)
def hide_page(request: Request, templates: TemplatesDep) -> HTMLResponse:
    """Discreet mode's quick-hide: a blank, neutral page (no journal content, no navigation)."""
    return templates.TemplateResponse(request, "shell/hide.html", {})


@router.post("/settings/appearance", response_model=None)
def save_appearance(mitra: MitraDep, data: FormDep) -> Response:
    appearance_service.set_appearance(mitra, data.get("theme", ""), data.get("discreet", ""))
    return RedirectResponse("/settings?look=1#look", status_code=303)


@router.get("/manifest.webmanifest", response_model=None)
def manifest(request: Request) -> Response:
    look = appearance(request)
    icon = "neutral" if look.discreet else "mitra"
    body = {
        "name": look.app_name if look.discreet else "Mitra journal",
        "short_name": look.app_name,
        "description": "A private journal." if look.discreet else "Your kratom and mood journal.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfbf8",
        "theme_color": "#0b5f4a" if not look.discreet else "#4a5560",
        "icons": [
            {
                "src": f"/static/icons/{icon}-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ]
        + [{"src": f"/static/icons/{icon}.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(json.dumps(body), media_type="application/manifest+json")


@router.get("/sw.js", response_model=None)
def service_worker() -> Response:
    """The service worker script; at the root so it may control every page."""
    return Response(
        STATIC.joinpath("sw.js").read_text(encoding="utf-8"),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
