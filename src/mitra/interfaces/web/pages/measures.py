"""Questionnaire pages: the list with what is due, one page per instrument, the result, the crisis
page (always shown before a result with a raised crisis flag), onboarding and the calendar file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.instruments import Instrument, InvalidAnswerError
from mitra.domain.instruments.model import Number
from mitra.domain.responses import crisis_flags, unknown_crisis_flags
from mitra.domain.schedule import CONDITION_LABELS
from mitra.errors import InvalidInputError
from mitra.interfaces.web.deps import FormListsDep, MitraDep, TemplatesDep
from mitra.services import knowledge as kb
from mitra.services import places, safety
from mitra.services import questionnaires as q
from mitra.services.appearance import read_appearance

router = APIRouter(include_in_schema=False)


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
def measures_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
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
def calendar_file(mitra: MitraDep) -> Response:
    name = "journal.ics" if read_appearance(mitra).discreet else "mitra.ics"
    return Response(
        q.calendar(mitra).encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/measures/responses/{response_id}", response_class=HTMLResponse)
def result_page(
    request: Request, response_id: int, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    result = q.get_result(mitra, response_id)
    context = {
        "help": kb.my_help_lines(mitra) if result.crisis else None,
        "crisis_shown": bool(result.crisis),
        "result": result,
        "instrument": result.instrument,
        "score": result.response.score,
        "unknown_crisis": unknown_crisis_flags(result.response.score),
        "tz": mitra.timezone(),
    }
    return templates.TemplateResponse(request, "measures/result.html", context)


@router.get("/measures/{instrument_id}", response_class=HTMLResponse)
def take_page(
    request: Request, instrument_id: str, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    instrument = q.get_instrument(instrument_id)
    context = {
        "instrument": instrument,
        "profile": q.read_profile(mitra),
        "drink_note": q.drink_note(mitra, instrument.id),
        "bibliography": kb.bibliography(),
    }
    return templates.TemplateResponse(request, "measures/take.html", context)


@router.post("/measures/{instrument_id}", response_model=None)
def submit_answers(instrument_id: str, mitra: MitraDep, form: FormListsDep) -> Response:
    instrument = q.get_instrument(instrument_id)
    sex = (form.get("sex") or [""])[0] or None
    saved = q.administer(mitra, instrument.id, _answers(instrument, form), sex=sex).entry
    if crisis_flags(saved.score):
        return RedirectResponse(f"/crisis?response={saved.id}", status_code=303)
    return RedirectResponse(f"/measures/responses/{saved.id}", status_code=303)


@router.get("/crisis", response_class=HTMLResponse)
def crisis_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, response: int | None = None
) -> HTMLResponse:
    context = {
        "help": kb.my_help_lines(mitra),
        "crisis_shown": True,
        "response_id": None if response is None else q.get_response(mitra, response).id,
    }
    return templates.TemplateResponse(request, "measures/crisis.html", context)


@router.get("/onboarding", response_class=HTMLResponse)
def onboarding_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, saved: int = 0
) -> HTMLResponse:
    profile = q.read_profile(mitra)
    stored = places.describe(profile.country)
    typed = "" if stored is None or stored.is_international else stored.name
    return _onboarding(request, mitra, templates, profile, typed, saved=saved)


def _onboarding(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    profile: q.Profile,
    place_text: str,
    *,
    saved: int = 0,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "profile": profile,
        "place_text": place_text,
        "errors": errors or {},
        "conditions": CONDITION_LABELS,
        "plans": q.plans(mitra),
        "titles": q.instrument_titles(),
        "saved": saved,
        "pregnancy": safety.read_pregnancy(mitra),
    }
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "measures/onboarding.html", context, status)


@router.post("/onboarding", response_model=None)
def save_onboarding(
    request: Request, mitra: MitraDep, templates: TemplatesDep, form: FormListsDep
) -> Response:
    regular = {"yes": True, "no": False}.get((form.get("regular_use") or [""])[0])
    place = (form.get("country") or [""])[0]
    sex = (form.get("sex") or [""])[0] or None
    conditions = form.get("conditions", [])
    try:
        q.onboard(mitra, conditions=conditions, country=place, sex=sex, regular_use=regular)
    except InvalidInputError as exc:
        typed = q.Profile(tuple(conditions), place, sex, regular)
        errors = {p.field: p.reason for p in exc.problems}
        return _onboarding(request, mitra, templates, typed, place, errors=errors)
    if "pregnancy" in form:  # the optional answer, saved as its own use case
        safety.set_pregnancy(mitra, form["pregnancy"][0])
    return RedirectResponse("/onboarding?saved=1", status_code=303)
