"""'What is known' pages: the index, a page per claim and per risk, background, evidence-based
care, legal status with a jurisdiction picker, help lines by country, and search.

Every fact on these pages shows its sources as links and the date it was checked; the services
decide what is stale, and these handlers only choose a template.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mitra.domain.evidence import GRADE_MEANINGS, INTERNATIONAL, STATUS_MEANINGS, Grade
from mitra.errors import InvalidInputError, NotFoundError
from mitra.interfaces.knowledge_json import DISCLAIMER, PREFIX, page_for
from mitra.interfaces.web.deps import MitraDep, TemplatesDep
from mitra.services import knowledge as kb

router = APIRouter(include_in_schema=False)


def grade_label(grade: Grade) -> str:
    """`cross_sectional_survey` -> 'Cross-sectional survey'."""
    words = grade.value.replace("cross_sectional", "cross-sectional").replace("_", " ")
    return words[:1].upper() + words[1:]


def _render(
    request: Request, templates: TemplatesDep, name: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    context = {
        "page_for": page_for,
        "grade_label": grade_label,
        "grade_meanings": GRADE_MEANINGS,
        "status_meanings": STATUS_MEANINGS,
        "grades": list(Grade),
        "disclaimer": DISCLAIMER,
        "bibliography": kb.bibliography(),
        **values,
    }
    return templates.TemplateResponse(
        request, f"knowledge/{name}.html", context, status_code=status_code
    )


@router.get(PREFIX, response_class=HTMLResponse)
def index_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    today = kb.today(mitra)
    return _render(
        request,
        templates,
        "index",
        claims=kb.list_claims(today),
        risks=kb.list_risks(today),
        mine=kb.my_jurisdiction(mitra),
    )


@router.get(f"{PREFIX}/search", response_class=HTMLResponse)
def search_page(request: Request, templates: TemplatesDep, q: str = "") -> HTMLResponse:
    hits = kb.search(q) if q.strip() else []
    return _render(request, templates, "search", q=q, hits=hits)


@router.get(f"{PREFIX}/claims/{{claim_id}}", response_class=HTMLResponse)
def claim_page(
    request: Request, claim_id: str, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    item = kb.get_claim(claim_id, kb.today(mitra))
    return _render(request, templates, "entry", item=item, kind="Claimed benefit")


@router.get(f"{PREFIX}/risks/{{risk_id}}", response_class=HTMLResponse)
def risk_page(
    request: Request, risk_id: str, mitra: MitraDep, templates: TemplatesDep
) -> HTMLResponse:
    item = kb.get_risk(risk_id, kb.today(mitra))
    return _render(request, templates, "entry", item=item, kind="Risk")


@router.get(f"{PREFIX}/about", response_class=HTMLResponse)
def about_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    topics = kb.about_topics(kb.today(mitra))
    return _render(request, templates, "topics", topics=topics, section="about")


@router.get(f"{PREFIX}/care", response_class=HTMLResponse)
def care_page(request: Request, mitra: MitraDep, templates: TemplatesDep) -> HTMLResponse:
    topics = kb.care_topics(kb.today(mitra))
    return _render(request, templates, "topics", topics=topics, section="care")


@router.get(f"{PREFIX}/legal", response_class=HTMLResponse)
def legal_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, code: str = ""
) -> HTMLResponse:
    today = kb.today(mitra)
    mine = kb.my_jurisdiction(mitra)
    asked = code.strip() or (mine.code or "")
    answer, problem, status = None, "", 200
    if asked:
        try:
            answer = kb.legal_status(asked, today)
        except (NotFoundError, InvalidInputError) as exc:
            problem, status = exc.message, exc.status
    entries = kb.list_legal(today)
    return _render(
        request,
        templates,
        "legal",
        status_code=status,
        code=asked,
        answer=answer,
        problem=problem,
        entries=entries,
        mine=mine,
    )


@router.get(f"{PREFIX}/help", response_class=HTMLResponse)
def help_page(
    request: Request, mitra: MitraDep, templates: TemplatesDep, country: str = ""
) -> HTMLResponse:
    mine, today = kb.my_country(mitra), kb.today(mitra)
    try:
        found, problem = kb.help_lines(country.strip() or mine, today), ""
    except InvalidInputError as exc:
        found, problem = kb.help_lines(mine, today), "; ".join(p.reason for p in exc.problems)
    return _render(
        request,
        templates,
        "help",
        status_code=422 if problem else 200,
        help=found,
        no_country=mine == INTERNATIONAL,
        typed=country if problem else "",
        problem=problem,
    )
