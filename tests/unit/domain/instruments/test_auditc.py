"""AUDIT-C known answers. Source: sum 0-12; "a score of 4 or more for men and 3 or more for women
is considered positive" (uscore_auditc, PMID 12695273; ementalhealth_auditc)."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import CutPoint, Instrument, Item, Option, Scoring, score
from mitra.errors import InvalidInputError

OPTIONS = tuple(Option(str(v), v) for v in range(5))
CODE = "screen.auditc_positive"


def build_auditc() -> Instrument:
    return Instrument(
        id="auditc",
        title="AUDIT-C",
        items=tuple(Item(f"auditc.q{n}", f"q{n}", OPTIONS) for n in range(1, 4)),
        scoring=Scoring("sum", 0, 12, "uscore_auditc"),
        no_bands_reason="a screen with sex-specific cut-points",
        cut_points=(
            CutPoint(CODE, "positive (men)", 4, "male", "uscore_auditc"),
            CutPoint(CODE, "positive (women)", 3, "female", "uscore_auditc"),
        ),
    )


def totalling(total: int) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for n in range(1, 4):
        answers[f"auditc.q{n}"] = min(4, total)
        total -= min(4, total)
    return answers


@pytest.mark.parametrize(
    ("total", "sex", "positive"),
    [
        pytest.param(0, "male", False, id="minimum-0-male-uscore_auditc"),
        pytest.param(3, "male", False, id="3-male-negative-uscore_auditc"),
        pytest.param(4, "male", True, id="4-male-positive-uscore_auditc"),
        pytest.param(2, "female", False, id="2-female-negative-uscore_auditc"),
        pytest.param(3, "female", True, id="3-female-positive-uscore_auditc"),
        pytest.param(12, "female", True, id="maximum-12-female-uscore_auditc"),
    ],
)
def test_sex_specific_positive_screen(total: int, sex: str, positive: bool) -> None:
    result = score(build_auditc(), totalling(total), sex=sex)
    assert result.total == total
    assert result.has_flag(CODE) is positive


def test_positive_screen_names_sex_and_threshold() -> None:
    (flag,) = score(build_auditc(), totalling(3), sex="female").flags
    assert flag.because == "total 3 is at or above the cut-point 3 for female"


def test_without_sex_no_screen_is_applied_and_reasons_say_why() -> None:
    result = score(build_auditc(), totalling(12))
    assert result.flags == ()
    assert "Cut-point 'screen.auditc_positive' (male) not applied: sex not given." in result.reasons
    assert (
        "Cut-point 'screen.auditc_positive' (female) not applied: sex not given." in result.reasons
    )


def test_unknown_sex_value_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="sex: 'other' is not one of female, male"):
        score(build_auditc(), totalling(1), sex="other")


def test_missing_item_gives_no_screen() -> None:
    answers = totalling(8)
    answers["auditc.q3"] = None
    result = score(build_auditc(), answers, sex="male")
    assert (result.total, result.flags, result.missing_items) == (None, (), ("auditc.q3",))
