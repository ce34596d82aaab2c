"""A clinician's review of a taper plan (issue #21): known answers for what each review becomes
when the person accepts it, and what is refused (anything faster, a blank comment)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mitra.domain.taper import Actor, EventKind, Position, State
from mitra.domain.taper_review import Review, ReviewKind, as_event, check_kind
from mitra.errors import ConflictError, InvalidInputError

AT = datetime(2026, 11, 25, 10, tzinfo=UTC)
TODAY = date(2026, 11, 25)
ACTIVE = Position(State.ACTIVE, 2, date(2026, 11, 20), 7, 0, None)


def review(kind: ReviewKind, text: str = "", every_days: int | None = None) -> Review:
    return Review(1, 1, 1, "lee", kind, every_days, text, AT)


def test_each_review_becomes_the_event_the_person_accepts_with_who_and_why() -> None:
    slower = as_event(review(ReviewKind.SLOWER, "gentler", 14), ACTIVE, AT, TODAY)
    assert slower is not None
    assert (slower.kind, slower.by, slower.every_days) == (EventKind.SLOWER, Actor.CLINICIAN, 14)
    assert slower.why == "lee proposed: gentler; the person accepted"
    hold = as_event(review(ReviewKind.HOLD), ACTIVE, AT, TODAY)
    assert hold is not None and hold.why == (
        "lee proposed: proposes holding at this step; the person accepted"
    )
    agree = as_event(review(ReviewKind.APPROVE), ACTIVE, AT, TODAY)
    assert agree is not None and (agree.kind, agree.clinician, agree.agreed_on) == (
        EventKind.AGREE,
        "lee",
        TODAY,
    )
    back = as_event(review(ReviewKind.STEP_BACK), ACTIVE, AT, TODAY)
    assert back is not None and back.kind is EventKind.STEP_BACK
    assert as_event(review(ReviewKind.COMMENT, "well done"), ACTIVE, AT, TODAY) is None
    assert (
        review(ReviewKind.SLOWER, every_days=14).words
        == "lee proposes a slower pace (14 days a step)"
    )


def test_nothing_faster_no_blank_comment_no_unknown_kind_and_no_change_to_a_stopped_plan() -> None:
    with pytest.raises(InvalidInputError, match="every_days"):
        as_event(review(ReviewKind.SLOWER, every_days=5), ACTIVE, AT, TODAY)
    with pytest.raises(InvalidInputError, match="write the comment"):
        as_event(review(ReviewKind.COMMENT, "  "), ACTIVE, AT, TODAY)
    with pytest.raises(InvalidInputError, match="at most 500"):
        as_event(review(ReviewKind.COMMENT, "x" * 501), ACTIVE, AT, TODAY)
    with pytest.raises(InvalidInputError, match="'faster' is not one of"):
        check_kind("faster")
    assert check_kind("hold") is ReviewKind.HOLD
    stopped = Position(State.STOPPED, 2, None, 7, 0, None)
    with pytest.raises(ConflictError):
        as_event(review(ReviewKind.HOLD), stopped, AT, TODAY)
