"""Reading and writing questionnaire responses (the score as computed when it was taken)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.adapters.store.repositories import Repository, RowMap
from mitra.domain.instruments import Score, ScoreFlag
from mitra.domain.instruments.model import Number
from mitra.domain.responses import QuestionnaireResponse

FLAG_FIELDS = ("code", "label", "status", "because", "source")


def _number(value: Any) -> Number | None:
    """Floats that hold whole numbers come back as ints, as they were scored."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def to_row(response: QuestionnaireResponse) -> dict[str, Any]:
    s = response.score
    return {
        "instrument_id": s.instrument_id,
        "instrument_version": s.instrument_version,
        "taken_at": response.taken_at,
        "tz": response.tz,
        "answers": dict(s.answers),
        "total": s.total,
        "band_code": s.band_code,
        "band_label": s.band_label,
        "subscores": dict(s.subscores),
        "complete": s.complete,
        "missing_items": list(s.missing_items),
        "flags": [{name: getattr(f, name) for name in FLAG_FIELDS} for f in s.flags],
        "reasons": list(s.reasons),
        "sex": response.sex,
    }


def from_row(row: RowMap) -> QuestionnaireResponse:
    score = Score(
        instrument_id=row["instrument_id"],
        instrument_version=row["instrument_version"],
        answers={k: _number(v) for k, v in row["answers"].items()},
        total=_number(row["total"]),
        band_code=row["band_code"],
        band_label=row["band_label"],
        subscores={k: _number(v) or 0 for k, v in row["subscores"].items()},
        flags=tuple(ScoreFlag(**flag) for flag in row["flags"]),
        complete=bool(row["complete"]),
        missing_items=tuple(row["missing_items"]),
        reasons=tuple(row["reasons"]),
    )
    return QuestionnaireResponse(row["taken_at"], row["tz"], score, row["sex"], row["id"])


responses: Repository[QuestionnaireResponse] = Repository(
    t.questionnaire_responses, "questionnaire response", from_row, to_row, order_by="taken_at"
)


def of_instrument(instrument_id: str) -> sa.ColumnElement[bool]:
    return t.questionnaire_responses.c.instrument_id == instrument_id


def previous_complete(
    conn: Connection, instrument_id: str, before: datetime, before_id: int
) -> QuestionnaireResponse | None:
    """The last complete response to this instrument taken before (`before`, `before_id`)."""
    table = t.questionnaire_responses
    earlier = sa.or_(
        table.c.taken_at < before, sa.and_(table.c.taken_at == before, table.c.id < before_id)
    )
    query = (
        table.select()
        .where(of_instrument(instrument_id), table.c.complete.is_(True), earlier)
        .order_by(table.c.taken_at.desc(), table.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else from_row(row)


def last_complete_times(conn: Connection) -> dict[str, datetime]:
    """When each instrument last had a complete response."""
    table = t.questionnaire_responses
    query = (
        sa.select(table.c.instrument_id, sa.func.max(table.c.taken_at))
        .where(table.c.complete.is_(True))
        .group_by(table.c.instrument_id)
    )
    return {str(row[0]): row[1] for row in conn.execute(query).all()}
