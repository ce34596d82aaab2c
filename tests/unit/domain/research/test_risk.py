"""Known answers for k-anonymity, l-diversity, t-closeness and the three attack risks."""

from __future__ import annotations

from mitra.domain.research.risk import assess, k_anonymity, l_diversity, t_closeness

# Two classes on (age, sex): (30, f) x3 and (40, m) x2.
ROWS = [
    {"age": 30, "sex": "f", "form": "leaf", "grams": 1},
    {"age": 30, "sex": "f", "form": "leaf", "grams": 2},
    {"age": 30, "sex": "f", "form": "capsule", "grams": 3},
    {"age": 40, "sex": "m", "form": "leaf", "grams": 4},
    {"age": 40, "sex": "m", "form": "leaf", "grams": 5},
]
QIS = ("age", "sex")


def test_k_is_the_smallest_class_and_l_the_fewest_distinct_values() -> None:
    assert k_anonymity(ROWS, QIS) == 2
    assert l_diversity(ROWS, QIS, "form") == 1
    assert (k_anonymity([], QIS), l_diversity([], QIS, "form")) == (0, 0)


def test_t_closeness_uses_equal_distance_for_categories_and_ordered_distance_for_numbers() -> None:
    # form: table leaf 4/5, capsule 1/5; class (40, m) is all leaf: 0.5*(0.2+0.2) = 0.2
    assert t_closeness(ROWS, QIS, "form") == 0.2
    # grams 1..5 uniform; class (40, m) holds 4 and 5: cumulative differences
    # -0.2, -0.4, -0.6, -0.3, 0 -> 1.5 / 4 = 0.375
    assert t_closeness(ROWS, QIS, "grams") == 0.375
    assert t_closeness([{"age": 1, "sex": "f", "grams": 2}], QIS, "grams") == 0.0
    assert t_closeness([], QIS, "grams") == 0.0


def test_the_report_refuses_below_the_required_k_and_says_why() -> None:
    report = assess(ROWS, QIS, ("form",), required_k=3)
    assert (report.k, report.passes) == (2, False)
    assert report.reason == "k = 2 on age, sex over 5 people is below the study's k = 3"
    assert report.singling_out == 0.0
    assert report.linkability == 0.4  # two classes over five people
    assert report.inference == {"form": 0.4}  # the (40, m) class is all leaf
    alone = assess([*ROWS, {"age": 50, "sex": "f", "form": "leaf", "grams": 1}], QIS, (), 1)
    assert (alone.singling_out, alone.passes) == (round(1 / 6, 6), True)
    assert alone.reason == "k = 1 on age, sex over 6 people meets the study's k = 1"
    empty = assess([], QIS, ("form",), 5)
    assert (empty.singling_out, empty.linkability, empty.inference) == (0.0, 0.0, {"form": 0.0})
