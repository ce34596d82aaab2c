"""Kratom-use checklist (DSM-5 criteria, paraphrased) known answers. Source (dsm5_sud_table):
11 criteria; mild 2-3, moderate 4-5, severe 6 or more; tolerance and withdrawal not met for those
taking the substance solely under appropriate medical supervision. Labels say "not a diagnosis"."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import (
    Band,
    Exclusion,
    Instrument,
    InvalidAnswerError,
    Item,
    Option,
    Scoring,
    score,
)

YES_NO = (Option("No", 0), Option("Yes", 1))
CRITERIA = tuple(f"kud_dsm5.c{n}" for n in range(1, 12))
SUPERVISED = "kud_dsm5.supervised"


def build_kud() -> Instrument:
    items = [Item(c, c, YES_NO) for c in CRITERIA]
    items.append(Item(SUPERVISED, "supervised?", YES_NO, scored=False))
    return Instrument(
        id="kud_dsm5",
        title="Kratom use checklist",
        items=tuple(items),
        scoring=Scoring("count", 0, 11, "dsm5_sud_table"),
        bands=(
            Band("below_threshold", "Fewer than 2 criteria endorsed", 0, 1),
            Band("mild", "Mild range — not a diagnosis", 2, 3),
            Band("moderate", "Moderate range — not a diagnosis", 4, 5),
            Band("severe", "Severe range — not a diagnosis", 6, 11),
        ),
        exclusions=(
            Exclusion(SUPERVISED, 1, ("kud_dsm5.c10", "kud_dsm5.c11"), "medical supervision"),
        ),
    )


def endorsing(count: int, supervised: int = 0) -> dict[str, int | None]:
    answers: dict[str, int | None] = {c: int(n < count) for n, c in enumerate(CRITERIA)}
    answers[SUPERVISED] = supervised
    return answers


@pytest.mark.parametrize(
    ("count", "band"),
    [
        pytest.param(0, "below_threshold", id="minimum-0-dsm5_sud_table"),
        pytest.param(1, "below_threshold", id="1-below-threshold-dsm5_sud_table"),
        pytest.param(2, "mild", id="2-mild-edge-dsm5_sud_table"),
        pytest.param(3, "mild", id="3-mild-edge-dsm5_sud_table"),
        pytest.param(4, "moderate", id="4-moderate-edge-dsm5_sud_table"),
        pytest.param(5, "moderate", id="5-moderate-edge-dsm5_sud_table"),
        pytest.param(6, "severe", id="6-severe-edge-dsm5_sud_table"),
        pytest.param(11, "severe", id="maximum-11-dsm5_sud_table"),
    ],
)
def test_count_of_criteria_endorsed_and_range(count: int, band: str) -> None:
    result = score(build_kud(), endorsing(count))
    assert (result.total, result.band_code) == (count, band)


def test_band_labels_say_not_a_diagnosis() -> None:
    assert score(build_kud(), endorsing(4)).band_label == "Moderate range — not a diagnosis"


def test_tolerance_and_withdrawal_do_not_count_under_medical_supervision() -> None:
    answers = endorsing(0, supervised=1)
    answers["kud_dsm5.c10"] = 1
    answers["kud_dsm5.c11"] = 1
    answers["kud_dsm5.c1"] = 1
    result = score(build_kud(), answers)
    assert (result.total, result.band_code) == (1, "below_threshold")
    assert result.reasons[0] == (
        "kud_dsm5.c10, kud_dsm5.c11 not counted because kud_dsm5.supervised was answered 1: "
        "medical supervision"
    )


def test_tolerance_and_withdrawal_count_without_supervision() -> None:
    answers = endorsing(0)
    answers["kud_dsm5.c10"] = 1
    answers["kud_dsm5.c11"] = 1
    assert score(build_kud(), answers).band_code == "mild"


def test_unanswered_supervision_question_makes_response_incomplete() -> None:
    answers = endorsing(3)
    answers[SUPERVISED] = None
    result = score(build_kud(), answers)
    assert (result.total, result.missing_items) == (None, (SUPERVISED,))


def test_answer_2_is_refused() -> None:
    answers = endorsing(0)
    answers["kud_dsm5.c4"] = 2
    with pytest.raises(InvalidAnswerError, match="kud_dsm5.c4: answer 2 is not one"):
        score(build_kud(), answers)
