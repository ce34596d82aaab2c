"""Domain values -> JSON-ready data, the same for `--json` output and the API.

`api_json` writes an entry (or a list of them) as the API's JSON with pydantic's serialiser for its
model (times in UTC end in `Z`), without FastAPI's validation of the returned dataclasses against
the route's `response_model` and its second encoding pass (tests/integration/api/test_api_json.py
compares the documents for every kind; the OpenAPI schema still comes from `response_model`).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from pydantic import TypeAdapter


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


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def api_json(value: Any, model: type[Any]) -> bytes:
    """An entry of `model` (or a list of them) as the API's JSON: pydantic's serialisation of
    the route's response model, without validating the value first."""
    shape: Any = list[model] if isinstance(value, list) else model  # type: ignore[valid-type]
    return _adapter(shape).dump_json(value)
