"""Questionnaires over REST: instruments, responses (administer, list, fetch) and what is due.

A response with a raised crisis flag carries the crisis lines for the user's country in the same
payload, so no client can show the score without them.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StrictFloat, StrictInt

from mitra.domain.instruments import Instrument
from mitra.domain.responses import QuestionnaireResponse, crisis_flags
from mitra.interfaces import knowledge_json as js
from mitra.interfaces.scores_json import score_json
from mitra.interfaces.serialize import to_jsonable
from mitra.interfaces.web.deps import MitraDep
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

router = APIRouter(tags=["Questionnaires"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such instrument or response"},
    422: {"description": "Invalid input; each problem names its item or field"},
}
Answer = StrictInt | StrictFloat | None


class OptionOut(BaseModel):
    label: str
    value: int | float


class ItemOut(BaseModel):
    id: str
    text: str
    options: list[OptionOut]


class InstrumentOut(BaseModel):
    id: str
    title: str
    short_title: str
    version: str
    recall_period: str
    item_count: int
    default_interval_days: int | None
    licence: str
    attribution: str


class DrinkNoteOut(BaseModel):
    country: str | None = Field(description="The country the note is for; null: none known.")
    text: str
    sources: list[dict[str, Any]]
    as_of: str


class InstrumentDetail(InstrumentOut):
    description: str
    items: list[ItemOut]
    missing_item_rule: str
    bands: list[dict[str, Any]]
    no_bands_reason: str | None
    sources: list[dict[str, Any]]
    as_of: str | None
    drink_note: DrinkNoteOut | None = Field(
        default=None, description="What one drink holds where the person lives (AUDIT-C only)."
    )


class ResponseIn(BaseModel):
    instrument: str = Field(description="Instrument id, e.g. phq9.")
    answers: dict[str, Answer] = Field(description="Item id -> value, or null when unanswered.")
    taken_at: datetime | None = Field(default=None, description="When; default now. With zone.")
    sex: Literal["female", "male"] | None = Field(default=None, description="AUDIT-C only.")


class FlagOut(BaseModel):
    code: str
    label: str
    status: str
    because: str
    source: str


class ResponseOut(BaseModel):
    id: int
    instrument: str
    instrument_version: str
    taken_at: datetime
    tz: str
    answers: dict[str, Answer]
    total: int | float | None
    band: str | None
    band_label: str | None
    complete: bool
    missing_items: list[str]
    flags: list[FlagOut]
    subscores: dict[str, int | float]
    reasons: list[str]
    sex: str | None
    crisis: bool
    crisis_lines: list[dict[str, Any]] = []
    change: dict[str, Any] | None = None


class DueOut(BaseModel):
    instrument: str
    interval_days: int | None
    last_taken: str | None
    due_on: str | None
    is_due: bool
    because: str


def _instrument(i: Instrument) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "short_title": i.short_title,
        "version": i.version,
        "recall_period": i.recall_period,
        "item_count": len(i.items),
        "default_interval_days": i.default_interval_days,
        "licence": i.licence,
        "attribution": i.attribution,
    }


def _instrument_detail(i: Instrument) -> dict[str, Any]:
    items = [{"id": it.id, "text": it.text, "options": to_jsonable(it.options)} for it in i.items]
    return {
        **_instrument(i),
        "description": i.description,
        "items": items,
        "missing_item_rule": i.missing_item_rule,
        "bands": to_jsonable(i.bands),
        "no_bands_reason": i.no_bands_reason,
        "sources": to_jsonable(i.sources),
        "as_of": None if i.as_of is None else i.as_of.isoformat(),
    }


def _response(mitra: Mitra, r: QuestionnaireResponse, with_change: bool = False) -> dict[str, Any]:
    s = r.score
    crisis = bool(crisis_flags(s))
    out = {
        "id": r.id,
        "taken_at": r.taken_at,
        "tz": r.tz,
        **score_json(s),
        "sex": r.sex,
        "crisis": crisis,
        "crisis_lines": to_jsonable(q.crisis_lines(mitra)) if crisis else [],
    }
    if with_change and r.id is not None:
        change = q.get_result(mitra, r.id).change
        out["change"] = None if change is None else to_jsonable(change)
    return out


@router.get("/instruments", response_model=list[InstrumentOut])
def list_instruments() -> Any:
    return [_instrument(i) for i in q.list_instruments()]


@router.get("/instruments/{instrument_id}", response_model=InstrumentDetail, responses=ERRORS)
def get_instrument(
    instrument_id: str,
    mitra: MitraDep,
    place: Annotated[
        str | None, Query(max_length=200, description="A place by name or code; default: yours.")
    ] = None,
) -> Any:
    """The questions, options and sources; for an instrument that counts drinks, what one drink
    holds in the person's place (or in `place`)."""
    note = js.drink_note(q.drink_note(mitra, instrument_id, place))
    return {**_instrument_detail(q.get_instrument(instrument_id)), "drink_note": note}


@router.post("/responses", response_model=ResponseOut, status_code=201, responses=ERRORS)
def create_response(mitra: MitraDep, payload: ResponseIn) -> Any:
    saved = q.administer(
        mitra, payload.instrument, payload.answers, taken_at=payload.taken_at, sex=payload.sex
    ).entry
    return _response(mitra, saved, with_change=True)


@router.get("/responses", response_model=list[ResponseOut], responses=ERRORS)
def list_responses(
    mitra: MitraDep,
    instrument: Annotated[str | None, Query(description="Only this instrument.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    found = q.list_responses(mitra, instrument, limit=limit, offset=offset)
    return [_response(mitra, r) for r in found]


@router.get("/responses/{response_id}", response_model=ResponseOut, responses=ERRORS)
def get_response(mitra: MitraDep, response_id: int) -> Any:
    return _response(mitra, q.get_response(mitra, response_id), with_change=True)


@router.get("/measures/due", response_model=list[DueOut])
def list_due(mitra: MitraDep) -> Any:
    return [
        {
            "instrument": d.instrument_id,
            "interval_days": d.interval_days,
            "last_taken": None if d.last_taken is None else d.last_taken.isoformat(),
            "due_on": None if d.due_on is None else d.due_on.isoformat(),
            "is_due": d.is_due,
            "because": d.because,
        }
        for d in q.due(mitra)
    ]
