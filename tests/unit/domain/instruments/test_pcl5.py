"""PCL-5 known answers. Sources: 20 items 0-4, total 0-80, clusters B 1-5, C 6-7, D 8-14, E 15-20
(pcl5_clusters); preliminary cut-point 31-33, Mitra uses 33 (forkus2022); no official bands."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import (
    CutPoint,
    Instrument,
    InvalidAnswerError,
    Item,
    Option,
    Scoring,
    Subscale,
    score,
)

OPTIONS = tuple(Option(str(v), v) for v in range(5))


def ids(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"pcl5.q{n}" for n in range(first, last + 1))


def build_pcl5() -> Instrument:
    return Instrument(
        id="pcl5",
        title="PCL-5",
        items=tuple(Item(item_id, item_id, OPTIONS) for item_id in ids(1, 20)),
        scoring=Scoring("sum", 0, 80, "pcl5_clusters"),
        no_bands_reason="The PCL-5 has no official severity bands",
        cut_points=(CutPoint("screen.pcl5_probable_ptsd", "probable PTSD", 33, None, "forkus"),),
        subscales=(
            Subscale("B", "B", ids(1, 5)),
            Subscale("C", "C", ids(6, 7)),
            Subscale("D", "D", ids(8, 14)),
            Subscale("E", "E", ids(15, 20)),
        ),
    )


def totalling(total: int) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for item_id in ids(1, 20):
        answers[item_id] = min(4, total)
        total -= min(4, total)
    return answers


@pytest.mark.parametrize(
    ("answers", "total", "subscores"),
    [
        pytest.param(dict.fromkeys(ids(1, 20), 0), 0, {"B": 0, "C": 0, "D": 0, "E": 0}, id="min-0"),
        pytest.param(
            dict.fromkeys(ids(1, 20), 4), 80, {"B": 20, "C": 8, "D": 28, "E": 24}, id="max-80"
        ),
        pytest.param(
            {i: (n % 5) for n, i in enumerate(ids(1, 20), start=1)},
            40,
            {"B": 10, "C": 3, "D": 17, "E": 10},
            id="mixed-clusters-pcl5_clusters",
        ),
    ],
)
def test_total_and_cluster_subscores(
    answers: dict[str, int | None], total: int, subscores: dict[str, int]
) -> None:
    result = score(build_pcl5(), answers)
    assert (result.total, dict(result.subscores)) == (total, subscores)
    assert (result.band_code, result.band_label) == (None, None)


@pytest.mark.parametrize(
    ("total", "probable"),
    [
        pytest.param(32, False, id="32-below-cut-point-forkus2022"),
        pytest.param(33, True, id="33-at-cut-point-forkus2022"),
    ],
)
def test_provisional_cut_point_both_sides(total: int, probable: bool) -> None:
    assert score(build_pcl5(), totalling(total)).has_flag("screen.pcl5_probable_ptsd") is probable


def test_no_bands_is_said_not_invented() -> None:
    result = score(build_pcl5(), totalling(50))
    assert "No severity bands: The PCL-5 has no official severity bands" in result.reasons


def test_missing_item_gives_no_total_no_subscores_no_cut_point() -> None:
    answers = totalling(60)
    answers["pcl5.q16"] = None
    result = score(build_pcl5(), answers)
    assert (result.total, dict(result.subscores), result.flags) == (None, {}, ())
    assert result.missing_items == ("pcl5.q16",)


def test_rating_of_five_is_refused() -> None:
    answers = totalling(0)
    answers["pcl5.q20"] = 5
    with pytest.raises(InvalidAnswerError, match="pcl5.q20: answer 5 is not one"):
        score(build_pcl5(), answers)
