"""Label readings: the number with its unit chosen explicitly; ambiguity refused (#17)."""

from __future__ import annotations

import pytest

from mitra.domain.labels import LabelReading, describe_label, read_label
from mitra.domain.products import ServingUnit
from mitra.errors import InvalidInputError


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("1.5", "percent", LabelReading(mg_per_g=15.0)),
        ("1,5", "percent", LabelReading(mg_per_g=15.0)),
        ("15", "mg_per_g", LabelReading(mg_per_g=15.0)),
        ("7", "mg_per_capsule", LabelReading(mg_per_unit=7.0, serving_unit=ServingUnit.CAPSULE)),
        ("10", "mg_per_ml", LabelReading(mg_per_unit=10.0, serving_unit=ServingUnit.ML)),
        ("", "", None),
    ],
)
def test_a_label_number_with_its_unit_is_read_as_stored(
    amount: str, unit: str, expected: LabelReading | None
) -> None:
    assert read_label(amount, unit) == expected


@pytest.mark.parametrize(
    ("amount", "unit", "problem"),
    [
        ("1.5", "", "label_unit"),
        ("", "percent", "label_amount"),
        ("1.5%", "mg_per_g", "label_amount"),
        ("15 mg", "mg_per_g", "label_amount"),
        ("150", "percent", "label_amount"),
        ("2000", "mg_per_g", "label_amount"),
        ("0", "mg_per_ml", "label_amount"),
        ("3", "grams", "label_unit"),
    ],
)
def test_ambiguous_or_impossible_label_input_is_refused(
    amount: str, unit: str, problem: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_label(amount, unit)
    assert [p.field for p in caught.value.problems] == [problem]


def test_the_conversion_is_described_in_words() -> None:
    assert describe_label(read_label("1.5", "percent")) == (
        "Mitra will use 15 mg mitragynine per g of product (1.5 %): a 5 g dose is 75 mg."
    )
    assert describe_label(read_label("7", "mg_per_capsule")) == (
        "Mitra will use 7 mg mitragynine per capsule (2 capsule = 14 mg)."
    )
