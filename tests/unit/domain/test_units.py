"""Dose conversion: what a label allows, and refusing what it does not."""

from __future__ import annotations

import pytest

from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.units import convert, units_for
from mitra.errors import InvalidInputError

LEAF = Product(
    "Red Bali", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15, custom_units=(("scoop", 2.5),)
)
CAPS = Product("Caps", ProductForm.CAPSULE, custom_units=(("capsule", 0.5),))
SHOT = Product("Shot", ProductForm.TINCTURE, mitragynine_mg_per_unit=5, serving_unit=ServingUnit.ML)
SEVEN = Product(
    "7-OH tabs", ProductForm.SEVEN_OH, seven_oh_mg_per_unit=15, serving_unit=ServingUnit.TABLET
)
EXTRACT = Product("Extract", ProductForm.EXTRACT, mitragynine_mg_per_g=200)
UNLABELLED = Product("Plain leaf", ProductForm.LEAF_POWDER)


@pytest.mark.parametrize(
    ("product", "amount", "unit", "grams_leaf", "mg_mitragynine", "mg_7oh"),
    [
        (LEAF, 3, "g", 3.0, 45.0, None),
        (LEAF, 500, "mg", 0.5, 7.5, None),
        (LEAF, 2, "scoop", 5.0, 75.0, None),
        (CAPS, 6, "capsule", 3.0, None, None),
        (SHOT, 10, "ml", None, 50.0, None),
        (SEVEN, 2, "tablet", None, None, 30.0),
        (EXTRACT, 1, "g", None, 200.0, None),
        (UNLABELLED, 4, "g", 4.0, None, None),
    ],
)
def test_convert_gives_leaf_grams_and_alkaloid_mg_only_where_the_label_allows(
    product: Product,
    amount: float,
    unit: str,
    grams_leaf: float | None,
    mg_mitragynine: float | None,
    mg_7oh: float | None,
) -> None:
    result = convert(product, amount, unit)
    assert (result.grams_leaf, result.mg_mitragynine, result.mg_7oh) == (
        grams_leaf,
        mg_mitragynine,
        mg_7oh,
    )


def test_unconverted_amounts_say_why_instead_of_guessing() -> None:
    assert convert(SHOT, 10, "ml").note == (
        "the weight of one ml is not known (add it as a custom unit to convert)"
    )
    assert convert(EXTRACT, 1, "g").note == "grams of extract are not grams of leaf"
    assert convert(UNLABELLED, 4, "g").note == (
        "the label does not state mitragynine content for this amount"
    )
    assert convert(LEAF, 3, "g").note == ""


@pytest.mark.parametrize(
    ("amount", "unit", "field", "reason"),
    [
        (0, "g", "amount", "must be more than 0"),
        (-1, "g", "amount", "must be more than 0"),
        (101, "g", "amount", "101 g in one use is not plausible (limit 100); check it"),
        (101, "scoop", "amount", "101 scoop in one use is not plausible (limit 100); check it"),
        (
            1,
            "bucket",
            "unit",
            "unknown unit 'bucket'; use one of: g, mg, capsule, tablet, ml, scoop",
        ),
    ],
)
def test_absurd_amounts_and_unknown_units_are_refused(
    amount: float, unit: str, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        convert(LEAF, amount, unit)
    assert [(p.field, p.reason) for p in caught.value.problems] == [(field, reason)]


def test_custom_weight_of_a_builtin_unit_is_not_listed_twice() -> None:
    assert units_for(CAPS) == ["g", "mg", "capsule", "tablet", "ml"]
    assert units_for(LEAF)[-1] == "scoop"
