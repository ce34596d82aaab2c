"""Kratom products as bought: form, labelled alkaloid content, custom units."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mitra.domain.checks import LIMITS, MAX_NAME, MAX_NOTE, MAX_URL, check_range, check_text
from mitra.errors import Problems


class ProductForm(StrEnum):
    LEAF_POWDER = "leaf_powder"
    CAPSULE = "capsule"
    EXTRACT = "extract"
    TINCTURE = "tincture"
    SEVEN_OH = "seven_oh"
    OTHER = "other"


FORM_LABELS: Final = {
    ProductForm.LEAF_POWDER: "Leaf powder",
    ProductForm.CAPSULE: "Capsules",
    ProductForm.EXTRACT: "Extract",
    ProductForm.TINCTURE: "Tincture / shot",
    ProductForm.SEVEN_OH: "7-OH product",
    ProductForm.OTHER: "Other",
}


class ServingUnit(StrEnum):
    """The count unit a label's 'per unit' alkaloid content refers to."""

    CAPSULE = "capsule"
    TABLET = "tablet"
    ML = "ml"


@dataclass(frozen=True)
class Product:
    name: str
    form: ProductForm
    vendor: str = ""
    mitragynine_mg_per_g: float | None = None
    mitragynine_mg_per_unit: float | None = None
    seven_oh_mg_per_unit: float | None = None
    serving_unit: ServingUnit | None = None
    custom_units: tuple[tuple[str, float], ...] = ()
    lot: str = ""
    coa_url: str = ""
    notes: str = ""
    id: int | None = None

    def unit_grams(self, unit: str) -> float | None:
        """Grams of product in one custom unit (e.g. a 'scoop'), if defined."""
        return dict(self.custom_units).get(unit)


def is_seven_oh(product: Product) -> bool:
    """A concentrated 7-OH product: by its form, or by a labelled 7-OH content."""
    return product.form is ProductForm.SEVEN_OH or product.seven_oh_mg_per_unit is not None


def check_product(product: Product) -> None:
    problems = Problems()
    if not product.name.strip():
        problems.add("name", "a product needs a name")
    check_text(product.name, MAX_NAME, problems, "name")
    check_text(product.vendor, MAX_NAME, problems, "vendor")
    check_text(product.lot, MAX_NAME, problems, "lot")
    check_text(product.notes, MAX_NOTE, problems, "notes")
    check_text(product.coa_url, MAX_URL, problems, "coa_url")
    if product.coa_url and not product.coa_url.startswith(("https://", "http://")):
        problems.add("coa_url", "a lab-test link must start with https:// or http://")
    for name in ("mitragynine_mg_per_g", "mitragynine_mg_per_unit", "seven_oh_mg_per_unit"):
        check_range(getattr(product, name), LIMITS.alkaloid_mg, problems, name)
    has_per_unit = (product.mitragynine_mg_per_unit, product.seven_oh_mg_per_unit) != (None, None)
    if has_per_unit and product.serving_unit is None:
        problems.add("serving_unit", "say what 'per unit' means: capsule, tablet or ml")
    check_custom_units(product.custom_units, problems)
    problems.raise_if_any()


def check_custom_units(units: tuple[tuple[str, float], ...], problems: Problems) -> None:
    """Custom units name a weight: a 'scoop', or the grams in one capsule, tablet or ml."""
    seen: set[str] = set()
    for name, grams in units:
        if not name or len(name) > 30 or not name.replace(" ", "").replace("-", "").isalpha():
            problems.add("custom_units", f"unit name {name!r} must be 1–30 letters")
        elif name in ("g", "mg") or name in seen:
            problems.add("custom_units", f"unit {name!r} is already defined")
        seen.add(name)
        check_range(grams, LIMITS.unit_grams, problems, "custom_units")
