"""A clinician's review of a person's taper plan (issue #21): a comment, an approval, or a
proposed change the person accepts or declines. Pure.

A clinician may only propose what the person could choose for themselves that makes the plan
gentler: slower (more days a step), a hold, or a step back. Nothing here can speed a plan up:
the event a proposal becomes is checked by `taper.check_event` when it is proposed and again
when the person accepts it (the plan may have moved meanwhile). The event records who (the
clinician) and why (their words, and that the person accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from mitra.domain.taper import MAX_WHY, Actor, Event, EventKind, Position, check_event
from mitra.errors import InvalidInputError

MAX_TEXT = 500


class ReviewKind(StrEnum):
    COMMENT = "comment"
    APPROVE = "approve"
    SLOWER = "slower"
    HOLD = "hold"
    STEP_BACK = "step_back"


REVIEW_WORDS = {
    ReviewKind.COMMENT: "comments",
    ReviewKind.APPROVE: "approves the plan",
    ReviewKind.SLOWER: "proposes a slower pace",
    ReviewKind.HOLD: "proposes holding at this step",
    ReviewKind.STEP_BACK: "proposes going back a step",
}
EVENTS = {
    ReviewKind.APPROVE: EventKind.AGREE,
    ReviewKind.SLOWER: EventKind.SLOWER,
    ReviewKind.HOLD: EventKind.HOLD,
    ReviewKind.STEP_BACK: EventKind.STEP_BACK,
}


class Answer(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SEEN = "seen"  # a comment, read


@dataclass(frozen=True)
class Review:
    id: int
    consent_id: int
    plan_id: int
    clinician: str
    kind: ReviewKind
    every_days: int | None
    text: str
    made_at: datetime
    answer: Answer | None = None
    answered_at: datetime | None = None

    @property
    def words(self) -> str:
        extra = f" ({self.every_days} days a step)" if self.kind is ReviewKind.SLOWER else ""
        return f"{self.clinician} {REVIEW_WORDS[self.kind]}{extra}"


def check_kind(kind: str) -> ReviewKind:
    try:
        return ReviewKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in ReviewKind)
        raise InvalidInputError.one("kind", f"{kind!r} is not one of {allowed}") from None


def as_event(review: Review, where: Position, at: datetime, today: date) -> Event | None:
    """The plan event accepting `review` records (None for a comment), checked against where
    the plan is now: InvalidInputError / ConflictError when it no longer applies."""
    if len(review.text) > MAX_TEXT:
        raise InvalidInputError.one("text", f"at most {MAX_TEXT} characters")
    if review.kind is ReviewKind.COMMENT:
        if not review.text.strip():
            raise InvalidInputError.one("text", "write the comment")
        return None
    why = f"{review.clinician} proposed: {review.text.strip() or REVIEW_WORDS[review.kind]}"
    why = (why[: MAX_WHY - 24] + "; the person accepted")[:MAX_WHY]
    event = Event(
        EVENTS[review.kind],
        at,
        Actor.CLINICIAN,
        why=why,
        every_days=review.every_days if review.kind is ReviewKind.SLOWER else None,
        clinician=review.clinician if review.kind is ReviewKind.APPROVE else "",
        agreed_on=today if review.kind is ReviewKind.APPROVE else None,
    )
    check_event(where, event)
    return event
