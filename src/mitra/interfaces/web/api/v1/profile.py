"""The person's optional answer on pregnancy and breastfeeding (the place is in `knowledge`).

Only the safety alerts read it; saving it re-evaluates the alerts in the same transaction, so
`GET /api/v1/alerts` shows the pregnancy alert (or its resolution) at once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mitra.domain.safety.model import Pregnancy
from mitra.interfaces.web.deps import MitraDep
from mitra.services import safety

router = APIRouter(tags=["Profile"])


class PregnancyOut(BaseModel):
    answer: Pregnancy | None = Field(description="pregnant, breastfeeding, neither; null: not said")


class PregnancyIn(BaseModel):
    answer: Pregnancy | None = Field(description="null (or leaving it out) clears the answer")


@router.get("/pregnancy", response_model=PregnancyOut)
def get_pregnancy(mitra: MitraDep) -> Any:
    """The optional answer on pregnancy and breastfeeding (null until the person says)."""
    return {"answer": safety.read_pregnancy(mitra)}


@router.put(
    "/pregnancy",
    response_model=PregnancyOut,
    responses={422: {"description": "Not one of the answers"}},
)
def put_pregnancy(mitra: MitraDep, payload: PregnancyIn) -> Any:
    """Save or clear the answer; the safety alerts are re-evaluated in the same transaction."""
    answer = payload.answer.value if payload.answer is not None else None
    return {"answer": safety.set_pregnancy(mitra, answer)}
