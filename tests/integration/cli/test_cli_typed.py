"""#16: the CLI hands the services the values it parsed, not text made from them and parsed
again. Two things that round trip lost: a label figure with more digits than `%g` keeps, and the
seconds of an entry's time when `mitra edit` changes another field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mitra.domain.products import Product, ProductForm
from mitra.services import entries, journal
from mitra.services.context import Mitra


def test_a_label_figure_keeps_every_digit(cli: Any, mitra: Mitra) -> None:
    done = cli("products", "add", "Fine Green", "--mg-per-g", "15.123456789")
    assert done.exit_code == 0, done.output
    [product] = journal.list_products(mitra)
    assert product.mitragynine_mg_per_g == 15.123456789


def test_edit_keeps_the_seconds_of_a_time_it_does_not_change(cli: Any, mitra: Mitra) -> None:
    leaf = entries.add(mitra, entries.PRODUCTS, Product("Red", ProductForm.LEAF_POWDER)).entry
    at = datetime(2026, 11, 20, 8, 30, 45, tzinfo=UTC)
    use = journal.log_use(mitra, product_id=leaf.id or 0, amount=2.0, unit="g", taken_at=at)
    done = cli("edit", "uses", str(use.id), "--set", "note=after breakfast")
    assert done.exit_code == 0, done.output
    edited = entries.get(mitra, entries.kind_named("uses"), use.id or 0)
    assert (edited.taken_at, edited.note, edited.amount) == (at, "after breakfast", 2.0)


def test_a_number_that_is_not_finite_is_refused_in_one_line(cli: Any, mitra: Mitra) -> None:
    cli("products", "add", "Red")
    done = cli("log", "use", "nan", "g", "--product", "Red")
    assert done.exit_code == 2
    assert "amount: 'nan' is not a number" in done.stderr
    assert journal.list_products(mitra)[0].name == "Red"
