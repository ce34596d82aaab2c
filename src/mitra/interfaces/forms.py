"""Text in and out for every kind's fields: the web forms and `mitra add|edit --set`.

Which fields a kind has is the registry's (`services/registry.py`); this module parses the text a
form or `--set` gives into typed values, and shows stored values back as text. Parsing collects
every problem and raises them together, naming each field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from mitra.domain.clock import parse_local_time
from mitra.domain.fields import FieldSpec
from mitra.errors import InvalidInputError, Problems
from mitra.services.registry import kind_named


def fields_for(kind: str) -> tuple[FieldSpec, ...]:
    """The kind's fields, as the registry declares them."""
    return kind_named(kind).fields


def defaults_for(kind: str) -> dict[str, str]:
    """What a new form of this kind shows before anything is typed."""
    return dict(kind_named(kind).defaults)


def parse(kind: str, data: Mapping[str, str], *, tz: str) -> dict[str, Any]:
    """Text values (from a form or `--set`) -> typed values; unknown names are refused."""
    specs = {spec.name: spec for spec in fields_for(kind)}
    problems = Problems()
    for name in data:
        if name not in specs and name not in ("csrf_token", "tz"):
            problems.add(name, f"is not a field of {kind}; fields: {', '.join(specs)}")
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        raw = (data.get(name) or "").strip()
        if not raw:
            if spec.required:
                problems.add(name, "is required")
            values[name] = None
            continue
        try:
            values[name] = _parse_value(spec, raw, tz)
        except InvalidInputError as exc:
            problems.items.extend(exc.problems)
    problems.raise_if_any()
    return values


def typed(kind: str, given: Mapping[str, Any], *, tz: str, partial: bool = False) -> dict[str, Any]:
    """Values some already typed (the CLI's numbers, a stored entry's fields) and some text
    (times, dates, choices, `--set` changes): text is parsed as `parse` parses it, typed values
    pass through unchanged (a number must be finite), and "" or None is "not given". Unknown
    names are refused; a required field not given is refused unless `partial`."""
    specs = {spec.name: spec for spec in fields_for(kind)}
    problems = Problems()
    values: dict[str, Any] = {}
    for name, value in given.items():
        spec = specs.get(name)
        if spec is None:
            problems.add(name, f"is not a field of {kind}; fields: {', '.join(specs)}")
            continue
        text = value.strip() if isinstance(value, str) else None
        if value is None or text == "":
            values[name] = None
        elif text is not None:
            try:
                values[name] = _parse_value(spec, text, tz)
            except InvalidInputError as exc:
                problems.items.extend(exc.problems)
        elif isinstance(value, float) and not math.isfinite(value):
            problems.add(name, f"{str(value)!r} is not a number")
        else:
            values[name] = value
    if not partial:
        for name, spec in specs.items():
            if spec.required and values.get(name) is None:
                problems.add(name, "is required")
    problems.raise_if_any()
    return values


def _parse_value(spec: FieldSpec, raw: str, tz: str) -> Any:
    if spec.type in ("text", "note"):
        return raw
    if spec.type in ("int", "product"):
        return _number(spec.name, raw, int, "a whole number")
    if spec.type == "float":
        return _number(spec.name, raw, float, "a number")
    if spec.type == "datetime":
        return parse_local_time(raw, tz, spec.name)
    if spec.type == "date":
        return _date(spec.name, raw)
    if spec.type == "units":
        return parse_units(raw)
    allowed = [key for key, _ in spec.choices]
    if raw not in allowed:
        raise InvalidInputError.one(spec.name, f"{raw!r} is not one of: {', '.join(allowed)}")
    return raw


def _number(name: str, raw: str, kind: type[int] | type[float], words: str) -> int | float:
    try:
        value = kind(raw)
    except ValueError:
        raise InvalidInputError.one(name, f"{raw!r} is not {words}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInputError.one(name, f"{raw!r} is not {words}")
    return value


def _date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError.one(
            name, f"{raw!r} is not a date; write it like 2026-11-20"
        ) from None


def parse_units(raw: str) -> tuple[tuple[str, float], ...]:
    """'scoop=2.5, capsule=0.5' -> (('scoop', 2.5), ('capsule', 0.5))."""
    units = []
    for part in raw.split(","):
        name, sep, grams = part.partition("=")
        if not sep:
            raise InvalidInputError.one("custom_units", f"{part.strip()!r}: write name=grams")
        units.append((name.strip(), float(_number("custom_units", grams.strip(), float, "grams"))))
    return tuple(units)


def format_value(value: Any, tz: str) -> str:
    """A stored value as the text a form field shows (times in the user's zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(f"{name}={grams:g}" for name, grams in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
