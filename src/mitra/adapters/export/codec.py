"""Column values <-> plain JSON values, driven by each column's SQL type.

Times are ISO 8601 in UTC with a `Z` (`2026-11-25T12:00:00Z`), dates `YYYY-MM-DD`, JSON columns stay
JSON, numbers stay numbers, missing values are null. Decoding checks each value's type and names
the column when it is wrong, so a bad file is refused with a reason, never half-read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from mitra.adapters.store.tables import UTCDateTime, data_columns


class CellError(ValueError):
    """One value that does not fit its column; `column` names it, the message says why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def encode_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_value(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return encode_time(value)
    if isinstance(column.type, sa.Date):
        return value.isoformat()
    if isinstance(column.type, sa.Float):
        return float(value)
    return value


def encode_row(table: sa.Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as JSON values, in the table's column order."""
    return {column.name: encode_value(column, row[column.name]) for column in data_columns(table)}


def _decode_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 time such as 2026-11-25T12:00:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 time such as 2026-11-25T12:00:00Z") from None
    if parsed.tzinfo is None:
        raise ValueError("time must include a zone offset (Z or +01:00)")
    return parsed.astimezone(UTC)


def _decode_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date YYYY-MM-DD") from None


# Whole numbers must fit the column on both databases (PostgreSQL's smallint, integer, bigint).
_INT_LIMITS = ((sa.SmallInteger, 2**15 - 1), (sa.BigInteger, 2**63 - 1), (sa.Integer, 2**31 - 1))


def _int_limit(kind: sa.types.TypeEngine[Any]) -> int:
    return next(limit for type_, limit in _INT_LIMITS if isinstance(kind, type_))


def _decode_number(value: Any, whole: bool, limit: int = 2**63 - 1) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if whole:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("must be a whole number")
        if not -limit - 1 <= value <= limit:
            raise ValueError(f"is out of range (whole numbers here go up to {limit})")
        return int(value)
    return float(value)


def _decode_text(column: sa.Column[Any], value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    length = getattr(column.type, "length", None)
    if length is not None and len(value) > length:
        raise ValueError(f"is {len(value)} characters long; the limit is {length}")
    return value


def decode_value(column: sa.Column[Any], value: Any) -> Any:
    """A JSON value back to the Python value the column stores; ValueError says why not."""
    kind = column.type
    if value is None:
        if not column.nullable and column.server_default is None:
            raise ValueError("is required")
        return None if column.nullable else ""
    if isinstance(kind, UTCDateTime):
        return _decode_time(value)
    if isinstance(kind, sa.Date):
        return _decode_date(value)
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(kind, sa.Float):
        return _decode_number(value, whole=False)
    if isinstance(kind, sa.Integer):
        return _decode_number(value, whole=True, limit=_int_limit(kind))
    if isinstance(kind, sa.JSON):
        return value
    return _decode_text(column, value)


def decode_row(table: sa.Table, values: Any) -> dict[str, Any]:
    """A JSON object to a row of `table`; CellError names the first column that does not fit."""
    if not isinstance(values, Mapping):
        raise CellError("row", "must be a JSON object")
    unknown = sorted(set(values) - {column.name for column in data_columns(table)})
    if unknown:
        raise CellError(unknown[0], f"is not a column of {table.name}")
    row: dict[str, Any] = {}
    for column in data_columns(table):
        if column.name not in values and (column.nullable or column.server_default is not None):
            continue
        try:
            row[column.name] = decode_value(column, values.get(column.name))
        except ValueError as exc:
            raise CellError(column.name, str(exc)) from None
    return row
