"""Field specs for each kind of entry, shared by the web forms and the CLI's `--set`.

One table says, per kind, which fields exist, how text is parsed into values and how values are
shown back; the web renders its forms from it and the CLI parses `--set name=value` with it.
Parsing collects every problem and raises them together, naming each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from mitra.domain.clock import parse_local_time
from mitra.domain.journal import CHECKIN_LABELS, Effect, Schedule, SubstanceKind
from mitra.domain.products import FORM_LABELS, ProductForm, ServingUnit
from mitra.errors import InvalidInputError, Problems


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str  # text | note | int | float | datetime | date | choice | units | product
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    low: float | None = None
    high: float | None = None


def _choices(labels: Mapping[Any, str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), label) for key, label in labels.items())


def _enum_choices(enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.value.replace("_", " ").capitalize()) for m in enum)


NOTE = FieldSpec("note", "Note (optional)", "note")
RATINGS = tuple(FieldSpec(n, CHECKIN_LABELS[n], "int", low=0, high=10) for n in CHECKIN_LABELS)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "products": (
        FieldSpec("name", "Name", "text", required=True),
        FieldSpec("vendor", "Vendor", "text"),
        FieldSpec("form", "Form", "choice", required=True, choices=_choices(FORM_LABELS)),
        FieldSpec("mitragynine_mg_per_g", "Labelled mitragynine, mg per g", "float", low=0),
        FieldSpec("mitragynine_mg_per_unit", "Labelled mitragynine, mg per unit", "float", low=0),
        FieldSpec("seven_oh_mg_per_unit", "Labelled 7-OH, mg per unit", "float", low=0),
        FieldSpec(
            "serving_unit",
            "What 'per unit' means",
            "choice",
            choices=(("", "—"), *_enum_choices(ServingUnit)),
        ),
        FieldSpec(
            "custom_units",
            "Custom units with their weight",
            "units",
            help="e.g. scoop=2.5, capsule=0.5 (grams in one unit)",
        ),
        FieldSpec("lot", "Lot / batch", "text"),
        FieldSpec("coa_url", "Lab test (COA) link", "text", help="https://…"),
        FieldSpec("notes", "Notes", "note"),
    ),
    "uses": (
        FieldSpec("product_id", "Product", "product", required=True),
        FieldSpec("amount", "Amount", "float", required=True, low=0),
        FieldSpec(
            "unit",
            "Unit",
            "text",
            required=True,
            help="g, mg, capsule, tablet, ml, or a custom unit of the product",
        ),
        FieldSpec("taken_at", "When", "datetime", help="leave empty for now"),
        NOTE,
    ),
    "checkins": (*RATINGS, FieldSpec("recorded_at", "When", "datetime"), NOTE),
    "medications": (
        FieldSpec("name", "Name", "text", required=True),
        FieldSpec("kind", "Kind", "choice", choices=_enum_choices(SubstanceKind)),
        FieldSpec("dose_text", "Dose (as you take it)", "text", help="e.g. 50 mg each morning"),
        FieldSpec(
            "schedule",
            "Taken",
            "choice",
            choices=(("scheduled", "On a schedule"), ("as_needed", "As needed")),
        ),
        FieldSpec("started_on", "Started", "date"),
        FieldSpec("stopped_on", "Stopped", "date"),
        NOTE,
    ),
    "effects": (
        FieldSpec("effect", "Effect", "choice", required=True, choices=_enum_choices(Effect)),
        FieldSpec("other_text", "If other: what", "text"),
        FieldSpec("severity", "Severity (0 – 10)", "int", required=True, low=0, high=10),
        FieldSpec("occurred_at", "When", "datetime"),
        NOTE,
    ),
    "vitals": (
        FieldSpec("heart_rate", "Resting heart rate (beats/min)", "int"),
        FieldSpec("systolic", "Blood pressure, upper (systolic)", "int"),
        FieldSpec("diastolic", "Blood pressure, lower (diastolic)", "int"),
        FieldSpec("measured_at", "When", "datetime"),
        NOTE,
    ),
}

DEFAULTS: dict[str, dict[str, str]] = {
    "medications": {"kind": SubstanceKind.MEDICATION.value, "schedule": Schedule.SCHEDULED.value},
    "products": {"form": ProductForm.LEAF_POWDER.value},
    "effects": {"effect": Effect.NAUSEA.value},
}


def fields_for(kind: str) -> tuple[FieldSpec, ...]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise InvalidInputError.one(
            "kind", f"unknown kind {kind!r}; use {', '.join(FIELDS)}"
        ) from None


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
