"""PEG known answers. Source: score = mean of the three 0-10 items, range 0-10 (krebs2009,
cdc_checklist_peg); no severity bands in the development paper."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import Instrument, InvalidAnswerError, Item, Option, Scoring, score

NRS = tuple(Option(str(v), v) for v in range(11))


def build_peg() -> Instrument:
    return Instrument(
        id="peg",
        title="PEG",
        items=(Item("peg.p", "pain", NRS), Item("peg.e", "enjoy", NRS), Item("peg.g", "act", NRS)),
        scoring=Scoring("mean", 0, 10, "krebs2009"),
        no_bands_reason="The development paper defines no severity bands",
    )


@pytest.mark.parametrize(
    ("p", "e", "g", "mean"),
    [
        pytest.param(0, 0, 0, 0.0, id="minimum-0-krebs2009"),
        pytest.param(10, 10, 10, 10.0, id="maximum-10-krebs2009"),
        pytest.param(6, 4, 5, 5.0, id="mean-5-krebs2009"),
        pytest.param(1, 2, 2, 5 / 3, id="mean-1.67-not-rounded-krebs2009"),
        pytest.param(7, 0, 0, 7 / 3, id="pain-only-krebs2009"),
    ],
)
def test_score_is_the_mean_of_three_items(p: int, e: int, g: int, mean: float) -> None:
    result = score(build_peg(), {"peg.p": p, "peg.e": e, "peg.g": g})
    assert result.total == pytest.approx(mean)
    assert (result.band_code, result.complete) == (None, True)
    assert result.reasons[0].startswith(f"Total {result.total} is the mean of 3 scored items")


def test_no_bands_reason_is_given() -> None:
    result = score(build_peg(), {"peg.p": 3, "peg.e": 3, "peg.g": 3})
    assert result.reasons[1] == "No severity bands: The development paper defines no severity bands"


def test_one_missing_item_is_not_averaged_away() -> None:
    result = score(build_peg(), {"peg.p": 8, "peg.e": None, "peg.g": 8})
    assert (result.total, result.missing_items) == (None, ("peg.e",))


@pytest.mark.parametrize("value", [11, -1, 5.5])
def test_value_outside_0_to_10_is_refused(value: float) -> None:
    with pytest.raises(InvalidAnswerError, match=f"peg.g: answer {value!r} is not one"):
        score(build_peg(), {"peg.p": 1, "peg.e": 1, "peg.g": value})
