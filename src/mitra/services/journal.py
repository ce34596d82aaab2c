"""Journal use cases: products, kratom use, check-ins, medications, adverse effects, vitals.

These are the functions the CLI, the web pages and the REST API call. Times default to now and
zones to the user's zone; every entry is checked by the domain before one row is written.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from mitra.adapters.store import repositories as repo
from mitra.domain import journal as j
from mitra.domain.checks import parse_enum
from mitra.domain.offline import check_client_id
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import entries, safety
from mitra.services.context import Mitra

OFFLINE_KINDS = ("uses", "checkins")  # the entries a phone may queue offline (migration 0006)


def add_product(mitra: Mitra, product: Product) -> Product:
    return entries.add(mitra, entries.PRODUCTS, product)


def update_product(mitra: Mitra, product_id: int, product: Product) -> Product:
    return entries.replace(mitra, entries.PRODUCTS, product_id, product)


def list_products(mitra: Mitra) -> list[Product]:
    return entries.list_all(mitra, entries.PRODUCTS)


def find_product(mitra: Mitra, reference: str) -> Product:
    """A product by id, or by name ignoring case; a clear error when none or several match."""
    products = list_products(mitra)
    if reference.isdigit():
        matches = [p for p in products if p.id == int(reference)]
    else:
        matches = [p for p in products if p.name.casefold() == reference.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(p.name for p in products) or "none yet"
        raise NotFoundError(f"no product {reference!r} (known products: {known})")
    raise InvalidInputError.one("product", f"several products are called {reference!r}; use its id")


def log_use(
    mitra: Mitra,
    *,
    product_id: int,
    amount: float,
    unit: str,
    taken_at: datetime | None = None,
    tz: str | None = None,
    note: str = "",
    client_id: str | None = None,
) -> j.UseEvent:
    """Record one use; stores what was entered and the label-based conversion (or why not).
    With a `client_id` (a use a phone queued offline) a use already stored with it is returned
    instead of a second copy."""
    now = mitra.now()
    zone = tz or mitra.timezone()

    def work() -> j.UseEvent:
        with mitra.store.write() as conn:
            if client_id is not None:
                stored = repo.use_events.with_client_id(conn, client_id)
                if stored is not None:
                    return stored
            product = repo.products.get(conn, product_id)
            event = j.make_use_event(
                product,
                amount=amount,
                unit=unit,
                taken_at=taken_at or now,
                tz=zone,
                now=now,
                note=note,
            )
            added = repo.use_events.add(conn, event, now, client_id)
            safety.evaluate_and_store(mitra, conn)
            return added

    return entries.once(mitra, repo.use_events, client_id, work)


def edit_use(
    mitra: Mitra,
    event_id: int,
    *,
    product_id: int,
    amount: float,
    unit: str,
    taken_at: datetime,
    tz: str,
    note: str = "",
    expected_version: int | None = None,
) -> j.UseEvent:
    now = mitra.now()
    with mitra.store.write() as conn:
        repo.use_events.get(conn, event_id)
        product = repo.products.get(conn, product_id)
        event = j.make_use_event(
            product, amount=amount, unit=unit, taken_at=taken_at, tz=tz, now=now, note=note
        )
        replaced = repo.use_events.replace(conn, event_id, event, expected_version)
        safety.evaluate_and_store(mitra, conn)
        return replaced


def record_checkin(mitra: Mitra, checkin: j.CheckIn) -> j.CheckIn:
    return entries.add(mitra, entries.CHECKINS, checkin)


def add_medication(mitra: Mitra, medication: j.Medication) -> j.Medication:
    return entries.add(mitra, entries.MEDICATIONS, medication)


def stop_medication(mitra: Mitra, medication_id: int, on: date) -> j.Medication:
    current = entries.get(mitra, entries.MEDICATIONS, medication_id)
    stopped = dataclasses.replace(current, stopped_on=on, id=None)
    return entries.replace(mitra, entries.MEDICATIONS, medication_id, stopped)


def log_effect(mitra: Mitra, effect: j.AdverseEffect) -> j.AdverseEffect:
    return entries.add(mitra, entries.EFFECTS, effect)


def log_vital(mitra: Mitra, vital: j.Vital) -> j.Vital:
    return entries.add(mitra, entries.VITALS, vital)


def _timed(values: dict[str, Any], field: str, mitra: Mitra, tz: str) -> dict[str, Any]:
    return {**values, field: values.get(field) or mitra.now(), "tz": values.get("tz") or tz}


def _build(mitra: Mitra, kind: str, values: dict[str, Any]) -> Any:
    """Typed field values (from a form, `--set` or the API) -> the domain entry."""
    tz = mitra.timezone()
    clean = {k: v for k, v in values.items() if v is not None}
    if kind == "products":
        clean["form"] = parse_enum(ProductForm, clean.get("form", ""), "form")
        if clean.get("serving_unit"):
            clean["serving_unit"] = parse_enum(ServingUnit, clean["serving_unit"], "serving_unit")
        return Product(**clean)
    if kind == "checkins":
        return j.CheckIn(**_timed(clean, "recorded_at", mitra, tz))
    if kind == "medications":
        clean["kind"] = parse_enum(j.SubstanceKind, clean.get("kind", "medication"), "kind")
        clean["schedule"] = parse_enum(j.Schedule, clean.get("schedule", "scheduled"), "schedule")
        return j.Medication(**clean)
    if kind == "effects":
        clean = _timed(clean, "occurred_at", mitra, tz)
        clean["effect"] = parse_enum(j.Effect, clean.get("effect", ""), "effect")
        return j.AdverseEffect(**{"severity": 0, **clean})
    if kind == "vitals":
        return j.Vital(**_timed(clean, "measured_at", mitra, tz))
    raise InvalidInputError.one("kind", f"unknown kind {kind!r}")


def save_entry(
    mitra: Mitra,
    kind: str,
    values: dict[str, Any],
    entity_id: int | None = None,
    expected_version: int | None = None,
) -> Any:
    """Create (or, with `entity_id`, replace) one entry of any kind from typed field values; with
    `expected_version`, a replace of an entry changed since then is refused (ConflictError).
    A `client_id` value (uses and check-ins queued offline) makes a repeated create a no-op."""
    values = dict(values)
    client_id = check_client_id(values.pop("client_id", None))
    if client_id is not None and kind not in OFFLINE_KINDS:
        raise InvalidInputError.one("client_id", f"only {' and '.join(OFFLINE_KINDS)} take one")
    if kind == "uses":
        given = {k: v for k, v in values.items() if v is not None}
        use = _timed(given, "taken_at", mitra, mitra.timezone())
        if entity_id is None:
            return log_use(mitra, **use, client_id=client_id)
        return edit_use(mitra, entity_id, **use, expected_version=expected_version)
    entity = _build(mitra, kind, values)
    target = entries.kind_named(kind)
    if entity_id is None:
        return entries.add(mitra, target, entity, client_id)
    return entries.replace(mitra, target, entity_id, entity, expected_version)


def list_medications(mitra: Mitra) -> list[j.Medication]:
    return entries.list_all(mitra, entries.MEDICATIONS)
