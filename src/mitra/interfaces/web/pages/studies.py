"""The researcher's pages (#22), server mode only: publish a study, see how many people joined,
withdrew and await re-consent, publish a new consent version, close the study to new people, and
freeze the study's donations into a .zip to download. Every rule lives in
`services.studies`; another researcher's study is a 404, and no page here reads a journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mitra.errors import ConflictError, InvalidInputError
from mitra.interfaces.web.deps import TemplatesDep
from mitra.interfaces.web.server_mode import VisitorDep
from mitra.services import studies
from mitra.services.consent import today
from mitra.services.context import Mitra

router = APIRouter(include_in_schema=False)
MAX_STUDY_CHARS = 64 * 1024


def _base(request: Request) -> Mitra:
    mitra = request.app.state.mitra
    assert isinstance(mitra, Mitra)
    return mitra


def _messages(exc: InvalidInputError | ConflictError) -> list[str]:
    if isinstance(exc, InvalidInputError):
        return [f"{p.field}: {p.reason}" for p in exc.problems]
    return [exc.message]


def _list(request: Request, templates: Any, visitor: Any, status: int = 200, **extra: Any) -> Any:
    mine = studies.of_researcher(_base(request), visitor.account_id)
    context = {"studies": mine, "problems": [], "declaration": "", **extra}
    return templates.TemplateResponse(request, "research/studies.html", context, status)


@router.get("/research", response_class=HTMLResponse)
def studies_page(request: Request, templates: TemplatesDep, visitor: VisitorDep) -> Any:
    return _list(request, templates, visitor)


@router.post("/research", response_model=None)
def publish(
    request: Request,
    templates: TemplatesDep,
    visitor: VisitorDep,
    declaration: Annotated[str, Form(max_length=MAX_STUDY_CHARS)],
) -> Any:
    try:
        made = studies.publish(_base(request), visitor.account_id, declaration)
    except (InvalidInputError, ConflictError) as exc:
        problems = _messages(exc)
        return _list(
            request, templates, visitor, exc.status, problems=problems, declaration=declaration
        )
    return RedirectResponse(f"/research/studies/{made.id}", status_code=303)


def _study(
    request: Request, templates: Any, visitor: Any, study_pk: int, status: int = 200, **extra: Any
) -> Any:
    base = _base(request)
    found = studies.own_study(base, visitor.account_id, study_pk)
    context = {
        "found": found,
        "counts": studies.counts(base, study_pk),
        "versions": studies.versions(base, study_pk),
        "refused": "",
        "problems": [],
        "declaration": found.declaration,
        **extra,
    }
    return templates.TemplateResponse(request, "research/study.html", context, status)


@router.get("/research/studies/{study_pk}", response_class=HTMLResponse)
def study_page(
    request: Request, templates: TemplatesDep, visitor: VisitorDep, study_pk: int
) -> Any:
    return _study(request, templates, visitor, study_pk)


@router.post("/research/studies/{study_pk}/freeze", response_model=None)
def freeze(request: Request, templates: TemplatesDep, visitor: VisitorDep, study_pk: int) -> Any:
    base = _base(request)
    try:
        frozen, data = studies.freeze_archive(base, visitor.account_id, study_pk, today(base))
    except ConflictError as exc:
        return _study(request, templates, visitor, study_pk, exc.status, refused=exc.message)
    name = f"study-{study_pk}-freeze-{len(frozen.members)}-people.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.post("/research/studies/{study_pk}/versions", response_model=None)
def publish_version(
    request: Request,
    templates: TemplatesDep,
    visitor: VisitorDep,
    study_pk: int,
    declaration: Annotated[str, Form(max_length=MAX_STUDY_CHARS)],
) -> Any:
    try:
        studies.publish_version(_base(request), visitor.account_id, study_pk, declaration)
    except (InvalidInputError, ConflictError) as exc:
        problems = _messages(exc)
        return _study(
            request,
            templates,
            visitor,
            study_pk,
            exc.status,
            problems=problems,
            declaration=declaration,
        )
    return RedirectResponse(f"/research/studies/{study_pk}", status_code=303)


@router.post("/research/studies/{study_pk}/close", response_model=None)
def close(request: Request, visitor: VisitorDep, study_pk: int) -> Any:
    studies.close(_base(request), visitor.account_id, study_pk)
    return RedirectResponse(f"/research/studies/{study_pk}", status_code=303)
