"""SDS known answers. Source: 5 items each 0-3, summed, 0-15; Q5 anchors not difficult ...
impossible (emcdda_sds, sds_reprint). No kratom-validated cut-off, so no band."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import Instrument, InvalidAnswerError, Item, Option, Scoring, score

FREQUENCY = tuple(
    Option(label, v) for v, label in enumerate(("never", "sometimes", "often", "always"))
)
DIFFICULTY = tuple(
    Option(label, v) for v, label in enumerate(("not", "quite", "very", "impossible"))
)


def build_sds() -> Instrument:
    items = [Item(f"sds.q{n}", f"q{n}", FREQUENCY) for n in range(1, 5)]
    items.append(Item("sds.q5", "q5", DIFFICULTY))
    return Instrument(
        id="sds",
        title="SDS",
        items=tuple(items),
        scoring=Scoring("sum", 0, 15, "emcdda_sds"),
        no_bands_reason="none has been validated for kratom",
    )


@pytest.mark.parametrize(
    ("values", "total"),
    [
        pytest.param((0, 0, 0, 0, 0), 0, id="minimum-0-emcdda_sds"),
        pytest.param((3, 3, 3, 3, 3), 15, id="maximum-15-emcdda_sds"),
        pytest.param((1, 0, 2, 1, 3), 7, id="q5-impossible-counts-3-sds_reprint"),
    ],
)
def test_total_is_the_sum_with_no_kratom_cut_off(values: tuple[int, ...], total: int) -> None:
    answers = {f"sds.q{n}": v for n, v in enumerate(values, start=1)}
    result = score(build_sds(), answers)
    assert (result.total, result.band_code) == (total, None)
    assert "No severity bands: none has been validated for kratom" in result.reasons


def test_missing_q5_is_listed() -> None:
    answers: dict[str, int | None] = {"sds.q1": 1, "sds.q2": 1, "sds.q3": 1, "sds.q4": 1}
    assert score(build_sds(), answers).missing_items == ("sds.q5",)


def test_value_4_is_refused() -> None:
    with pytest.raises(InvalidAnswerError, match="sds.q5: answer 4"):
        score(build_sds(), {"sds.q1": 0, "sds.q2": 0, "sds.q3": 0, "sds.q4": 0, "sds.q5": 4})
