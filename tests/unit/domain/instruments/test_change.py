"""Change between two administrations. Thresholds and their sources: PHQ-9 5 points (lowe2004),
response = 50% fall and remission = below 5 (psychserv2020_metrics); PEG 30% of the first score
(cdc_checklist_peg); PCL-5 10 points (ncptsd_change)."""

from __future__ import annotations

import pytest

from mitra.domain.instruments import (
    Instrument,
    Item,
    MeaningfulChange,
    Option,
    Remission,
    Response,
    Score,
    Scoring,
    UnknownInstrumentError,
    compare,
)
from mitra.errors import InvalidInputError, NotFoundError

OPTIONS = tuple(Option(str(v), v) for v in range(4))
PHQ9_CHANGE = MeaningfulChange("MCID 5 points", "lowe2004", points=5)
PHQ9_RESPONSE = Response(50, "50% fall", "psychserv2020_metrics")
PHQ9_REMISSION = Remission(4, "below 5", "psychserv2020_metrics")


def build(
    instrument_id: str = "phq9",
    change: MeaningfulChange | None = PHQ9_CHANGE,
    response: Response | None = PHQ9_RESPONSE,
    remission: Remission | None = PHQ9_REMISSION,
) -> Instrument:
    return Instrument(
        id=instrument_id,
        title=instrument_id,
        items=(Item(f"{instrument_id}.q1", "q1", OPTIONS),),
        scoring=Scoring("sum", 0, 27),
        meaningful_change=change,
        response=response,
        remission=remission,
    )


def scored(total: float | None, instrument_id: str = "phq9") -> Score:
    return Score(instrument_id, "1", {}, total, None, None, complete=total is not None)


PEG_RULE = MeaningfulChange("30% improvement", "cdc_checklist_peg", percent=30)


@pytest.mark.parametrize(
    ("earlier", "later", "difference", "meaningful", "direction"),
    [
        pytest.param(15, 10, -5, True, "decreased", id="fall-of-5-meets-lowe2004"),
        pytest.param(15, 11, -4, False, "decreased", id="fall-of-4-below-lowe2004"),
        pytest.param(8, 13, 5, True, "increased", id="rise-of-5-meets-lowe2004"),
        pytest.param(8, 8, 0, False, "unchanged", id="no-change-lowe2004"),
    ],
)
def test_phq9_points_threshold(
    earlier: int, later: int, difference: int, meaningful: bool, direction: str
) -> None:
    change = compare(build(), scored(earlier), scored(later))
    assert (change.difference, change.meaningful, change.direction) == (
        difference,
        meaningful,
        direction,
    )
    verdict = "meets" if meaningful else "does not meet"
    assert f"The change {verdict} the meaningful-change threshold of 5 points" in change.reasons[1]


@pytest.mark.parametrize(
    ("earlier", "later", "response", "remission"),
    [
        pytest.param(20, 10, True, False, id="50pct-fall-response-not-remission"),
        pytest.param(20, 11, False, False, id="45pct-fall-no-response"),
        pytest.param(12, 4, True, True, id="12-to-4-response-and-remission"),
        pytest.param(8, 5, False, False, id="8-to-5-not-below-5"),
    ],
)
def test_phq9_response_and_remission(
    earlier: int, later: int, response: bool, remission: bool
) -> None:  # psychserv2020_metrics
    change = compare(build(), scored(earlier), scored(later))
    assert (change.response, change.remission) == (response, remission)


def test_remission_not_assessed_when_already_below_threshold() -> None:
    change = compare(build(), scored(3), scored(1))
    assert change.remission is None
    assert "Remission not assessed: the first total 3 was already at or below 4." in change.reasons


@pytest.mark.parametrize(
    ("earlier", "later", "meaningful"),
    [
        pytest.param(5.0, 3.5, True, id="30pct-fall-meets-cdc_checklist_peg"),
        pytest.param(10 / 3, 7 / 3, True, id="thirds-float-exactly-30pct"),
        pytest.param(6.0, 4.5, False, id="25pct-fall-below-cdc_checklist_peg"),
    ],
)
def test_peg_percent_threshold(earlier: float, later: float, meaningful: bool) -> None:
    peg = build("peg", PEG_RULE, None, None)
    change = compare(peg, scored(earlier, "peg"), scored(later, "peg"))
    assert change.meaningful is meaningful
    assert (change.response, change.remission) == (None, None)


def test_percent_change_from_zero_is_undefined_not_infinite() -> None:
    peg = build("peg", PEG_RULE, None, None)
    change = compare(peg, scored(0.0, "peg"), scored(2.0, "peg"))
    assert (change.percent_change, change.meaningful) == (None, None)
    assert (
        change.reasons[0] == "Total went from 0.0 to 2.0: +2 points, undefined (first total is 0)."
    )
    assert "Meaningful change is a percentage of the first total, which was 0." in change.reasons


def test_response_undefined_from_zero() -> None:
    change = compare(build(), scored(0), scored(0))
    assert change.response is None
    assert "Response is undefined when the first total is 0." in change.reasons


def test_no_sourced_threshold_gives_no_verdict() -> None:
    gad7 = build("gad7", None, None, None)
    change = compare(gad7, scored(12, "gad7"), scored(4, "gad7"))
    assert (change.difference, change.meaningful) == (-8, None)
    assert change.percent_change == pytest.approx(-200 / 3)
    assert "No sourced meaningful-change threshold for gad7." in change.reasons


@pytest.mark.parametrize(
    ("earlier", "later", "which"),
    [(None, 5, "earlier"), (5, None, "later"), (None, None, "earlier and later")],
)
def test_incomplete_response_gives_no_change(
    earlier: int | None, later: int | None, which: str
) -> None:
    change = compare(build(), scored(earlier), scored(later))
    assert (change.difference, change.meaningful, change.response, change.remission) == (
        None,
        None,
        None,
        None,
    )
    assert change.reasons[0].startswith(f"No change computed: the {which} response is incomplete")


@pytest.mark.parametrize("position", ["earlier", "later"])
def test_scores_of_another_instrument_are_refused(position: str) -> None:
    pair = {"earlier": scored(5), "later": scored(5), position: scored(5, "gad7")}
    with pytest.raises(InvalidInputError, match=f"{position}: is a gad7 score, not a phq9 score"):
        compare(build(), pair["earlier"], pair["later"])


@pytest.mark.parametrize(("points", "percent"), [(None, None), (5, 30)])
def test_meaningful_change_needs_exactly_points_or_percent(
    points: int | None, percent: int | None
) -> None:
    with pytest.raises(ValueError, match="either points or percent, exactly one"):
        MeaningfulChange("x", "s", points=points, percent=percent)


def test_unknown_instrument_error_is_a_not_found_error() -> None:
    error = UnknownInstrumentError("bdi")
    assert isinstance(error, NotFoundError)
    assert (error.instrument_id, error.status, str(error)) == (
        "bdi",
        404,
        "unknown instrument 'bdi'",
    )


def test_improvement_only_threshold_gives_a_rise_no_verdict() -> None:
    rule = MeaningfulChange(
        "30% improvement", "cdc_checklist_peg", percent=30, applies_to="improvement"
    )
    peg = build("peg", rule, None, None)
    rise = compare(peg, scored(5.0, "peg"), scored(7.0, "peg"))
    assert (rise.direction, rise.meaningful) == ("increased", None)
    assert rise.reasons[1] == (
        "The source gives a meaningful-change threshold for improvement only (30% improvement; "
        "source: cdc_checklist_peg); a rise is reported without a meaningful verdict."
    )
    assert compare(peg, scored(5.0, "peg"), scored(3.5, "peg")).meaningful is True
    assert compare(peg, scored(5.0, "peg"), scored(5.0, "peg")).meaningful is False
