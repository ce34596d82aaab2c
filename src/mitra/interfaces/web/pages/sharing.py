"""Sharing pages: the clinician report (preview and PDF), export downloads, and the settings page
with its erase action behind an explicit confirmation form."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.places import Place
from mitra.errors import InvalidInputError
from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.interfaces.web.security import policy_with_styles
from mitra.services import backup, exports, fhir, places, reports, safety, timezone
from mitra.services.context import Mitra

router = APIRouter(include_in_schema=False)
CONFIRM_PHRASE = "delete everything"
SectionsQuery = Annotated[list[str] | None, Query()]


def _day(text: str | None, field: str) -> date | None:
    """A typed day; None when the field was left empty."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError.one(field, f"{text!r} is not a date YYYY-MM-DD") from None


def _period(
    mitra: Mitra, start: str | None, end: str | None, days: int | None = None
) -> tuple[date, date]:
    """The chosen days; by default the last 90 whole days, or since the first entry."""
    return reports.chosen_period(mitra, _day(start, "from"), _day(end, "to"), days)


def _download(data: bytes, media: str, name: str) -> Response:
    disposition = f'attachment; filename="{name}"'
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    days: Annotated[int | None, Query(description="The last 30, 90 or 365 days.")] = None,
) -> HTMLResponse:
    if days is not None and days not in reports.OFFERED_DAYS:
        raise InvalidInputError.one("days", "choose 30, 90 or 365, or pick the dates")
    first, last = _period(mitra, start, end, days)
    context = {
        "start": first,
        "end": last,
        "sections": reports.SECTION_TITLES,
        "offered": reports.OFFERED_DAYS,
    }
    return templates.TemplateResponse(request, "sharing/report.html", context)


@router.get("/report/preview", response_class=HTMLResponse)
def report_preview(
    mitra: MitraDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    sections: SectionsQuery = None,
) -> HTMLResponse:
    first, last = _period(mitra, start, end)
    html = reports.report_bytes(mitra, first, last, "html", sections)
    policy = policy_with_styles(html.decode())
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.get("/report/download")
def report_download(
    mitra: MitraDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    sections: SectionsQuery = None,
) -> Response:
    first, last = _period(mitra, start, end)
    data = reports.report_bytes(mitra, first, last, "pdf", sections)
    return _download(data, "application/pdf", f"mitra-report-{first}-to-{last}.pdf")


@router.post("/report/download")
def protected_report_download(
    mitra: MitraDep,
    password: Annotated[str, Form()],
    start: Annotated[str | None, Form(alias="from")] = None,
    end: Annotated[str | None, Form(alias="to")] = None,
    sections: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The PDF encrypted with a password (sent in the body, never in the address)."""
    first, last = _period(mitra, start, end)
    data = reports.report_bytes(mitra, first, last, "pdf", sections, password)
    return _download(data, "application/pdf", f"mitra-report-{first}-to-{last}.pdf")


@router.get("/export/mitra.json")
def export_json(mitra: MitraDep) -> Response:
    return _download(exports.json_download(mitra), "application/json", "mitra-export.json")


@router.get("/export/mitra-csv.zip")
def export_csv(mitra: MitraDep) -> Response:
    return _download(exports.csv_download(mitra), "application/zip", "mitra-export-csv.zip")


@router.get("/export/fhir-bundle.json")
def export_fhir(mitra: MitraDep) -> Response:
    return _download(fhir.fhir_download(mitra), "application/fhir+json", "mitra-fhir-bundle.json")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, saved: str = ""
) -> HTMLResponse:
    place = places.my_place(mitra)
    typed = "" if place is None or place.is_international else place.name
    return _settings(request, mitra, templates, place, typed, "", saved)


def _settings(
    request: Request,
    mitra: Mitra,
    templates: TemplatesDep,
    place: Place | None,
    typed: str,
    problem: str,
    saved: str = "",
    zone_problem: str = "",
    zone_text: str | None = None,
) -> HTMLResponse:
    zone = timezone.my_zone(mitra)
    context = {
        "place": place,
        "place_text": typed,
        "problem": problem,
        "saved": saved,
        "pregnancy": safety.read_pregnancy(mitra),
        "zone": zone,
        "zone_text": zone.name if zone_text is None else zone_text,
        "zone_problem": zone_problem,
    }
    status = 422 if problem or zone_problem else 200
    return templates.TemplateResponse(request, "sharing/settings.html", context, status)


@router.post("/settings/place", response_model=None)
def save_place(
    request: Request, mitra: MitraDep, templates: TemplatesDep, country: Annotated[str, Form()] = ""
) -> Response:
    try:
        places.set_place(mitra, country)
    except InvalidInputError as exc:
        problem = "; ".join(p.reason for p in exc.problems)
        return _settings(request, mitra, templates, places.my_place(mitra), country, problem)
    return RedirectResponse("/settings?saved=place#place", status_code=303)


@router.post("/settings/pregnancy", response_model=None)
def save_pregnancy(mitra: MitraDep, pregnancy: Annotated[str, Form()] = "") -> Response:
    """The optional answer (a radio choice; "Prefer not to say" clears it). An unknown value is
    refused by the domain's parser with a 422 page, and nothing is saved."""
    safety.set_pregnancy(mitra, pregnancy)
    return RedirectResponse("/settings?saved=pregnancy#pregnancy", status_code=303)


@router.post("/settings/timezone", response_model=None)
def save_timezone(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    zone: Annotated[str, Form(alias="timezone", max_length=200)] = "",
) -> Response:
    try:
        timezone.set_zone(mitra, zone)
    except InvalidInputError as exc:
        problem = "; ".join(p.reason for p in exc.problems)
        place = places.my_place(mitra)
        typed = "" if place is None or place.is_international else place.name
        return _settings(
            request, mitra, templates, place, typed, "", zone_problem=problem, zone_text=zone
        )
    return RedirectResponse("/settings?saved=timezone#timezone", status_code=303)


@router.get("/settings/erase", response_class=HTMLResponse)
def erase_page(request: Request, templates: TemplatesDep) -> HTMLResponse:
    context = {"phrase": CONFIRM_PHRASE, "error": None}
    return templates.TemplateResponse(request, "sharing/erase.html", context)


@router.post("/settings/erase", response_class=HTMLResponse)
def erase_action(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    confirm: Annotated[str, Form()] = "",
) -> HTMLResponse:
    if confirm.strip().lower() != CONFIRM_PHRASE:
        context = {
            "phrase": CONFIRM_PHRASE,
            "error": f"To confirm, type the words: {CONFIRM_PHRASE}",
        }
        return templates.TemplateResponse(request, "sharing/erase.html", context, status_code=422)
    removed = backup.erase(mitra)
    done: dict[str, object] = {
        "removed": removed,
        "total": sum(removed.values()),
        "note": backup.erase_note(mitra),
    }
    return templates.TemplateResponse(request, "sharing/erased.html", done)
