"""SOWS known answers. Source: 16 symptoms each rated 0 (not at all) to 4 (extremely), total 0-64
(emcdda_sows); no bands in the sources seen, so none are applied."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import Instrument, InvalidAnswerError, Item, Option, Scoring, score

OPTIONS = tuple(Option(str(v), v) for v in range(5))
IDS = tuple(f"sows.q{n}" for n in range(1, 17))


def build_sows() -> Instrument:
    return Instrument(
        id="sows",
        title="SOWS",
        items=tuple(Item(i, i, OPTIONS) for i in IDS),
        scoring=Scoring("sum", 0, 64, "emcdda_sows"),
        no_bands_reason="No severity bands were found in the sources",
    )


@pytest.mark.parametrize(
    ("value", "total"),
    [
        pytest.param(0, 0, id="minimum-0-emcdda_sows"),
        pytest.param(1, 16, id="all-a-little-16-emcdda_sows"),
        pytest.param(4, 64, id="maximum-64-emcdda_sows"),
    ],
)
def test_total_is_the_sum_of_16_ratings(value: int, total: int) -> None:
    result = score(build_sows(), dict.fromkeys(IDS, value))
    assert (result.total, result.band_code, result.band_label) == (total, None, None)


def test_missing_craving_item_makes_response_incomplete() -> None:
    answers: dict[str, int | None] = dict.fromkeys(IDS, 2)
    answers["sows.q16"] = None
    result = score(build_sows(), answers)
    assert (result.total, result.complete, result.missing_items) == (None, False, ("sows.q16",))


def test_rating_above_4_is_refused() -> None:
    answers: dict[str, int | None] = dict.fromkeys(IDS, 0)
    answers["sows.q1"] = 5
    with pytest.raises(InvalidAnswerError, match="sows.q1: answer 5"):
        score(build_sows(), answers)
