"""Cells become means with 95 % t-intervals, or are suppressed below the minimum."""

from __future__ import annotations

from mitra.domain.research.stats import QUERIES, Cell, summarise


def test_a_cell_of_five_values_known_to_give_mean_3_and_sd_1_58() -> None:
    # values 1..5: sum 15, squares 55, sd sqrt(2.5); t(0.975, 4) = 2.776445
    cells = summarise([("a", 5, 15, 55), ("b", 4, 8, 20)], min_cell=5)
    assert cells == [
        Cell("a", 5, 3.0, 1.0368, 4.9632, False),
        Cell("b", 0, None, None, None, True),
    ]


def test_the_three_queries_are_named_for_what_they_compare() -> None:
    assert sorted(QUERIES) == [
        "dependence_by_product_form",
        "phq9_change_by_daily_amount",
        "sows_by_doses_per_day",
    ]


def test_daily_amount_bands_come_in_their_natural_order() -> None:
    rows = [
        ("under 5 g a day", 5, 5, 5),
        ("10 g a day or more", 5, 5, 5),
        ("5 to 10 g a day", 5, 5, 5),
    ]
    assert [c.cell for c in summarise(rows, min_cell=5)] == [
        "under 5 g a day",
        "5 to 10 g a day",
        "10 g a day or more",
    ]
