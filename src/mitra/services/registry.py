"""The registry of entry kinds: every kind of journal entry is declared here, once.

A `Kind` says everything the rest of Mitra needs to know about one kind of entry:
- its **name** (in URLs, commands, API paths and the history) and title;
- its **fields** (type, limits from the domain's `MAX_*` constants, label, unit): the web forms,
  `mitra add|edit --set` and the API's request schemas are derived from them;
- how typed values are **built** into the domain entry and the one domain **check** it must pass,
  whichever way it came in (form, API, CLI or an imported row);
- its **repository**, and so its stored table (the name export files use: `use_events` for uses);
- its **history line** (a kind with `describe` appears in the day-by-day history);
- whether a phone may queue it **offline** (a create with a `client_id` is stored once).

Adding a kind is one `register(Kind(...))` (tests/integration/services/test_registry.py adds a toy
kind and finds it in the form, the API, the CLI, the history, export and import).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.util import sort_tables

from mitra.adapters.store import repositories as repo
from mitra.adapters.store import snapshot
from mitra.adapters.store.repositories import Repository
from mitra.domain import history as h
from mitra.domain import journal as j
from mitra.domain.checks import LIMITS, MAX_NAME, MAX_NOTE, MAX_UNIT, MAX_URL, parse_enum
from mitra.domain.fields import FieldSpec, enum_choices
from mitra.domain.products import FORM_LABELS, Product, ProductForm, ServingUnit, check_product
from mitra.errors import ConflictError, InvalidInputError, Problems

M = TypeVar("M")
Values = dict[str, Any]
Builder = Callable[[Connection, type[Any], Values, datetime], Any]


def build_fields(_conn: Connection, model: type[M], values: Values, _now: datetime) -> M:
    """Typed values -> the entry: choice fields become their enum, a missing required field is
    named. Values are already typed (a form's text went through `interfaces/forms.parse`)."""
    problems = Problems()
    typed = dict(values)
    for name, (enum, required) in _model_fields(model).items():
        if name in typed and enum is not None and not isinstance(typed[name], enum):
            try:
                typed[name] = parse_enum(enum, str(typed[name]), name)
            except InvalidInputError as exc:
                problems.items.extend(exc.problems)
        elif required and name not in typed:
            problems.add(name, "is required")
    problems.raise_if_any()
    return model(**typed)


_MODEL_FIELDS: dict[type[Any], dict[str, tuple[type[Enum] | None, bool]]] = {}


def _model_fields(model: type[Any]) -> dict[str, tuple[type[Enum] | None, bool]]:
    """Each dataclass field: its enum type (if it holds one) and whether it has no default."""
    if model in _MODEL_FIELDS:
        return _MODEL_FIELDS[model]
    hints = typing.get_type_hints(model)
    found: dict[str, tuple[type[Enum] | None, bool]] = {}
    for f in dataclasses.fields(model):
        if f.name == "id":
            continue
        hint = hints[f.name]
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        enum = next((o for o in options if isinstance(o, type) and issubclass(o, Enum)), None)
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        found[f.name] = (enum, required)
    _MODEL_FIELDS[model] = found
    return found


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per kind
class Kind(Generic[M]):
    """One kind of entry, declared once (see the module's docstring)."""

    name: str
    title: str
    model: type[M]
    fields: tuple[FieldSpec, ...]
    repository: Repository[M]
    check: Callable[[M, datetime], None]  # the one domain check, for every way in
    build: Builder = build_fields
    defaults: Mapping[str, str] = field(default_factory=dict)  # what a new form shows
    time_field: str | None = None  # a timed entry: defaults to now, in the user's zone
    describe: Callable[[M, h.Products], tuple[str, str]] | None = None  # its history line
    check_links: Callable[[Connection, M], None] | None = None  # what it points at exists
    before_delete: Callable[[Connection, int], None] | None = None
    # The part of the safety snapshot its table feeds (`domain.safety.JOURNAL_PARTS`), or None: a
    # write evaluates only the rule families that read it. No family reads daily check-ins
    # (tests/unit/domain/safety/test_inputs.py keeps this true), so writing one evaluates nothing.
    safety_part: str | None = None
    # Whether a phone may queue it offline: a create then carries the browser's `client_id` and a
    # repeat with the same id is stored once (#17; the table has a `client_id` column, 0006).
    offline: bool = False
    plural: str = ""  # the list page's heading, where "<title>s" is wrong

    @property
    def heading(self) -> str:
        """The kind's name for a list of it ("Vital signs", "Medications and substances")."""
        return self.plural or f"{self.title}s"

    @property
    def table(self) -> str:
        """The stored table's name, which is also the export format's name for the kind."""
        return self.repository.table.name

    @property
    def in_history(self) -> bool:
        return self.describe is not None and self.time_field is not None

    def build_entry(self, conn: Connection, values: Values, now: datetime, tz: str) -> M:
        """Typed values (None = not given) -> a checked entry; times default to now, zones to
        the user's zone."""
        given = {k: v for k, v in values.items() if v is not None}
        if self.time_field is not None:
            given.setdefault(self.time_field, now)
            given.setdefault("tz", tz)
        entity: M = self.build(conn, self.model, given, now)
        self.verify(conn, entity, now)
        return entity

    def verify(self, conn: Connection, entity: M, now: datetime) -> None:
        self.check(entity, now)
        if self.check_links is not None:
            self.check_links(conn, entity)

    def check_row(self, row: dict[str, Any], now: datetime) -> None:
        """An imported row (column -> decoded value) through the same domain check."""
        self.check(self.repository.from_row(row), now)

    def at(self, entry: M) -> datetime:
        assert self.time_field is not None
        at: datetime = getattr(entry, self.time_field)
        return at


# --- the kinds ----

NOTE = FieldSpec("note", "Note (optional)", "note", max_length=MAX_NOTE)


def _when(name: str, hint: str = "") -> FieldSpec:
    return FieldSpec(name, "When", "datetime", help=hint)


def _untimed(check: Callable[[M], None]) -> Callable[[M, datetime], None]:
    def checked(entity: M, _now: datetime) -> None:
        check(entity)

    return checked


def _build_use(conn: Connection, _model: type[Any], values: Values, now: datetime) -> j.UseEvent:
    """A use is converted with its product's label as it is logged."""
    problems = Problems()
    for name in ("product_id", "amount", "unit"):
        if name not in values:
            problems.add(name, "is required")
    problems.raise_if_any()
    return j.make_use_event(
        repo.products.get(conn, values["product_id"]),
        amount=values["amount"],
        unit=values["unit"],
        taken_at=values["taken_at"],
        tz=values["tz"],
        now=now,
        note=values.get("note", ""),
    )


def _product_exists(conn: Connection, event: j.UseEvent) -> None:
    repo.products.get(conn, event.product_id)  # NotFoundError names the missing product


def _refuse_used_product(conn: Connection, product_id: int) -> None:
    uses = repo.uses_of_product(conn, product_id)
    if uses:
        raise ConflictError(
            f"product {product_id} has {uses} logged use(s); delete or move them first, "
            "so no use is left without its product"
        )


PRODUCTS: Kind[Product] = Kind(
    "products",
    "Product",
    Product,
    (
        FieldSpec("name", "Name", "text", required=True, max_length=MAX_NAME),
        FieldSpec("vendor", "Vendor", "text", max_length=MAX_NAME),
        FieldSpec(
            "form",
            "Form",
            "choice",
            required=True,
            choices=tuple((str(k), v) for k, v in FORM_LABELS.items()),
        ),
        FieldSpec(
            "mitragynine_mg_per_g",
            "Labelled mitragynine, mg per g",
            "float",
            low=LIMITS.alkaloid_mg[0],
            unit="mg/g",
        ),
        FieldSpec(
            "mitragynine_mg_per_unit",
            "Labelled mitragynine, mg per unit",
            "float",
            low=LIMITS.alkaloid_mg[0],
            unit="mg",
        ),
        FieldSpec(
            "seven_oh_mg_per_unit",
            "Labelled 7-OH, mg per unit",
            "float",
            low=LIMITS.alkaloid_mg[0],
            unit="mg",
        ),
        FieldSpec(
            "serving_unit",
            "What 'per unit' means",
            "choice",
            choices=(("", "—"), *enum_choices(ServingUnit)),
        ),
        FieldSpec(
            "custom_units",
            "Custom units with their weight",
            "units",
            help="e.g. scoop=2.5, capsule=0.5 (grams in one unit)",
        ),
        FieldSpec("lot", "Lot / batch", "text", max_length=MAX_NAME),
        FieldSpec("coa_url", "Lab test (COA) link", "text", help="https://…", max_length=MAX_URL),
        FieldSpec("notes", "Notes", "note", max_length=MAX_NOTE),
    ),
    repo.products,
    _untimed(check_product),
    defaults={"form": ProductForm.LEAF_POWDER.value},
    before_delete=_refuse_used_product,
    safety_part="products",
)

USES: Kind[j.UseEvent] = Kind(
    "uses",
    "Kratom use",
    j.UseEvent,
    (
        FieldSpec("product_id", "Product", "product", required=True),
        FieldSpec("amount", "Amount", "float", required=True, low=0),
        FieldSpec(
            "unit",
            "Unit",
            "text",
            required=True,
            help="g, mg, capsule, tablet, ml, or a custom unit of the product",
            max_length=MAX_UNIT,
        ),
        _when("taken_at", "leave empty for now"),
        NOTE,
    ),
    repo.uses,
    j.check_use,
    build=_build_use,
    time_field="taken_at",
    describe=h.describe_use,
    check_links=_product_exists,
    offline=True,
    safety_part="uses",
)

CHECKINS: Kind[j.CheckIn] = Kind(
    "checkins",
    "Daily check-in",
    j.CheckIn,
    (
        *(FieldSpec(n, j.CHECKIN_LABELS[n], "int", low=0, high=10) for n in j.CHECKIN_LABELS),
        _when("recorded_at"),
        NOTE,
    ),
    repo.checkins,
    j.check_checkin,
    time_field="recorded_at",
    describe=h.describe_checkin,
    safety_part="checkins",
    offline=True,
)

MEDICATIONS: Kind[j.Medication] = Kind(
    "medications",
    "Medication or substance",
    j.Medication,
    (
        FieldSpec("name", "Name", "text", required=True, max_length=MAX_NAME),
        FieldSpec("kind", "Kind", "choice", choices=enum_choices(j.SubstanceKind)),
        FieldSpec(
            "dose_text",
            "Dose (as you take it)",
            "text",
            help="e.g. 50 mg each morning",
            max_length=MAX_NAME,
        ),
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
    repo.medications,
    _untimed(j.check_medication),
    defaults={"kind": j.SubstanceKind.MEDICATION.value, "schedule": j.Schedule.SCHEDULED.value},
    safety_part="medications",
    plural="Medications and substances",
)

EFFECTS: Kind[j.AdverseEffect] = Kind(
    "effects",
    "Adverse effect",
    j.AdverseEffect,
    (
        FieldSpec("effect", "Effect", "choice", required=True, choices=enum_choices(j.Effect)),
        FieldSpec("other_text", "If other: what", "text", max_length=MAX_NAME),
        FieldSpec("severity", "Severity (0 – 10)", "int", required=True, low=0, high=10),
        _when("occurred_at"),
        NOTE,
    ),
    repo.effects,
    j.check_adverse_effect,
    defaults={"effect": j.Effect.NAUSEA.value},
    time_field="occurred_at",
    describe=h.describe_effect,
    safety_part="effects",
)

VITALS: Kind[j.Vital] = Kind(
    "vitals",
    "Vital signs",
    j.Vital,
    (
        FieldSpec(
            "heart_rate",
            "Resting heart rate (beats/min)",
            "int",
            low=LIMITS.heart_rate[0],
            high=LIMITS.heart_rate[1],
            unit="beats/min",
        ),
        FieldSpec(
            "systolic",
            "Blood pressure, upper (systolic)",
            "int",
            low=LIMITS.systolic[0],
            high=LIMITS.systolic[1],
            unit="mmHg",
        ),
        FieldSpec(
            "diastolic",
            "Blood pressure, lower (diastolic)",
            "int",
            low=LIMITS.diastolic[0],
            high=LIMITS.diastolic[1],
            unit="mmHg",
        ),
        _when("measured_at"),
        NOTE,
    ),
    repo.vitals,
    j.check_vital,
    time_field="measured_at",
    describe=h.describe_vital,
    safety_part="vitals",
    plural="Vital signs",
)

KINDS: dict[str, Kind[Any]] = {
    kind.name: kind for kind in (PRODUCTS, USES, CHECKINS, MEDICATIONS, EFFECTS, VITALS)
}


def kind_named(name: str) -> Kind[Any]:
    try:
        return KINDS[name]
    except KeyError:
        allowed = ", ".join(KINDS)
        raise InvalidInputError.one(
            "kind", f"unknown kind {name!r}; use one of: {allowed}"
        ) from None


def history_kinds() -> tuple[str, ...]:
    """The kinds shown in the day-by-day history, in registry order."""
    return tuple(name for name, kind in KINDS.items() if kind.in_history)


def kind_of_table(table: str) -> Kind[Any] | None:
    """The kind stored in `table` (export files name kinds by their table)."""
    return next((kind for kind in KINDS.values() if kind.table == table), None)


def stored_tables() -> list[sa.Table]:
    """Every table holding the person's data, parents before children: the store's own list
    plus each registered kind's table (what export and import read and write)."""
    tables = {*snapshot.user_tables(), *(kind.repository.table for kind in KINDS.values())}
    return sort_tables(sorted(tables, key=lambda table: table.name))


def register(kind: Kind[Any]) -> None:
    """Add a kind (an app builds its API routes from the kinds registered when it is built)."""
    if kind.name in KINDS:
        raise ConflictError(f"a kind named {kind.name!r} is already registered")
    KINDS[kind.name] = kind


def unregister(name: str) -> None:
    KINDS.pop(name, None)


@contextmanager
def registered(kind: Kind[Any]) -> Iterator[Kind[Any]]:
    """A kind registered for the length of a `with` block (tests)."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)
