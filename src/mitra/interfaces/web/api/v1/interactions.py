"""GET /api/v1/interactions?name=...: read names against the interaction lexicon (nothing saved)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from mitra.interfaces.interactions_json import reading_json
from mitra.interfaces.web.api.v1.schemas import SourceOut
from mitra.services import interactions

router = APIRouter(tags=["Safety"])


class ClassOut(BaseModel):
    id: str
    name: str
    level: str
    severity: str | None
    mechanism: str
    sources: list[SourceOut]


class ReadingOut(BaseModel):
    name: str
    state: str
    checked: bool
    matched: str | None
    ingredients: list[str]
    read_with_typo_allowance: bool
    severity: str | None
    classes: list[ClassOut]


@router.get("/interactions", response_model=list[ReadingOut])
def check_interactions(
    name: Annotated[list[str], Query(min_length=1, max_length=50, description="Names to read.")],
) -> list[dict[str, object]]:
    """How Mitra reads each name: every ingredient's interaction classes with the severity of the
    alert they raise, or `unknown_name` (not checked) or `no_interaction_data` — never "safe"."""
    return [reading_json(r) for r in interactions.read_names(name)]
