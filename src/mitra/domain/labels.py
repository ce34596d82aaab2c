"""What a product label prints about mitragynine, read with its unit chosen explicitly.

Labels print "1.5 % mitragynine", "15 mg/g", "7 mg per capsule" or "10 mg per ml". A bare number
is ambiguous (1.5 meant as 1.5 % is 15 mg/g, ten times more than 1.5 mg/g), so a number without
its unit, a unit without a number, or a number whose own text names another unit is refused; the
reading is stored as mg per g, or as mg per capsule/tablet/ml with that serving unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mitra.domain.products import Product, ServingUnit
from mitra.errors import InvalidInputError, Problems


class LabelUnit(StrEnum):
    PERCENT = "percent"
    MG_PER_G = "mg_per_g"
    MG_PER_CAPSULE = "mg_per_capsule"
    MG_PER_TABLET = "mg_per_tablet"
    MG_PER_ML = "mg_per_ml"


LABEL_UNITS: Final = {
    LabelUnit.PERCENT: "% mitragynine (by weight)",
    LabelUnit.MG_PER_G: "mg per g",
    LabelUnit.MG_PER_CAPSULE: "mg per capsule",
    LabelUnit.MG_PER_TABLET: "mg per tablet",
    LabelUnit.MG_PER_ML: "mg per ml",
}
PER_UNIT: Final = {
    LabelUnit.MG_PER_CAPSULE: ServingUnit.CAPSULE,
    LabelUnit.MG_PER_TABLET: ServingUnit.TABLET,
    LabelUnit.MG_PER_ML: ServingUnit.ML,
}
MG_PER_G_PER_PERCENT: Final = 10.0  # 1 % of a gram is 10 mg
NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class LabelReading:
    """What will be stored: mg per g, or mg per serving unit (exactly one of them)."""

    mg_per_g: float | None = None
    mg_per_unit: float | None = None
    serving_unit: ServingUnit | None = None


def read_label(amount: str, unit: str) -> LabelReading | None:
    """The label's number and its chosen unit -> what is stored; None when both are empty."""
    text, chosen = amount.strip().replace(",", "."), unit.strip()
    if not text and not chosen:
        return None
    problems = Problems()
    if not chosen:
        problems.add(
            "label_unit",
            f"say what {text!r} is: % mitragynine, mg per g, mg per capsule, tablet or ml "
            "(1.5 % is 15 mg per g)",
        )
    elif chosen not in {u.value for u in LabelUnit}:
        problems.add("label_unit", f"{chosen[:20]!r} is not one of: {', '.join(LabelUnit)}")
    if not text:
        problems.add("label_amount", "write the number printed on the label")
    elif not NUMBER.fullmatch(text):
        problems.add(
            "label_amount",
            f"{text[:20]!r}: write the number only and choose its unit (e.g. 1.5 and "
            "'% mitragynine')",
        )
    problems.raise_if_any()
    value, label_unit = float(text), LabelUnit(chosen)
    if label_unit is LabelUnit.PERCENT:
        if not 0 < value <= 100:
            raise InvalidInputError.one(
                "label_amount", "a percentage must be above 0 and at most 100"
            )
        return LabelReading(mg_per_g=round(value * MG_PER_G_PER_PERCENT, 6))
    if not value > 0:
        raise InvalidInputError.one("label_amount", "must be more than 0")
    if label_unit is LabelUnit.MG_PER_G:
        if value > 1000:
            raise InvalidInputError.one("label_amount", "a gram holds at most 1000 mg")
        return LabelReading(mg_per_g=value)
    return LabelReading(mg_per_unit=value, serving_unit=PER_UNIT[label_unit])


def label_of(product: Product) -> tuple[str, str]:
    """A stored product's label reading as the form shows it (number, unit)."""
    if product.mitragynine_mg_per_g is not None:
        return f"{product.mitragynine_mg_per_g:g}", LabelUnit.MG_PER_G.value
    if product.mitragynine_mg_per_unit is not None and product.serving_unit is not None:
        return f"{product.mitragynine_mg_per_unit:g}", f"mg_per_{product.serving_unit.value}"
    return "", ""


def describe_label(reading: LabelReading | None) -> str:
    """The conversion Mitra will use, in words."""
    if reading is None:
        return "No label content: doses are kept as entered and not converted to mitragynine."
    if reading.mg_per_g is not None:
        percent = reading.mg_per_g / MG_PER_G_PER_PERCENT
        return (
            f"Mitra will use {reading.mg_per_g:g} mg mitragynine per g of product "
            f"({percent:g} %): a 5 g dose is {5 * reading.mg_per_g:g} mg."
        )
    assert reading.serving_unit is not None and reading.mg_per_unit is not None
    unit = reading.serving_unit.value
    return (
        f"Mitra will use {reading.mg_per_unit:g} mg mitragynine per {unit} "
        f"(2 {unit} = {2 * reading.mg_per_unit:g} mg)."
    )
