"""The taper pages (issue 19): make a plan from your own baseline (pace options with their
sources, a preview of the steps), follow it, hold / slower / step back / stop, and the escalation
page (treatment options with sources, never a dose)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from mitra.errors import InvalidInputError
from mitra.interfaces.web.deps import FormDep, MitraDep, TemplatesDep
from mitra.services import safety, taper, taper_review
from mitra.services.context import Mitra

router = APIRouter(include_in_schema=False)


def _number(text: str | None, name: str, whole: bool = False) -> Any:
    if text is None or not text.strip():
        return None
    try:
        return int(text) if whole else float(text.replace(",", "."))
    except ValueError:
        raise InvalidInputError.one(name, f"{text!r} is not a number") from None


def _choice(values: dict[str, str]) -> taper.Choice:
    return taper.Choice(
        pace_id=values.get("pace", ""),
        unit=_number(values.get("unit"), "unit") or 0.1,
        capsules=values.get("measure") == "capsules",
        axis="frequency_first" if values.get("frequency_first") else "amount_first",
        min_doses=_number(values.get("min_doses"), "min_doses", whole=True) or 1,
        percent=_number(values.get("percent"), "percent"),
        grams=_number(values.get("grams"), "grams"),
        every_days=_number(values.get("every_days"), "every_days", whole=True),
    )


def _links(ids: tuple[str, ...]) -> list[Any]:
    return safety.source_links(ids)


def _new_page(
    request: Request,
    mitra: Mitra,
    templates: Jinja2Templates,
    values: dict[str, str],
    *,
    shown: taper.Preview | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    facts = taper.knowledge()
    try:
        base = taper.read_baseline(mitra)
        base_error = None
    except InvalidInputError as exc:
        base, base_error = None, exc.problems[0].reason
    context = {
        "facts": facts,
        "baseline": base,
        "baseline_error": base_error,
        "values": values,
        "shown": shown,
        "errors": errors or {},
        "links": _links,
        "relapsable": taper.last_relapsable(mitra),
    }
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "taper/new.html", context, status_code=status)


@router.get("/taper", response_class=HTMLResponse)
def taper_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    view = taper.current(mitra)
    if view is None:
        values = dict(request.query_params)
        shown, errors = None, None
        if values.get("pace"):
            try:
                shown = taper.preview(mitra, _choice(values))
            except InvalidInputError as exc:
                errors = {p.field: p.reason for p in exc.problems}
        return _new_page(request, mitra, templates, values, shown=shown, errors=errors)
    now = taper.today(mitra)
    context = {
        "view": view,
        "now": now,
        "facts": taper.knowledge(),
        "links": _links,
        "measure": view.plan.design.measure,
        "tz": view.plan.tz,
        "reviews": [r for r in taper_review.for_person(mitra) if r.plan_id == view.id],
    }
    return templates.TemplateResponse(request, "taper/plan.html", context)


@router.post("/taper/reviews/{review_id}")
def answer_review(mitra: MitraDep, form: FormDep, review_id: int) -> RedirectResponse:
    """The person accepts or declines their clinician's proposal (a comment: marks it seen)."""
    done = taper_review.answer(mitra, review_id, accept=form.get("accept") == "yes")
    return RedirectResponse(f"/taper?review={done.answer}#review-h", status_code=303)


@router.post("/taper/plans", response_model=None)
async def create_plan(
    request: Request, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse | RedirectResponse:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    try:
        taper.create(mitra, _choice(values))
    except InvalidInputError as exc:
        errors = {p.field: p.reason for p in exc.problems}
        return _new_page(request, mitra, templates, values, errors=errors)
    return RedirectResponse("/taper?saved=1", status_code=303)


@router.post("/taper/{plan_id}/act")
async def act(request: Request, plan_id: int, mitra: MitraDep) -> RedirectResponse:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    agreed_on = None
    if values.get("agreed_on"):
        try:
            agreed_on = date.fromisoformat(values["agreed_on"])
        except ValueError:
            raise InvalidInputError.one("agreed_on", "is not a date") from None
    taper.act(
        mitra,
        plan_id,
        values.get("action", ""),
        by=values.get("by") or "person",
        why=values.get("why", ""),
        every_days=_number(values.get("every_days"), "every_days", whole=True),
        clinician=values.get("clinician", ""),
        agreed_on=agreed_on,
    )
    return RedirectResponse(f"/taper?done={values.get('action', '')}", status_code=303)


@router.get("/taper/relapse", response_class=HTMLResponse)
def relapse_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    view = taper.last_relapsable(mitra)
    context = {"view": view, "step": view.relapse_step if view else None}
    return templates.TemplateResponse(request, "taper/relapse.html", context)


@router.post("/taper/relapse")
async def relapse(request: Request, mitra: MitraDep) -> RedirectResponse:
    form = await request.form()
    taper.relapse(mitra, note=str(form.get("note", "")))
    return RedirectResponse("/taper?done=relapse", status_code=303)


@router.get("/taper/calendar.ics")
def calendar_file(mitra: MitraDep, discreet: bool = False) -> Response:
    return Response(
        taper.calendar(mitra, discreet=discreet).encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mitra-plan.ics"'},
    )


@router.get("/taper/help", response_class=HTMLResponse)
def help_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    view = taper.current(mitra)
    context = {
        "facts": taper.knowledge(),
        "reasons": view.escalations if view else [],
        "links": _links,
    }
    return templates.TemplateResponse(request, "taper/help.html", context)
