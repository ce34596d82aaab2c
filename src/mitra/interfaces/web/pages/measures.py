"""Questionnaire pages: the list with what is due, one page per instrument, the result, the crisis
page (always shown before a result with a raised crisis flag), onboarding and the calendar file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.instruments import Instrument, InvalidAnswerError
from mitra.domain.instruments.model import Number
from mitra.domain.responses import crisis_flags, unknown_crisis_flags
from mitra.domain.schedule import CONDITION_LABELS
from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.services import questionnaires as q
from mitra.services import safety

router = APIRouter(include_in_schema=False)


async def _form(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
    return values


def _answers(instrument: Instrument, form: dict[str, list[str]]) -> dict[str, Number | None]:
    answers: dict[str, Number | None] = {}
    for item in instrument.items:
        text = (form.get(item.id) or [""])[0].strip()
        if not text:
            answers[item.id] = None
            continue
        try:
            number = float(text)
        except ValueError:
            raise InvalidAnswerError(item.id, text, item.allowed_values) from None
        answers[item.id] = int(number) if number.is_integer() else number
    return answers


@router.get("/measures", response_class=HTMLResponse)
async def measures_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    context = {
        "due": q.due(mitra),
        "instruments": q.list_instruments(),
        "titles": q.instrument_titles(),
        "recent": q.list_responses(mitra, limit=10),
        "profile": q.read_profile(mitra),
        "tz": mitra.timezone(),
    }
    return templates.TemplateResponse(request, "measures/index.html", context)


@router.get("/measures/calendar.ics")
async def calendar_file(mitra: MitraDep) -> Response:
    return Response(
        q.calendar(mitra).encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mitra.ics"'},
    )


@router.get("/measures/responses/{response_id}", response_class=HTMLResponse)
async def result_page(
    request: Request, response_id: int, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    result = q.get_result(mitra, response_id)
    context = {
        "result": result,
        "instrument": result.instrument,
        "score": result.response.score,
        "unknown_crisis": unknown_crisis_flags(result.response.score),
        "tz": mitra.timezone(),
    }
    return templates.TemplateResponse(request, "measures/result.html", context)


@router.get("/measures/{instrument_id}", response_class=HTMLResponse)
async def take_page(
    request: Request, instrument_id: str, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    instrument = q.get_instrument(instrument_id)
    context = {"instrument": instrument, "profile": q.read_profile(mitra)}
    return templates.TemplateResponse(request, "measures/take.html", context)


@router.post("/measures/{instrument_id}", response_model=None)
async def submit_answers(request: Request, instrument_id: str, mitra: MitraDep) -> Response:
    instrument = q.get_instrument(instrument_id)
    form = await _form(request)
    sex = (form.get("sex") or [""])[0] or None
    saved = q.administer(mitra, instrument.id, _answers(instrument, form), sex=sex)
    if crisis_flags(saved.score):
        return RedirectResponse(f"/crisis?response={saved.id}", status_code=303)
    return RedirectResponse(f"/measures/responses/{saved.id}", status_code=303)


@router.get("/crisis", response_class=HTMLResponse)
async def crisis_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, response: int | None = None
) -> HTMLResponse:
    context = {
        "lines": q.crisis_lines(mitra),
        "emergency": q.emergency_number(mitra),
        "response_id": None if response is None else q.get_response(mitra, response).id,
        "profile": q.read_profile(mitra),
    }
    return templates.TemplateResponse(request, "measures/crisis.html", context)


@router.get("/onboarding", response_class=HTMLResponse)
async def onboarding_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, saved: int = 0
) -> HTMLResponse:
    context = {
        "profile": q.read_profile(mitra),
        "conditions": CONDITION_LABELS,
        "plans": q.plans(mitra),
        "titles": q.instrument_titles(),
        "saved": saved,
        "pregnancy": safety.read_pregnancy(mitra),
    }
    return templates.TemplateResponse(request, "measures/onboarding.html", context)


@router.post("/onboarding", response_model=None)
async def save_onboarding(request: Request, mitra: MitraDep) -> Response:
    form = await _form(request)
    regular = (form.get("regular_use") or [""])[0]
    q.onboard(
        mitra,
        conditions=form.get("conditions", []),
        country=(form.get("country") or ["INTL"])[0] or "INTL",
        sex=(form.get("sex") or [""])[0] or None,
        regular_use={"yes": True, "no": False}.get(regular),
    )
    if "pregnancy" in form:  # the optional answer, saved as its own use case
        safety.set_pregnancy(mitra, form["pregnancy"][0])
    return RedirectResponse("/onboarding?saved=1", status_code=303)
