"""Clinician in the loop (issue #21), server mode only: the person's sharing and disclosure-log
pages, and the clinician's join and dashboard pages. Every rule lives in `services.consent`,
`services.audit` and `services.clinician`; a consent that grants nothing is a 404."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.consent import SHARED_WORDS, PeriodKind, Role, Shared, describe, require_clinician
from mitra.domain.taper_review import REVIEW_WORDS
from mitra.errors import InvalidInputError, MitraError, NotFoundError
from mitra.interfaces.web.deps import FormDep, TemplatesDep
from mitra.interfaces.web.security import policy_with_styles
from mitra.interfaces.web.server_mode import VisitorDep
from mitra.services import (
    audit,
    clinician,
    consent,
    patient,
    questionnaires,
    reports,
    taper_review,
)
from mitra.services.context import Mitra

router = APIRouter(include_in_schema=False)  # pages, not the API


def _base(request: Request) -> Mitra:
    mitra = request.app.state.mitra
    assert isinstance(mitra, Mitra)
    return mitra


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _page(request: Request, templates: Any, name: str, status: int = 200, **context: Any) -> Any:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() and len(text) < 6 else None


async def _scope_form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {
        "kinds": [str(k) for k in form.getlist("kinds")],
        "period": str(form.get("period", "all")),
        "since": str(form.get("since", "")),
        "days": str(form.get("days", "")),
        "until": str(form.get("until", "")),
    }


def _sharing(
    request: Request, templates: Any, visitor: Any, status: int = 200, **extra: Any
) -> Any:
    base = _base(request)
    found = consent.of_person(base, visitor.account_id)
    day = consent.today(base)
    context = {
        "consents": [
            (c, c.state_on(day).value, describe(c.scope, c.clinician_name)) for c in found
        ],
        "kinds": [(kind.value, SHARED_WORDS[kind]) for kind in Shared],
        "periods": [p.value for p in PeriodKind],
        "chosen": {"kinds": [], "period": "all", "since": "", "days": "", "until": ""},
        "errors": {},
        "invite": "",
        "invited_by": None,
        "invite_error": None,
        **extra,
    }
    return _page(request, templates, "clinic/sharing.html", status, **context)


@router.get("/sharing/clinicians", response_class=HTMLResponse)
def sharing_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, invite: str = ""
) -> Any:
    """What the person shares; with `invite`, a clinic's invitation to answer (choose a scope)."""
    if not invite:
        return _sharing(request, templates, visitor)
    try:
        by = consent.invited_by(_base(request), invite[:100])
    except MitraError as exc:
        return _sharing(request, templates, visitor, exc.status, invite_error=exc.message)
    return _sharing(request, templates, visitor, invite=invite[:100], invited_by=by)


@router.post("/sharing/clinicians", response_model=None)
async def offer_consent(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> Any:
    """First post: the scope in plain words (nothing stored). Second (`agree`): the code."""
    chosen = await _scope_form(request)
    form = await request.form()
    try:
        shown = consent.preview(
            _base(request),
            chosen["kinds"],
            chosen["period"],
            _date(chosen["since"]),
            _int(chosen["days"]),
            _date(chosen["until"]),
        )
    except InvalidInputError as exc:
        errors = {p.field: p.reason for p in exc.problems}
        invite = str(form.get("invite", ""))[:100]
        return _sharing(
            request, templates, visitor, 422, chosen=chosen, errors=errors, invite=invite
        )
    invite = str(form.get("invite", ""))[:100]
    words = shown.words
    if invite:
        by = consent.invited_by(_base(request), invite)
        words = describe(shown.scope, by)
    if form.get("agree") != "yes":
        return _page(
            request, templates, "clinic/agree.html", chosen=chosen, words=words, invite=invite
        )
    if invite:
        consent.accept_invitation(_base(request), visitor.account_id, invite, shown.scope)
        return RedirectResponse("/sharing/clinicians?shared=1", status_code=303)
    made, code = consent.offer(_base(request), visitor.account_id, shown.scope)
    link = str(request.base_url).rstrip("/") + f"/clinic/join?code={code}"
    return _page(request, templates, "clinic/code.html", consent=made, code=code, link=link)


@router.post("/sharing/clinicians/{consent_id}/revoke", response_model=None)
def revoke_consent(request: Request, visitor: VisitorDep, consent_id: int) -> Response:
    consent.revoke(_base(request), visitor.account_id, consent_id)
    return RedirectResponse("/sharing/clinicians", status_code=303)


@router.get("/sharing/clinicians/{consent_id}/fhir", response_model=None)
def consent_fhir(request: Request, visitor: VisitorDep, consent_id: int) -> Response:
    """The consent as a FHIR R4 Consent resource (JSON)."""
    document = consent.fhir_consent(_base(request), visitor.account_id, consent_id)
    return Response(
        json.dumps(document, indent=1),
        media_type="application/fhir+json",
        headers={"Content-Disposition": f'attachment; filename="consent-{consent_id}.json"'},
    )


@router.get("/sharing/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> Any:
    found = audit.disclosures(_base(request), visitor.account_id)
    return _page(request, templates, "clinic/disclosures.html", disclosures=found)


# --- the clinician's side -------------------------------------------------------------------


def _clinician_only(request: Request, visitor: Any) -> None:
    require_clinician(consent.roles(_base(request), visitor.account_id))


@router.get("/clinic/join", response_class=HTMLResponse)
def join_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, code: str = ""
) -> Any:
    _clinician_only(request, visitor)
    return _page(request, templates, "clinic/join.html", code=code[:100], error=None)


@router.post("/clinic/join", response_model=None)
async def join(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> Any:
    form = await request.form()
    code = str(form.get("code", ""))[:100]
    try:
        consent.accept(_base(request), visitor.account_id, code)
    except MitraError as exc:
        return _page(
            request, templates, "clinic/join.html", exc.status, code=code, error=exc.message
        )
    return RedirectResponse("/clinic", status_code=303)


TITLES = {"phq9": "PHQ-9", "gad7": "GAD-7", "pcl5": "PCL-5", "peg": "PEG", "sows": "SOWS"}


def _actor(visitor: Any) -> audit.Actor:
    return audit.Actor(visitor.account_id, visitor.name, Role.CLINICIAN.value)


@router.post("/clinic/invitations", response_class=HTMLResponse)
def invite_patient(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> Any:
    """A one-time invitation code for a person, who enters it and chooses what to share."""
    code = consent.invite(_base(request), visitor.account_id)
    link = str(request.base_url).rstrip("/") + f"/sharing/clinicians?invite={code}"
    return _page(request, templates, "clinic/invitation.html", code=code, link=link)


@router.get("/clinic", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    templates: TemplatesDep,
    visitor: VisitorDep,
    sort: str = "priority",
    page: int = 1,
) -> Any:
    """The clinician's consenting patients, one row each, a page at a time; each look is
    recorded."""
    actor = _actor(visitor)
    board = clinician.dashboard(_base(request), actor, _address(request), sort, page)
    return _page(
        request,
        templates,
        "clinic/dashboard.html",
        rows=board.rows,
        board=board,
        sort=board.sort,
        instruments=clinician.INSTRUMENTS,
        titles=TITLES,
        shared=Shared,
    )


@router.get("/clinic/patients/{consent_id}", response_class=HTMLResponse)
def patient_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, consent_id: int
) -> Any:
    """One patient: the consented scope, scores, alerts, kratom, the taper plan and the
    questionnaire requests; links to the live report and the FHIR bundle. Recorded first."""
    shown = patient.page(_base(request), _actor(visitor), consent_id, _address(request))
    return _page(
        request,
        templates,
        "clinic/patient.html",
        p=shown,
        words=describe(shown.consent.scope, shown.consent.clinician_name),
        instruments=clinician.INSTRUMENTS,
        titles=TITLES,
        names=questionnaires.instrument_titles(),
        shared=Shared,
        offered=reports.OFFERED_DAYS,
        review_kinds=REVIEW_WORDS,
    )


@router.get("/clinic/patients/{consent_id}/report", response_class=HTMLResponse)
def patient_report(
    request: Request, visitor: VisitorDep, consent_id: int, days: int = patient.REPORT_DAYS
) -> HTMLResponse:
    """The clinician report (the PDF's template), live, limited to the consent."""
    text = patient.report_html(_base(request), _actor(visitor), consent_id, _address(request), days)
    return HTMLResponse(text, headers={"Content-Security-Policy": policy_with_styles(text)})


@router.get("/clinic/patients/{consent_id}/fhir", response_model=None)
def patient_fhir(request: Request, visitor: VisitorDep, consent_id: int) -> Response:
    """The consented part of the journal as a FHIR R4 Bundle, every resource labelled ETH."""
    document = patient.fhir_bundle(_base(request), _actor(visitor), consent_id, _address(request))
    return Response(
        json.dumps(document, indent=1, ensure_ascii=False),
        media_type="application/fhir+json",
        headers={"Content-Disposition": f'attachment; filename="patient-{consent_id}.json"'},
    )


@router.post("/clinic/patients/{consent_id}/taper", response_model=None)
def review_taper(request: Request, visitor: VisitorDep, form: FormDep, consent_id: int) -> Response:
    """Comment on, approve, or propose a gentler change to the patient's taper plan."""
    taper_review.propose(
        _base(request),
        _actor(visitor),
        consent_id,
        form.get("kind", ""),
        form.get("text", "")[:600],
        _int(form.get("every_days", "")),
        _address(request),
    )
    return RedirectResponse(f"/clinic/patients/{consent_id}?reviewed=1#taper-h", status_code=303)


@router.post("/clinic/patients/{consent_id}/requests", response_model=None)
def request_questionnaire(
    request: Request, visitor: VisitorDep, form: FormDep, consent_id: int
) -> Response:
    """Ask the patient to answer an instrument; it shows as due on their Home."""
    instrument = form.get("instrument", "")[:20]
    patient.request_questionnaire(
        _base(request), _actor(visitor), consent_id, instrument, _address(request)
    )
    return RedirectResponse(f"/clinic/patients/{consent_id}?asked={instrument}", status_code=303)


# --- the clinic admin's side ----------------------------------------------------------------


def _admin_page(
    request: Request, templates: Any, visitor: Any, status: int = 200, **extra: Any
) -> Any:
    """The clinic's clinician accounts (names only: a clinic admin sees no clinical data)."""
    names = consent.clinicians(_base(request), visitor.account_id)
    context = {"names": names, "error": None, "done": "", "account": "", **extra}
    return _page(request, templates, "clinic/admin.html", status, **context)


@router.get("/clinic/admin", response_class=HTMLResponse)
def admin_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, given: str = "", taken: str = ""
) -> Any:
    """Who is a clinician here; after a change, what changed (only if it really holds)."""
    names = consent.clinicians(_base(request), visitor.account_id)
    done = ""
    if given and given in names:
        done = f"{given} is now a clinician."
    elif taken and taken not in names and len(taken) <= 64:
        done = f"{taken} is no longer a clinician."
    return _admin_page(request, templates, visitor, done=done)


@router.post("/clinic/admin/clinicians", response_model=None)
def set_clinician_role(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, form: FormDep
) -> Any:
    """Give (`role=on`) or take (`role=off`) the clinician role; a clinic or server admin only."""
    name = form.get("name", "").strip()[:64]
    wanted = form.get("role", "")
    if wanted not in ("on", "off") or not name:
        return _admin_page(
            request, templates, visitor, 422, account=name, error="Give an account name."
        )
    try:
        consent.set_clinician(_base(request), visitor.account_id, name, on=wanted == "on")
    except NotFoundError as exc:
        return _admin_page(request, templates, visitor, 404, account=name, error=exc.message)
    key = "given" if wanted == "on" else "taken"
    return RedirectResponse(f"/clinic/admin?{key}={quote(name.lower())}", status_code=303)
