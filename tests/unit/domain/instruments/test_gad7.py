"""GAD-7 known answers. Source: scores 5, 10 and 15 are the cut points for mild, moderate and
severe, and 10 or more is the point for further evaluation (gad7_scoring, Spitzer et al. 2006)."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import Band, CutPoint, Instrument, Item, Option, Scoring, score
from mitra.errors import InvalidInputError

OPTIONS = tuple(Option(str(v), v) for v in range(4))
BANDS = (
    Band("minimal", "Minimal", 0, 4),
    Band("mild", "Mild", 5, 9),
    Band("moderate", "Moderate", 10, 14),
    Band("severe", "Severe", 15, 21),
)


def build_gad7(bands: tuple[Band, ...] = BANDS) -> Instrument:
    return Instrument(
        id="gad7",
        title="GAD-7",
        items=tuple(Item(f"gad7.q{n}", f"q{n}", OPTIONS) for n in range(1, 8)),
        scoring=Scoring("sum", 0, 21, "gad7_scoring"),
        bands=bands,
        cut_points=(CutPoint("screen.gad7_further_evaluation", "evaluate", 10, None, "s"),),
    )


def totalling(total: int) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for n in range(1, 8):
        answers[f"gad7.q{n}"] = min(3, total)
        total -= min(3, total)
    return answers


@pytest.mark.parametrize(
    ("total", "band", "evaluate"),
    [
        pytest.param(0, "minimal", False, id="minimum-0-gad7_scoring"),
        pytest.param(4, "minimal", False, id="4-minimal-edge-gad7_scoring"),
        pytest.param(5, "mild", False, id="5-mild-edge-gad7_scoring"),
        pytest.param(9, "mild", False, id="9-mild-edge-gad7_scoring"),
        pytest.param(10, "moderate", True, id="10-moderate-further-evaluation-gad7_scoring"),
        pytest.param(14, "moderate", True, id="14-moderate-edge-gad7_scoring"),
        pytest.param(15, "severe", True, id="15-severe-edge-gad7_scoring"),
        pytest.param(21, "severe", True, id="maximum-21-gad7_scoring"),
    ],
)
def test_total_band_and_further_evaluation_point(total: int, band: str, evaluate: bool) -> None:
    result = score(build_gad7(), totalling(total))
    assert (result.total, result.band_code) == (total, band)
    assert result.has_flag("screen.gad7_further_evaluation") is evaluate


def test_below_cut_point_says_so_in_reasons() -> None:
    result = score(build_gad7(), totalling(9))
    assert "Total 9 is below the cut-point 10 (screen.gad7_further_evaluation)." in result.reasons


def test_raised_cut_point_flag_explains_itself() -> None:
    (flag,) = score(build_gad7(), totalling(10)).flags
    assert flag.because == "total 10 is at or above the cut-point 10"


def test_two_missing_items_listed_in_order_and_no_total() -> None:
    answers = totalling(6)
    answers["gad7.q2"] = None
    answers["gad7.q7"] = None
    result = score(build_gad7(), answers)
    assert (result.total, result.band_code, result.missing_items) == (
        None,
        None,
        ("gad7.q2", "gad7.q7"),
    )
    assert result.flags == ()


def test_boolean_answer_is_refused_not_read_as_one() -> None:
    answers: dict[str, object] = dict(totalling(0))
    answers["gad7.q1"] = True
    with pytest.raises(InvalidInputError, match=r"gad7.q1: answer True is not one"):
        score(build_gad7(), answers)  # type: ignore[arg-type]


def test_misconfigured_bands_with_a_gap_report_no_band_with_a_reason() -> None:
    gapped = (Band("minimal", "Minimal", 0, 4), Band("severe", "Severe", 15, 21))
    result = score(build_gad7(gapped), totalling(7))
    assert (result.total, result.band_code, result.band_label) == (7, None, None)
    assert "No band covers total 7; the instrument's bands leave a gap." in result.reasons
