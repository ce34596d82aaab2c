"""A stored questionnaire response: when it was taken, in which zone, and the score computed then.

Pure. The score is kept as computed at the time (total, band, flags with their reasons), so a past
result never changes when an instrument's knowledge file does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mitra.domain.instruments import Score, ScoreFlag

CRISIS_PREFIX = "crisis."


@dataclass(frozen=True)
class QuestionnaireResponse:
    taken_at: datetime
    tz: str
    score: Score
    sex: str | None = None
    id: int | None = None

    @property
    def instrument_id(self) -> str:
        return self.score.instrument_id


def crisis_flags(score: Score) -> tuple[ScoreFlag, ...]:
    """The raised crisis flags (e.g. `crisis.phq9_item9`); the crisis path shows these first."""
    return tuple(
        f for f in score.flags if f.code.startswith(CRISIS_PREFIX) and f.status == "raised"
    )


def has_crisis(score: Score) -> bool:
    return bool(crisis_flags(score))


def unknown_crisis_flags(score: Score) -> tuple[ScoreFlag, ...]:
    """Crisis questions left unanswered: not a crisis, never read as 0 either."""
    return tuple(
        f for f in score.flags if f.code.startswith(CRISIS_PREFIX) and f.status == "unknown"
    )
