"""The knowledge base over REST: claims and risks with their evidence, legal status by
jurisdiction, help lines by country, and search. Every entry carries its sources (with a link),
its `as_of` date and a `stale_note` when it was checked more than 12 months ago."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mitra.interfaces import knowledge_json as js
from mitra.interfaces.web.api.v1.schemas import SourceOut
from mitra.interfaces.web.deps import MitraDep
from mitra.services import journal, places, product_law
from mitra.services import knowledge as kb

router = APIRouter(tags=["Knowledge"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No entry with that id or code; the message names it"},
    422: {"description": "Not a valid code; the problem names the field"},
}


class StudyOut(BaseModel):
    design: str
    n: int | None
    population: str
    finding: str
    limitation: str
    source: SourceOut


class Dated(BaseModel):
    as_of: date
    stale: bool
    stale_note: str
    sources: list[SourceOut]


class EvidenceSummary(BaseModel):
    id: str
    title: str
    grade: str
    grade_rank: int
    grade_meaning: str
    as_of: date
    stale: bool
    page: str


class EvidenceDetail(EvidenceSummary, Dated):
    summary: str
    studies: list[StudyOut]


class ThresholdOut(BaseModel):
    substance: str
    measure: str
    operator: str
    value: float
    scope: str
    note: str
    text: str


class EventOut(BaseModel):
    date: date
    type: str
    type_name: str
    final: bool
    summary: str
    seven_oh_status: str | None
    thresholds: list[ThresholdOut] | None
    sources: list[SourceOut]


class LegalOut(Dated):
    code: str
    name: str
    status: str
    seven_oh_status: str | None
    effective: date | None
    summary: str
    notes: str
    page: str
    events: list[EventOut]


class ComparisonOut(BaseModel):
    threshold: ThresholdOut
    outcome: str
    labelled: float | None
    reason: str


class VerdictOut(BaseModel):
    code: str
    name: str
    because: str
    seven_oh_status: str | None
    outcome: str
    event: EventOut | None
    comparisons: list[ComparisonOut]
    sources: list[SourceOut]
    page: str


class ProductLawOut(BaseModel):
    product_id: int | None
    product: str
    seven_oh: bool
    place: str | None
    note: str
    disclaimer: str
    verdicts: list[VerdictOut]


class LocalityOut(Dated):
    name: str
    status: str
    effective: date | None
    summary: str


class LegalAnswerOut(BaseModel):
    asked: str
    fallback_note: str
    disclaimer: str
    entry: LegalOut
    localities: list[LocalityOut]
    federal: LegalOut | None
    seven_oh_note: str


class NumberOut(BaseModel):
    display: str = Field(description="As printed, e.g. '116 123'")
    dial: str = Field(description="Digits with at most a leading +, for tel: and sms: links")
    label: str = Field(description="Which number this is, or what to send to it; may be empty")


class LineOut(Dated):
    country: str
    name: str
    kind: str
    purpose: str
    hours: str
    open_24h: bool
    phones: list[NumberOut]
    vanity: str = Field(description="The number in letters, e.g. 1-800-662-HELP; may be empty")
    tty: list[NumberOut]
    sms: list[NumberOut]
    whatsapp: list[NumberOut]
    chat: str
    url: str
    notes: str
    phone: str = Field(description="The voice numbers as one phrase (display forms)")
    text: str = Field(description="The text options as one phrase (display forms)")


class EmergencyOut(Dated):
    numbers: list[NumberOut]
    number: str = Field(description="All numbers as one phrase, e.g. '112 or 999'")
    note: str
    notes: str = Field(description="Where the numbers come from, when that needs saying")


class GapOut(Dated):
    note: str


class HelpLinesOut(BaseModel):
    country: str
    international_only: bool
    emergency: EmergencyOut | None
    no_24h_line: GapOut | None
    lines: list[LineOut]


class HitOut(BaseModel):
    section: str
    section_title: str
    id: str
    title: str
    snippet: str
    score: int
    page: str


@router.get("/evidence", response_model=list[EvidenceSummary])
def list_evidence(mitra: MitraDep) -> Any:
    """Every claimed benefit with its evidence grade."""
    return [js.evidence_summary("claims", item) for item in kb.list_claims(kb.today(mitra))]


@router.get("/evidence/{claim_id}", response_model=EvidenceDetail, responses=ERRORS)
def get_evidence(mitra: MitraDep, claim_id: str) -> Any:
    """One claim (`claim.anxiety` or `anxiety`) with its studies, summary and sources."""
    return js.evidence_detail("claims", kb.get_claim(claim_id, kb.today(mitra)))


@router.get("/risks", response_model=list[EvidenceSummary])
def list_risks(mitra: MitraDep) -> Any:
    """Every risk with its evidence grade."""
    return [js.evidence_summary("risks", item) for item in kb.list_risks(kb.today(mitra))]


@router.get("/risks/{risk_id}", response_model=EvidenceDetail, responses=ERRORS)
def get_risk(mitra: MitraDep, risk_id: str) -> Any:
    """One risk (`risk.liver` or `liver`) with its studies, summary and sources."""
    return js.evidence_detail("risks", kb.get_risk(risk_id, kb.today(mitra)))


@router.get("/legal", response_model=list[LegalOut])
def list_legal(mitra: MitraDep) -> Any:
    """Every jurisdiction with an entry. Not legal advice; check current law."""
    return [js.legal(item) for item in kb.list_legal(kb.today(mitra))]


@router.get("/legal/{code}", response_model=LegalAnswerOut, responses=ERRORS)
def get_legal(mitra: MitraDep, code: str) -> Any:
    """Legal status for an ISO 3166 code; a subdivision without an entry falls back to its
    country and `fallback_note` says so. Not legal advice; check current law."""
    return js.legal_answer(kb.legal_status(code, kb.today(mitra)))


@router.get("/products/{product_id}/legal", response_model=ProductLawOut, responses=ERRORS)
def get_product_law(mitra: MitraDep, product_id: int) -> Any:
    """A 7-OH product's labelled content against the 7-OH thresholds where the user lives and
    the federal ones; `outcome` is above, within or unknown (the label lacks that measure).
    Not legal advice; check current law."""
    product = journal.find_product(mitra, str(product_id))
    return js.product_law(product_law.product_law(mitra, product))


@router.get("/help-lines/{country}", response_model=HelpLinesOut, responses=ERRORS)
def get_help_lines(mitra: MitraDep, country: str) -> Any:
    """Help lines for a country (crisis lines first), then the international fallback."""
    return js.help_lines(kb.help_lines(country, kb.today(mitra)))


@router.get("/kb/search", response_model=list[HitOut])
def search(
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Any:
    """Entries matching any word, best first (a title match counts twice a summary match)."""
    return [js.hit(hit) for hit in kb.search(q, limit=limit)]


class PlaceOut(BaseModel):
    code: str
    name: str


class PlaceIn(BaseModel):
    place: str


@router.get("/places/resolve", response_model=PlaceOut, responses=ERRORS)
def resolve_place(q: Annotated[str, Query(description="United Kingdom, UK, Florida")]) -> Any:
    """The place a typed name, alias or code means (`Florida` -> US-FL); 422 with the choices
    when it names none or more than one. The same rule as every form and `--country`."""
    return places.resolve(q, "q")


@router.get("/place", response_model=PlaceOut | None)
def get_place(mitra: MitraDep) -> Any:
    """The person's place (null before they said): it decides help lines and legal status."""
    return places.my_place(mitra)


@router.put("/place", response_model=PlaceOut, responses=ERRORS)
def put_place(mitra: MitraDep, payload: PlaceIn) -> Any:
    """Change the person's place by name, alias or code; nothing is saved when it is refused."""
    return places.set_place(mitra, payload.place)
