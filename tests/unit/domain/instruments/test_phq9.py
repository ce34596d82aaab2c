"""PHQ-9 known answers. Sources: bands 0-4/5-9/10-14/15-19/20-27 from CamCOPS phq9.py severity()
(camcops_phq9); item 9 crisis rule from AACN "any answer other than not at all" (aacn_item9);
missing-item policy from the project (no published proration rule)."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import (
    Band,
    Flag,
    Instrument,
    InvalidAnswerError,
    Item,
    Option,
    Scoring,
    score,
)
from mitra.errors import InvalidInputError

OPTIONS = tuple(Option(label, value) for value, label in enumerate(
    ("Not at all", "Several days", "More than half the days", "Nearly every day")
))  # fmt: skip


def build_phq9() -> Instrument:
    return Instrument(
        id="phq9",
        title="PHQ-9",
        items=tuple(Item(f"phq9.q{n}", f"question {n}", OPTIONS) for n in range(1, 10)),
        scoring=Scoring("sum", 0, 27, "uscore_phq9"),
        bands=(
            Band("minimal", "None-minimal", 0, 4),
            Band("mild", "Mild", 5, 9),
            Band("moderate", "Moderate", 10, 14),
            Band("moderately_severe", "Moderately severe", 15, 19),
            Band("severe", "Severe", 20, 27),
        ),
        flags=(Flag("crisis.phq9_item9", "phq9.q9", 1, "crisis", "aacn_item9"),),
    )


def answers_totalling(total: int, item9: int | None = 0) -> dict[str, int | None]:
    """Items 1-8 carry the total (minus item 9), filled 3s first."""
    rest = total - (item9 or 0)
    answers: dict[str, int | None] = {}
    for n in range(1, 9):
        answers[f"phq9.q{n}"] = min(3, rest)
        rest -= min(3, rest)
    assert rest == 0
    answers["phq9.q9"] = item9
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        pytest.param(0, "minimal", id="minimum-0-minimal-camcops_phq9"),
        pytest.param(4, "minimal", id="4-minimal-upper-edge-camcops_phq9"),
        pytest.param(5, "mild", id="5-mild-lower-edge-camcops_phq9"),
        pytest.param(9, "mild", id="9-mild-upper-edge-camcops_phq9"),
        pytest.param(10, "moderate", id="10-moderate-lower-edge-camcops_phq9"),
        pytest.param(14, "moderate", id="14-moderate-upper-edge-camcops_phq9"),
        pytest.param(15, "moderately_severe", id="15-moderately-severe-camcops_phq9"),
        pytest.param(19, "moderately_severe", id="19-moderately-severe-camcops_phq9"),
        pytest.param(20, "severe", id="20-severe-lower-edge-camcops_phq9"),
        pytest.param(24, "severe", id="24-severe-items1to8-max-camcops_phq9"),
    ],
)
def test_total_falls_in_the_published_band(total: int, band: str) -> None:
    result = score(build_phq9(), answers_totalling(total))
    assert (result.total, result.band_code, result.complete) == (total, band, True)
    assert result.reasons[-1].startswith(f"Band '{result.band_label}' because total {total}")


def test_maximum_27_is_severe_and_raises_crisis() -> None:  # camcops_phq9, aacn_item9
    result = score(build_phq9(), {f"phq9.q{n}": 3 for n in range(1, 10)})
    assert (result.total, result.band_code) == (27, "severe")
    assert result.has_flag("crisis.phq9_item9")


@pytest.mark.parametrize("item9", [1, 2, 3], ids=["several-days", "more-than-half", "nearly-every"])
def test_item9_above_zero_raises_crisis_flag_even_when_total_is_minimal(item9: int) -> None:
    result = score(build_phq9(), answers_totalling(item9, item9=item9))  # aacn_item9
    assert result.band_code == "minimal"
    (flag,) = result.flags
    assert (flag.code, flag.status) == ("crisis.phq9_item9", "raised")
    assert flag.because.startswith(f"phq9.q9 answered {item9}")


def test_item9_zero_raises_no_flag() -> None:
    assert score(build_phq9(), answers_totalling(12)).flags == ()


def test_missing_item9_is_unknown_never_zero_and_response_is_incomplete() -> None:
    result = score(build_phq9(), answers_totalling(3, item9=None))
    assert (result.total, result.band_code, result.complete) == (None, None, False)
    assert result.missing_items == ("phq9.q9",)
    (flag,) = result.flags
    assert (flag.code, flag.status) == ("crisis.phq9_item9", "unknown")
    assert "never read as 0" in flag.because


def test_item9_positive_raises_crisis_even_when_other_items_are_missing() -> None:
    answers: dict[str, int | None] = {f"phq9.q{n}": None for n in range(1, 9)}
    answers["phq9.q9"] = 2
    result = score(build_phq9(), answers)
    assert result.complete is False
    assert result.missing_items == tuple(f"phq9.q{n}" for n in range(1, 9))
    assert result.has_flag("crisis.phq9_item9")


def test_absent_key_counts_as_missing_and_reason_quotes_the_rule() -> None:
    answers = answers_totalling(6)
    del answers["phq9.q2"]
    result = score(build_phq9(), answers)
    assert result.missing_items == ("phq9.q2",)
    assert result.reasons[0] == "Incomplete: 1 of 9 items unanswered (phq9.q2)."
    assert result.reasons[1].startswith("Missing-item rule applied: Any missing item")


@pytest.mark.parametrize("value", [4, -1, 2.5, 1.5, float("nan"), "2", True])
def test_answer_outside_allowed_values_raises_naming_item_and_value(value: object) -> None:
    answers: dict[str, object] = dict(answers_totalling(0))
    answers["phq9.q3"] = value
    with pytest.raises(InvalidAnswerError) as caught:
        score(build_phq9(), answers)  # type: ignore[arg-type]
    assert caught.value.item == "phq9.q3"
    assert caught.value.value is value
    assert caught.value.problems[0].field == "phq9.q3"
    assert f"answer {value!r} is not one of the allowed values (0, 1, 2, 3)" in str(caught.value)


def test_whole_number_float_is_accepted_as_the_option_value() -> None:
    answers: dict[str, int | float | None] = dict(answers_totalling(0))
    answers["phq9.q1"] = 2.0
    result = score(build_phq9(), answers)
    assert result.total == 2
    assert isinstance(result.answers["phq9.q1"], int)


def test_unknown_item_is_refused_not_dropped() -> None:
    answers: dict[str, int | None] = {**answers_totalling(0), "phq9.q10": 1}
    with pytest.raises(InvalidInputError, match="phq9.q10: not an item of phq9"):
        score(build_phq9(), answers)


def test_instrument_item_lookup_finds_item_or_refuses() -> None:
    instrument = build_phq9()
    assert instrument.item("phq9.q9").allowed_values == (0, 1, 2, 3)
    with pytest.raises(InvalidInputError, match="phq9.q0: not an item of phq9"):
        instrument.item("phq9.q0")
