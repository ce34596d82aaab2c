"""Journal use cases: products, kratom use, check-ins, medications, adverse effects, vitals.

These are the functions the CLI, the web pages and the REST API call. Every kind is written
through the registry's one path (`entries.save`): times default to now and zones to the user's
zone, and every entry is checked by the domain before one row is written.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from mitra.domain import journal as j
from mitra.domain.products import Product
from mitra.errors import InvalidInputError, NotFoundError
from mitra.services import entries
from mitra.services.context import Mitra
from mitra.services.entries import Saved


def add_product(mitra: Mitra, product: Product) -> Product:
    return entries.add(mitra, entries.PRODUCTS, product).entry


def update_product(mitra: Mitra, product_id: int, product: Product) -> Product:
    return entries.replace(mitra, entries.PRODUCTS, product_id, product).entry


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
    values = {"product_id": product_id, "amount": amount, "unit": unit, "note": note}
    values |= {"taken_at": taken_at, "tz": tz, "client_id": client_id}
    saved: j.UseEvent = entries.save(mitra, entries.USES, values).entry
    return saved


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
    values = {"product_id": product_id, "amount": amount, "unit": unit, "note": note}
    values |= {"taken_at": taken_at, "tz": tz}
    saved: j.UseEvent = entries.save(mitra, entries.USES, values, event_id, expected_version).entry
    return saved


def record_checkin(mitra: Mitra, checkin: j.CheckIn) -> j.CheckIn:
    return entries.add(mitra, entries.CHECKINS, checkin).entry


def add_medication(mitra: Mitra, medication: j.Medication) -> j.Medication:
    return entries.add(mitra, entries.MEDICATIONS, medication).entry


def stop_medication(mitra: Mitra, medication_id: int, on: date) -> Saved[j.Medication]:
    current = entries.get(mitra, entries.MEDICATIONS, medication_id)
    stopped = dataclasses.replace(current, stopped_on=on, id=None)
    return entries.replace(mitra, entries.MEDICATIONS, medication_id, stopped)


def log_effect(mitra: Mitra, effect: j.AdverseEffect) -> j.AdverseEffect:
    return entries.add(mitra, entries.EFFECTS, effect).entry


def log_vital(mitra: Mitra, vital: j.Vital) -> j.Vital:
    return entries.add(mitra, entries.VITALS, vital).entry


def list_medications(mitra: Mitra) -> list[j.Medication]:
    return entries.list_all(mitra, entries.MEDICATIONS)
