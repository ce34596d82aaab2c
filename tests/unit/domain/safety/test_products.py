"""product.*: 7-OH, extracts, no lab test, and a dose far stronger than usual."""

from __future__ import annotations

from statistics import median

from hypothesis import given
from hypothesis import strategies as st

from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.safety import Rules
from mitra.domain.safety.rules.product import _median

from .helpers import LEAF, RULES, ago, ids, run, snap, use

SEVEN = Product("7 Tabs", ProductForm.SEVEN_OH, coa_url="https://x", id=2)
LABELLED = Product(
    "Caps",
    ProductForm.CAPSULE,
    coa_url="https://x",
    seven_oh_mg_per_unit=5,
    serving_unit=ServingUnit.CAPSULE,
    id=3,
)
SHOT = Product("Shot", ProductForm.TINCTURE, coa_url="https://x", id=4)
UNTESTED = Product("Mystery", ProductForm.LEAF_POWDER, id=5)
ALL = (LEAF, SEVEN, LABELLED, SHOT, UNTESTED)


def test_each_product_rule_fires_on_a_product_used_in_the_window() -> None:
    uses = tuple(use(ago(1), product_id=p.id or 0) for p in ALL)
    found = run(snap(products=ALL, uses=uses))
    assert ids(found) == ["product.seven_oh", "product.extract", "product.no_lab_test"]
    assert found[0].key == "product.seven_oh:2+3"  # one alert naming both 7-OH products
    assert found[0].because == (
        "'7 Tabs', which you used in the last 30 days, is a concentrated 7-OH product. "
        "'Caps', which you used in the last 30 days, is a concentrated 7-OH product."
    )
    assert (
        run(snap(products=ALL, uses=tuple(use(ago(31), product_id=p.id or 0) for p in ALL))) == []
    )


def test_a_use_of_an_unknown_product_is_ignored() -> None:
    assert run(snap(products=(), uses=(use(ago(1), product_id=99),))) == []


def test_a_dose_twice_the_usual_mitragynine_fires_and_1_9_times_does_not() -> None:
    usual = tuple(use(ago(20 - i), mg=30.0) for i in range(5))
    strong = run(snap(uses=(*usual, use(ago(1), mg=60.0))))
    assert ids(strong) == ["product.potency"]
    assert (
        "about 60 mg of mitragynine by its label — 2.0 times your usual 30 mg" in strong[0].because
    )
    assert run(snap(uses=(*usual, use(ago(1), mg=57.0)))) == []
    assert run(snap(uses=(*usual[:4], use(ago(1), mg=90.0)))) == []
    assert run(snap(uses=(*usual, use(ago(8), mg=90.0)))) == []
    unknown = run(snap(products=(), uses=(*usual, use(ago(1), mg=90.0))))
    assert "'product 1'" in unknown[0].because


def test_missing_rules_do_not_run() -> None:
    empty = Rules({}, RULES.classes, RULES.lexicon)
    uses = tuple(use(ago(20 - i), product_id=p.id or 0, mg=10.0) for i, p in enumerate(ALL * 2))
    assert run(snap(products=ALL, uses=(*uses, use(ago(1), mg=90.0))), empty) == []


@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=30))
def test_the_running_median_is_the_median_of_the_earlier_doses(doses: list[float]) -> None:
    assert _median(sorted(doses)) == median(doses)


def test_the_usual_dose_is_the_median_of_every_earlier_labelled_dose() -> None:
    """Six earlier doses (an even count: the mean of the middle two, 40 mg) then 80 mg, twice."""
    earlier = [use(ago(20 - d), mg=mg) for d, mg in enumerate((10, 30, 40, 40, 50, 90))]
    found = run(snap(uses=(*earlier, use(ago(1), mg=80))))
    assert ids(found) == ["product.potency"]
    assert "2.0 times your usual 40 mg per dose" in found[0].because
    assert _median([1.0, 2.0, 7.0]) == 2.0
