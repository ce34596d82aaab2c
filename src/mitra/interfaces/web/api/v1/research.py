"""/api/v1/research (#22), server mode only, for the researcher role (a session or an API
token): my studies, publish one (the study.yaml text), a new consent version, close it, its
counts, a freeze to download and the cohort statistics of a freeze on DuckDB or Spark. Every rule
is `services.studies`' (and `services.research`'s): another researcher's study is a 404, an
account without the researcher role a 403, as the pages under /research."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from mitra.domain.research.stats import OUTCOMES
from mitra.interfaces.web.server_mode import VisitorDep
from mitra.services import studies
from mitra.services.consent import today
from mitra.services.context import Mitra

router = APIRouter(prefix="/research", tags=["Research"])
MAX_STUDY_CHARS = 64 * 1024
NOT_PROOF = "Associations among people who chose to donate, not proof of cause."
ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Not signed in (no session or API token)"},
    403: {"description": "The account does not have the researcher role"},
    404: {"description": "No such study, or another researcher's"},
}


class DeclarationIn(BaseModel):
    declaration: str = Field(
        max_length=MAX_STUDY_CHARS,
        description="The study.yaml text: id, title, purpose, ethics_reference, kinds, "
        "period_start, period_end, tier, consent_version, consent_text, min_cell, k.",
    )


class CountsOut(BaseModel):
    members: int = Field(description="Donations in force on the current consent version.")
    withdrawn: int
    awaiting_reconsent: int = Field(
        description="Donations in force on an older consent version: left out of freezes."
    )


class VersionOut(BaseModel):
    consent_version: str
    consent_text: str
    published_at: datetime


class StudyOut(BaseModel):
    id: int = Field(description="The study's number on this server.")
    study_id: str = Field(description="The declaration's id.")
    title: str
    purpose: str
    ethics_reference: str
    kinds: list[str]
    period_start: date
    period_end: date
    tier: str
    consent_version: str
    consent_text: str
    min_cell: int
    k: int
    published_at: datetime
    closed_at: datetime | None = Field(description="Closed to new people (donations kept).")


class StudyDetailOut(StudyOut):
    counts: CountsOut
    versions: list[VersionOut] = Field(description="Every consent version, oldest first.")


class CellOut(BaseModel):
    cell: str
    n: int = Field(description="People in the cell; 0 when suppressed.")
    mean: float | None
    low: float | None = Field(description="95 % interval, low end.")
    high: float | None = Field(description="95 % interval, high end.")
    suppressed: bool = Field(description="Fewer people than the study's min_cell.")


class QueryOut(BaseModel):
    name: str
    outcome: str
    cells: list[CellOut]


class StatsOut(BaseModel):
    study_id: str
    engine: str
    frozen_on: date
    members: int
    withdrawn_left_out: int
    awaiting_reconsent: int
    min_cell: int
    note: str = NOT_PROOF
    queries: list[QueryOut]


def _base(request: Request) -> Mitra:
    mitra = request.app.state.mitra
    assert isinstance(mitra, Mitra)
    return mitra


def _study(found: studies.Published) -> StudyOut:
    s = found.study
    return StudyOut(
        id=found.id,
        study_id=s.id,
        title=s.title,
        purpose=s.purpose,
        ethics_reference=s.ethics_reference,
        kinds=list(s.kinds),
        period_start=s.period_start,
        period_end=s.period_end,
        tier=s.tier.value,
        consent_version=s.consent_version,
        consent_text=s.consent_text,
        min_cell=s.min_cell,
        k=s.k,
        published_at=found.published_at,
        closed_at=found.closed_at,
    )


def _detail(base: Mitra, found: studies.Published) -> StudyDetailOut:
    counted = studies.counts(base, found.id)
    return StudyDetailOut(
        **_study(found).model_dump(),
        counts=CountsOut(
            members=counted.members,
            withdrawn=counted.withdrawn,
            awaiting_reconsent=counted.awaiting_reconsent,
        ),
        versions=[
            VersionOut(
                consent_version=v.consent_version,
                consent_text=v.consent_text,
                published_at=v.published_at,
            )
            for v in studies.versions(base, found.id)
        ],
    )


@router.get("/studies", response_model=list[StudyOut], responses=ERRORS)
def my_studies(request: Request, visitor: VisitorDep) -> list[StudyOut]:
    """The researcher's own studies, newest first."""
    return [_study(s) for s in studies.of_researcher(_base(request), visitor.account_id)]


@router.post(
    "/studies",
    response_model=StudyDetailOut,
    status_code=201,
    responses={
        **ERRORS,
        409: {"description": "A study with this id is already published"},
        422: {"description": "The declaration's problems, every one"},
    },
)
def publish(request: Request, visitor: VisitorDep, body: DeclarationIn) -> StudyDetailOut:
    """Publish a study declaration (the study.yaml text)."""
    base = _base(request)
    return _detail(base, studies.publish(base, visitor.account_id, body.declaration))


@router.get("/studies/{study_pk}", response_model=StudyDetailOut, responses=ERRORS)
def read_study(request: Request, visitor: VisitorDep, study_pk: int) -> StudyDetailOut:
    """One of the researcher's studies with its counts and consent versions."""
    base = _base(request)
    return _detail(base, studies.own_study(base, visitor.account_id, study_pk))


@router.get("/studies/{study_pk}/counts", response_model=CountsOut, responses=ERRORS)
def read_counts(request: Request, visitor: VisitorDep, study_pk: int) -> CountsOut:
    """How many people are in, withdrew, and await re-consent."""
    base = _base(request)
    studies.own_study(base, visitor.account_id, study_pk)
    counted = studies.counts(base, study_pk)
    return CountsOut(
        members=counted.members,
        withdrawn=counted.withdrawn,
        awaiting_reconsent=counted.awaiting_reconsent,
    )


@router.post(
    "/studies/{study_pk}/versions",
    response_model=StudyDetailOut,
    responses={
        **ERRORS,
        409: {"description": "The study is closed, or this consent version was published"},
        422: {"description": "The declaration's problems, or a different study id"},
    },
)
def publish_version(
    request: Request, visitor: VisitorDep, study_pk: int, body: DeclarationIn
) -> StudyDetailOut:
    """A new declaration of the study with a new consent version; people on an older version
    are asked to agree again or withdraw, and are left out of freezes until they agree."""
    base = _base(request)
    return _detail(
        base, studies.publish_version(base, visitor.account_id, study_pk, body.declaration)
    )


@router.post("/studies/{study_pk}/close", response_model=StudyDetailOut, responses=ERRORS)
def close(request: Request, visitor: VisitorDep, study_pk: int) -> StudyDetailOut:
    """Close the study to new people; donations already given are kept until each person
    withdraws."""
    base = _base(request)
    return _detail(base, studies.close(base, visitor.account_id, study_pk))


@router.post(
    "/studies/{study_pk}/freeze",
    response_class=Response,
    responses={
        **ERRORS,
        200: {"content": {"application/zip": {}}, "description": "The freeze as one .zip"},
        409: {"description": "Export refused: k below the study's setting (the reason)"},
    },
)
def freeze(request: Request, visitor: VisitorDep, study_pk: int) -> Response:
    """Freeze the study's donations (withdrawn people and people awaiting re-consent left out):
    native and OMOP Parquet, omop.duckdb and risk_report.json in one .zip; nothing is kept."""
    base = _base(request)
    frozen, data = studies.freeze_archive(base, visitor.account_id, study_pk, today(base))
    name = f"study-{study_pk}-freeze-{len(frozen.members)}-people.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get(
    "/studies/{study_pk}/stats",
    response_model=StatsOut,
    responses={**ERRORS, 409: {"description": "Export refused: k below the study's setting"}},
)
def stats(
    request: Request,
    visitor: VisitorDep,
    study_pk: int,
    engine: Annotated[Literal["duckdb", "spark"], Query()] = "duckdb",
) -> StatsOut:
    """Cohort statistics of a freeze made now (the one /freeze gives), on DuckDB or Spark:
    means with 95 % intervals, cells below the study's minimum suppressed, as `mitra research
    stats` prints them."""
    base = _base(request)
    done = studies.freeze_stats(base, visitor.account_id, study_pk, today(base), engine)
    summary = done.summary
    return StatsOut(
        study_id=summary["study_id"],
        engine=engine,
        frozen_on=date.fromisoformat(summary["frozen_on"]),
        members=summary["members"],
        withdrawn_left_out=summary["withdrawn_left_out"],
        awaiting_reconsent=summary["awaiting_reconsent"],
        min_cell=summary["min_cell"],
        queries=[
            QueryOut(
                name=name,
                outcome=OUTCOMES[name],
                cells=[
                    CellOut(
                        cell=c.cell,
                        n=c.n,
                        mean=c.mean,
                        low=c.low,
                        high=c.high,
                        suppressed=c.suppressed,
                    )
                    for c in cells
                ],
            )
            for name, cells in done.stats.items()
        ],
    )
