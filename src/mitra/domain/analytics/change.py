"""Questionnaire timelines: each complete score over time, the instrument's severity bands, and
"since your first / last score" in words.

Whether a change is meaningful, a response or a remission is decided only by
`mitra.domain.instruments.compare`, which applies the sourced thresholds in the instrument's
knowledge file; this module words its verdicts and never applies a threshold of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mitra.domain.instruments import Band, Change, Instrument, compare
from mitra.domain.instruments.model import Number
from mitra.domain.responses import QuestionnaireResponse


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    taken_at: datetime
    total: Number
    band_label: str | None
    meaningful_since_previous: bool | None


@dataclass(frozen=True)
class Timeline:
    instrument_id: str
    title: str
    scale_min: Number
    scale_max: Number
    bands: tuple[Band, ...]
    points: tuple[TimelinePoint, ...]
    incomplete: int
    since_first: str | None
    since_last: str | None
    first_change: Change | None
    last_change: Change | None


def _moved(change: Change) -> str:
    assert change.difference is not None
    if change.direction == "unchanged":
        return f"stayed at {change.later_total}"
    way = "fell" if change.direction == "decreased" else "rose"
    return f"{way} by {abs(change.difference):g} points to {change.later_total}"


def _verdict(change: Change) -> str:
    if change.meaningful is None:
        return "no sourced threshold says whether that is a meaningful change"
    if change.meaningful:
        return "a meaningful change by the instrument's sourced threshold"
    return "smaller than the instrument's sourced threshold for a meaningful change"


def describe_change(title: str, label: str, earlier: TimelinePoint, change: Change, tz: str) -> str:
    """e.g. 'Since your first PHQ-9 (2026-06-01, 14), your score fell by 6 points to 8: a
    meaningful change by the instrument's sourced threshold.'"""
    when = earlier.taken_at.astimezone(ZoneInfo(tz)).date().isoformat()
    extras = [
        text
        for flag, text in ((change.response, "a response"), (change.remission, "remission"))
        if flag
    ]
    tail = f" It also counts as {' and '.join(extras)}." if extras else ""
    return (
        f"Since your {label} {title} ({when}, {earlier.total}), your score "
        f"{_moved(change)}: {_verdict(change)}.{tail}"
    )


def timeline(
    instrument: Instrument, responses: Iterable[QuestionnaireResponse], tz: str
) -> Timeline:
    """The complete scores of one instrument, oldest first, with first/last change sentences."""
    ordered = sorted(
        (r for r in responses if r.instrument_id == instrument.id),
        key=lambda r: (r.taken_at, r.id or 0),
    )
    complete = [r for r in ordered if r.score.total is not None]
    zone = ZoneInfo(tz)
    points: list[TimelinePoint] = []
    for index, response in enumerate(complete):
        total = response.score.total
        assert total is not None
        meaningful = None
        if index:
            meaningful = compare(instrument, complete[index - 1].score, response.score).meaningful
        day = response.taken_at.astimezone(zone).date()
        points.append(
            TimelinePoint(day, response.taken_at, total, response.score.band_label, meaningful)
        )
    return _with_sentences(instrument, tuple(points), complete, len(ordered) - len(complete), tz)


def _with_sentences(
    instrument: Instrument,
    points: tuple[TimelinePoint, ...],
    complete: list[QuestionnaireResponse],
    incomplete: int,
    tz: str,
) -> Timeline:
    title = instrument.display_title
    first = last = None
    since_first = since_last = None
    if len(complete) >= 2:
        first = compare(instrument, complete[0].score, complete[-1].score)
        last = compare(instrument, complete[-2].score, complete[-1].score)
        since_first = describe_change(title, "first", points[0], first, tz)
        if len(complete) > 2:
            since_last = describe_change(title, "previous", points[-2], last, tz)
    return Timeline(
        instrument_id=instrument.id,
        title=title,
        scale_min=instrument.scoring.min,
        scale_max=instrument.scoring.max,
        bands=instrument.bands,
        points=points,
        incomplete=incomplete,
        since_first=since_first,
        since_last=since_last,
        first_change=first,
        last_change=last,
    )
