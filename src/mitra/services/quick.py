"""Quick logging from Home: one button per recent product that repeats its last dose, and undo.

A phone user re-logs the same product and amount several times a day, so Home offers, per product
(most recently used first), its last amount and unit; a product never used offers its own unit
(capsules for capsules, ml for a shot, g for powder) with no amount. Undo deletes the entry just
saved, in one transaction, like any delete.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitra.adapters.store import repositories as repo
from mitra.domain.history import describe_use
from mitra.domain.journal import UseEvent
from mitra.domain.products import Product
from mitra.domain.units import default_unit, units_for
from mitra.errors import NotFoundError
from mitra.services import entries
from mitra.services.context import Mitra

RECENT_USES_READ = 200  # the last uses looked at to find each product's last dose
MAX_BUTTONS = 4


@dataclass(frozen=True)
class QuickDose:
    """One Home button: a product and the dose it repeats (amount None: never logged)."""

    product: Product
    amount: float | None
    unit: str
    units: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.amount is None:
            return self.product.name
        return f"{self.amount:g} {self.unit} {self.product.name}"


@dataclass(frozen=True)
class Saved:
    """The entry a quick log just saved, for the "Saved — Undo" line."""

    use_id: int
    what: str
    detail: str


def quick_doses(mitra: Mitra, limit: int = MAX_BUTTONS) -> list[QuickDose]:
    """Products to offer on Home, most recently used first, each with its last dose."""
    with mitra.store.read() as conn:
        products = [p for p in repo.products.list(conn) if p.id is not None]
        uses = repo.uses.list(conn, limit=RECENT_USES_READ)
    last: dict[int, UseEvent] = {}
    for use in uses:  # newest first
        last.setdefault(use.product_id, use)
    by_recency = sorted(
        products,
        key=lambda p: (p.id not in last, -(last[p.id].taken_at.timestamp()) if p.id in last else 0),
    )
    doses = []
    for product in by_recency[:limit]:
        units = tuple(units_for(product))
        previous = last.get(product.id) if product.id is not None else None
        if previous is not None and previous.unit in units:
            doses.append(QuickDose(product, previous.amount, previous.unit, units))
        else:
            doses.append(QuickDose(product, None, default_unit(product), units))
    return doses


def just_saved(mitra: Mitra, use_id: int) -> Saved | None:
    """The use a quick log saved (None when it is gone: undone, or never there)."""
    try:
        with mitra.store.read() as conn:
            use = repo.uses.get(conn, use_id)
            product = repo.products.get(conn, use.product_id)
    except NotFoundError:
        return None
    what, detail = describe_use(use, {use.product_id: product})
    return Saved(use_id, what, detail)


def undo_use(mitra: Mitra, use_id: int) -> None:
    """Delete the use just saved (Home's Undo); NotFoundError when it is already gone."""
    entries.delete(mitra, entries.USES, use_id)
