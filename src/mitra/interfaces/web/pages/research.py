"""Sharing → Give to a study (#22): choose a study file, read the study, its consent text and
exactly which fields leave in what form, agree, and download the donation package; withdraw, and
download the withdrawal record. The same service as `mitra research donate|withdraw`.

On a server (#22), the page also lists the studies researchers published there: the person
reads one (the same plain-words view), joins (the package is stored for the study, not
downloaded), downloads exactly what the study holds from them, and withdraws with the same form.

Posts pass the cross-site rule every form does (`security.LocalGuard`). The study file's text is
carried from the first step to the second in the form itself, so nothing is kept between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.domain.research.deidentify import SEXES, TABLE_TITLES, Donor, donor_from_answers
from mitra.domain.research.study import Study
from mitra.errors import InvalidInputError, NotFoundError
from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.interfaces.web.server_mode import VisitorDep, visitor_of
from mitra.services import research, studies
from mitra.services.context import Mitra

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Answers:
    """The donation form's optional answers and its consent tick (donate, join, agree again)."""

    birth_year: str
    sex: str
    state: str
    agree: str

    def shown(self) -> dict[str, str]:
        """The answers to show again on a refused form (never the tick)."""
        return {"birth_year": self.birth_year, "sex": self.sex, "state": self.state}


def _answers(
    birth_year: Annotated[str, Form(max_length=10)] = "",
    sex: Annotated[str, Form(max_length=20)] = "unknown",
    state: Annotated[str, Form(max_length=20)] = "",
    agree: Annotated[str, Form(max_length=10)] = "",
) -> Answers:
    return Answers(birth_year, sex, state, agree)


AnswersDep = Annotated[Answers, Depends(_answers)]
MAX_STUDY_BYTES = 64 * 1024  # a study declaration is a page of YAML
TIER_WORDS = {
    "aggregate": "Weekly totals only; no dates finer than the year; no answers item by item.",
    "registered": "Every date is moved by one secret number of whole weeks, the same for all your "
    "entries; the study never learns the shift.",
    "controlled": "Exact dates and times, under a data use agreement that binds the researchers.",
}


def _problems(exc: InvalidInputError) -> list[str]:
    return [f"{p.field}: {p.reason}" for p in exc.problems]


def _start(
    request: Request,
    mitra: Mitra,
    templates: TemplatesDep,
    problems: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    visitor = visitor_of(request.scope)
    context = {
        "donations": research.donations(mitra),
        "problems": problems or [],
        "studies": studies.published(mitra) if visitor else [],
        "given": studies.my_studies(mitra, visitor.account_id) if visitor else {},
        "awaiting": studies.awaiting_reconsent(mitra, visitor.account_id) if visitor else [],
        "on_server": visitor is not None,
    }
    return templates.TemplateResponse(request, "sharing/research.html", context, status)


def _study_page(
    request: Request,
    templates: TemplatesDep,
    study: Study,
    text: str,
    answers: dict[str, str],
    problems: list[str] | None = None,
    status: int = 200,
    action: str = "",
    **extra: Any,
) -> HTMLResponse:
    groups: dict[str, list[Any]] = {}
    for field in research.fields_leaving(study):
        groups.setdefault(TABLE_TITLES.get(field.table, field.table), []).append(field)
    context = {
        "study": study,
        "study_text": text,
        "groups": groups,
        "tier_words": TIER_WORDS[study.tier.value],
        "sexes": SEXES,
        "answers": answers,
        "problems": problems or [],
        "action": action,
        "reconsent_from": "",
        "closed": False,
        **extra,
    }
    return templates.TemplateResponse(request, "sharing/research_study.html", context, status)


@router.get("/sharing/research", response_class=HTMLResponse)
def research_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    return _start(request, mitra, templates)


@router.post("/sharing/research/study", response_class=HTMLResponse)
async def read_study(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    study: Annotated[UploadFile, File(description="The study's study.yaml")],
) -> HTMLResponse:
    data = await study.read(MAX_STUDY_BYTES + 1)
    name = study.filename or "study.yaml"
    try:
        if len(data) > MAX_STUDY_BYTES:
            raise InvalidInputError.one("study", f"{name} is larger than a study file can be")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError.one("study", f"{name} is not a text file") from None
        declared = research.read_study(text, name)
    except InvalidInputError as exc:
        return _start(request, mitra, templates, _problems(exc), 422)
    return _study_page(request, templates, declared, text, {})


@router.post("/sharing/research/donate", response_model=None)
def donate(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    study_text: Annotated[str, Form(max_length=MAX_STUDY_BYTES)],
    answers: AnswersDep,
) -> Response:
    """Nothing is recorded unless the box was ticked and every answer is valid."""
    try:
        declared = research.read_study(study_text)
    except InvalidInputError as exc:
        return _start(request, mitra, templates, _problems(exc), 422)
    try:
        donor = _agreed_donor(mitra, answers)
    except InvalidInputError as exc:
        problems = _problems(exc)
        return _study_page(request, templates, declared, study_text, answers.shown(), problems, 422)
    done = research.donate(mitra, declared, donor)
    name = f"{declared.id}-{done.participant}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-SHA256": done.sha256}
    return Response(done.data, media_type="application/zip", headers=headers)


def _agreed_donor(mitra: Mitra, answers: Answers) -> Donor:
    """The optional answers as a donor, only with the consent box ticked (InvalidInputError
    naming each field otherwise): one rule for donating, joining and agreeing again."""
    donor = donor_from_answers(answers.birth_year, answers.sex, answers.state, mitra.now().year)
    if answers.agree != "yes":
        raise InvalidInputError.one("agree", "tick the box to agree, or leave this page")
    return donor


@router.post("/sharing/research/withdraw", response_model=None)
def withdraw(mitra: MitraDep, study_id: Annotated[str, Form(max_length=63)]) -> Response:
    done = research.withdraw(mitra, study_id)
    name = f"{study_id}-{done.participant}-withdrawal.json"
    disposition = f'attachment; filename="{name}"'
    return Response(
        done.data, media_type="application/json", headers={"Content-Disposition": disposition}
    )


# --- a study published on this server (#22) -------------------------------------------------


@router.get("/sharing/research/studies/{study_pk}", response_class=HTMLResponse)
def published_study(
    request: Request, mitra: MitraDep, templates: TemplatesDep, _visitor: VisitorDep, study_pk: int
) -> HTMLResponse:
    found = studies.get(mitra, study_pk)
    action = f"/sharing/research/studies/{found.id}/join"
    return _study_page(
        request, templates, found.study, "", {}, action=action, closed=not found.is_open
    )


@router.post("/sharing/research/studies/{study_pk}/join", response_model=None)
def join(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    visitor: VisitorDep,
    study_pk: int,
    answers: AnswersDep,
) -> Response:
    """Nothing is recorded unless the box was ticked and every answer is valid."""
    found = studies.get(mitra, study_pk)
    try:
        donor = _agreed_donor(mitra, answers)
    except InvalidInputError as exc:
        action = f"/sharing/research/studies/{found.id}/join"
        return _study_page(
            request, templates, found.study, "", answers.shown(), _problems(exc), 422, action
        )
    studies.join(mitra, visitor.account_id, found.id, donor)
    return RedirectResponse("/sharing/research", status_code=303)


@router.get("/sharing/research/studies/{study_pk}/package", response_model=None)
def my_package(mitra: MitraDep, visitor: VisitorDep, study_pk: int) -> Response:
    participant, data = studies.my_package(mitra, visitor.account_id, study_pk)
    disposition = f'attachment; filename="study-{study_pk}-{participant}.zip"'
    return Response(
        data, media_type="application/zip", headers={"Content-Disposition": disposition}
    )


def _agreed_before(mitra: Mitra, visitor_account: int, study_pk: int) -> tuple[Any, str]:
    """The study, and the earlier consent version this person agreed to (404 when they are not
    awaiting re-consent to it)."""
    for found in studies.awaiting_reconsent(mitra, visitor_account):
        if found.id == study_pk:
            agreed = next(d for d in research.donations(mitra) if d.study_id == found.study.id)
            return found, agreed.consent_version
    raise NotFoundError("you are not asked to agree again to this study")


@router.get("/sharing/research/studies/{study_pk}/reconsent", response_class=HTMLResponse)
def reconsent_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, visitor: VisitorDep, study_pk: int
) -> HTMLResponse:
    found, agreed = _agreed_before(mitra, visitor.account_id, study_pk)
    action = f"/sharing/research/studies/{found.id}/reconsent"
    return _study_page(
        request, templates, found.study, "", {}, action=action, reconsent_from=agreed
    )


@router.post("/sharing/research/studies/{study_pk}/reconsent", response_model=None)
def reconsent(
    request: Request,
    mitra: MitraDep,
    templates: TemplatesDep,
    visitor: VisitorDep,
    study_pk: int,
    answers: AnswersDep,
) -> Response:
    """Nothing changes unless the box was ticked and every answer is valid."""
    found, agreed = _agreed_before(mitra, visitor.account_id, study_pk)
    try:
        donor = _agreed_donor(mitra, answers)
    except InvalidInputError as exc:
        action = f"/sharing/research/studies/{found.id}/reconsent"
        return _study_page(
            request,
            templates,
            found.study,
            "",
            answers.shown(),
            _problems(exc),
            422,
            action,
            reconsent_from=agreed,
        )
    studies.reconsent(mitra, visitor.account_id, found.id, donor)
    return RedirectResponse("/sharing/research", status_code=303)
