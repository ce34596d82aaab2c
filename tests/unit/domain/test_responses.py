"""Which flags of a stored response send the person down the crisis path."""

from __future__ import annotations

from datetime import UTC, datetime

from mitra.domain.instruments import Score, ScoreFlag
from mitra.domain.responses import (
    QuestionnaireResponse,
    crisis_flags,
    has_crisis,
    unknown_crisis_flags,
)

RAISED = ScoreFlag("crisis.phq9_item9", "Thoughts of death", "raised", "phq9.q9 answered 2")
UNKNOWN = ScoreFlag("crisis.phq9_item9", "Thoughts of death", "unknown", "phq9.q9 not answered")
SCREEN = ScoreFlag("screen.gad7_further_evaluation", "Further evaluation", "raised", "total 12")


def scored(*flags: ScoreFlag) -> Score:
    return Score("phq9", "1", {}, None, None, None, flags=flags)


def test_a_raised_crisis_flag_is_a_crisis() -> None:
    assert crisis_flags(scored(SCREEN, RAISED)) == (RAISED,)
    assert has_crisis(scored(RAISED))


def test_an_unanswered_crisis_question_is_unknown_not_a_crisis_and_not_zero() -> None:
    assert not has_crisis(scored(UNKNOWN))
    assert unknown_crisis_flags(scored(UNKNOWN, SCREEN)) == (UNKNOWN,)


def test_screening_flags_are_not_crisis_flags() -> None:
    assert not has_crisis(scored(SCREEN))
    assert unknown_crisis_flags(scored(SCREEN, RAISED)) == ()


def test_a_response_names_its_instrument_through_its_score() -> None:
    at = datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert QuestionnaireResponse(at, "UTC", scored()).instrument_id == "phq9"
