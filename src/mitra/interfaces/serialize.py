"""Domain values -> JSON-ready data, the same for `--json` output and the API.

`api_json` writes an entry (or a list of them) as the API's JSON directly: the same document
pydantic's validation of the route's `response_model` produced (times in UTC end in `Z`), without
validating our own dataclasses again on the way out (tests/integration/api/test_api_json.py
compares the two for every kind; the OpenAPI schema still comes from `response_model`).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def api_json(value: Any) -> bytes:
    """An entry, or a list of entries, as the API's JSON (compact UTF-8, like FastAPI's)."""
    data = [_plain(v) for v in value] if isinstance(value, list) else _plain(value)
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return _scalar(value)
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _scalar(getattr(value, name)) for name in names}


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, datetime):
        return _iso_time(value)
    if isinstance(value, date | Enum):
        return value.isoformat() if isinstance(value, date) else value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return _plain(value)


def _iso_time(value: datetime) -> str:
    """ISO 8601 as pydantic writes it: `Z` for UTC, whole-minute offsets otherwise."""
    offset = value.utcoffset()
    local = value.replace(tzinfo=None).isoformat()
    if offset is None:
        return local
    if offset == timedelta(0):
        return f"{local}Z"
    minutes = int(abs(offset).total_seconds()) // 60
    sign = "-" if offset < timedelta(0) else "+"
    return f"{local}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
