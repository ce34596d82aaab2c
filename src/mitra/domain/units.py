"""Dose conversion: what was entered, turned into grams of leaf and mg of alkaloid where a label
allows it. Where it does not, the answer is None with the reason, never a guess.

Grams of leaf are only meaningful for plain leaf products (powder, or capsules of powder): an
extract's gram is not a gram of leaf, and no label gives the ratio reliably enough to convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mitra.domain.products import Product, ProductForm
from mitra.errors import InvalidInputError

MASS_UNITS: Final = {"g": 1.0, "mg": 0.001}
COUNT_UNITS: Final = ("capsule", "tablet", "ml")
BUILTIN_UNITS: Final = (*MASS_UNITS, *COUNT_UNITS)
LEAF_FORMS: Final = frozenset({ProductForm.LEAF_POWDER, ProductForm.CAPSULE})

# Largest single amount accepted per unit: above these the entry is almost surely a typo.
MAX_AMOUNT: Final = {"g": 100.0, "mg": 100_000.0, "capsule": 100.0, "tablet": 100.0, "ml": 1000.0}
MAX_CUSTOM_COUNT: Final = 100.0


@dataclass(frozen=True)
class Conversion:
    grams_product: float | None
    grams_leaf: float | None
    mg_mitragynine: float | None
    mg_7oh: float | None
    note: str


def units_for(product: Product) -> list[str]:
    """Units a use of this product may be entered in: built-ins plus its custom units."""
    custom = [name for name, _ in product.custom_units if name not in BUILTIN_UNITS]
    return [*BUILTIN_UNITS, *custom]


def check_amount(product: Product, amount: float, unit: str) -> None:
    if unit not in units_for(product):
        allowed = ", ".join(units_for(product))
        raise InvalidInputError.one("unit", f"unknown unit {unit!r}; use one of: {allowed}")
    if not amount > 0:
        raise InvalidInputError.one("amount", "must be more than 0")
    limit = MAX_AMOUNT.get(unit, MAX_CUSTOM_COUNT)
    if amount > limit:
        raise InvalidInputError.one(
            "amount", f"{amount:g} {unit} in one use is not plausible (limit {limit:g}); check it"
        )


def convert(product: Product, amount: float, unit: str) -> Conversion:
    """Convert one entered amount of a product; validates the amount and unit first."""
    check_amount(product, amount, unit)
    notes: list[str] = []
    grams = _grams_of_product(product, amount, unit, notes)
    grams_leaf = grams if grams is not None and product.form in LEAF_FORMS else None
    if grams is not None and grams_leaf is None:
        notes.append(f"grams of {product.form.value.replace('_', ' ')} are not grams of leaf")
    per_unit = unit == product.serving_unit
    mg_mg = _mitragynine(product, amount, grams, per_unit, notes)
    mg_7oh = (
        round(amount * product.seven_oh_mg_per_unit, 3)
        if per_unit and (product.seven_oh_mg_per_unit is not None)
        else None
    )
    return Conversion(
        grams_product=_round(grams),
        grams_leaf=_round(grams_leaf),
        mg_mitragynine=mg_mg,
        mg_7oh=mg_7oh,
        note="; ".join(notes),
    )


def _grams_of_product(product: Product, amount: float, unit: str, notes: list[str]) -> float | None:
    if unit in MASS_UNITS:
        return amount * MASS_UNITS[unit]
    custom = product.unit_grams(unit)
    if custom is not None:
        return amount * custom
    notes.append(f"the weight of one {unit} is not known (add it as a custom unit to convert)")
    return None


def _mitragynine(
    product: Product, amount: float, grams: float | None, per_unit: bool, notes: list[str]
) -> float | None:
    if per_unit and product.mitragynine_mg_per_unit is not None:
        return round(amount * product.mitragynine_mg_per_unit, 3)
    if grams is not None and product.mitragynine_mg_per_g is not None:
        return round(grams * product.mitragynine_mg_per_g, 3)
    notes.append("the label does not state mitragynine content for this amount")
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def default_unit(product: Product) -> str:
    """The unit a use of this product is most likely entered in: what the product comes as
    (capsules, a shot in ml, a tablet), else grams."""
    if product.serving_unit is not None:
        return product.serving_unit.value
    if product.form is ProductForm.CAPSULE:
        return "capsule"
    if product.form is ProductForm.TINCTURE:
        return "ml"
    if product.form is ProductForm.SEVEN_OH:
        return "tablet"
    return "g"
