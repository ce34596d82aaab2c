"""Product rules."""

from __future__ import annotations

import pytest

from mitra.domain.products import Product, ProductForm, ServingUnit, check_product
from mitra.errors import InvalidInputError


def problems(product: Product) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInputError) as caught:
        check_product(product)
    return [(p.field, p.reason) for p in caught.value.problems]


def test_a_complete_product_passes() -> None:
    check_product(
        Product(
            "Red Bali",
            ProductForm.LEAF_POWDER,
            vendor="V",
            mitragynine_mg_per_g=15,
            custom_units=(("scoop", 2.5), ("capsule", 0.5)),
            coa_url="https://lab.example/1",
        )
    )


def test_every_problem_is_reported_at_once_with_its_field() -> None:
    product = Product(
        " ",
        ProductForm.EXTRACT,
        vendor="x" * 201,
        coa_url="ftp://x",
        mitragynine_mg_per_g=-1,
        seven_oh_mg_per_unit=5,
        notes="bad\x00note",
    )
    assert problems(product) == [
        ("name", "a product needs a name"),
        ("vendor", "is 201 characters long; the limit is 200"),
        ("notes", "contains control characters"),
        ("coa_url", "a lab-test link must start with https:// or http://"),
        ("mitragynine_mg_per_g", "must be between 0 and 1000, got -1"),
        ("serving_unit", "say what 'per unit' means: capsule, tablet or ml"),
    ]


def test_custom_units_need_letters_a_unique_name_and_a_plausible_weight() -> None:
    product = Product(
        "P",
        ProductForm.LEAF_POWDER,
        custom_units=(("sc00p", 2.0), ("g", 1.0), ("cup", 2.0), ("cup", 3.0), ("tiny", 0.001)),
        serving_unit=ServingUnit.CAPSULE,
    )
    assert problems(product) == [
        ("custom_units", "unit name 'sc00p' must be 1–30 letters"),
        ("custom_units", "unit 'g' is already defined"),
        ("custom_units", "unit 'cup' is already defined"),
        ("custom_units", "must be between 0.01 and 100, got 0.001"),
    ]


def test_unit_grams_looks_up_custom_units() -> None:
    product = Product("P", ProductForm.LEAF_POWDER, custom_units=(("scoop", 2.5),))
    assert product.unit_grams("scoop") == 2.5
    assert product.unit_grams("cup") is None
