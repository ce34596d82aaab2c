"""Questionnaire timelines word the verdicts of instruments.compare (PHQ-9: 5 points, lowe2004;
response 50% and remission below 5, psychserv2020_metrics)."""

from __future__ import annotations

from datetime import UTC, datetime

from mitra.domain.analytics.change import timeline
from mitra.domain.instruments import (
    Band,
    Instrument,
    Item,
    MeaningfulChange,
    Option,
    Remission,
    Response,
    Score,
    Scoring,
)
from mitra.domain.responses import QuestionnaireResponse

PHQ9 = Instrument(
    id="phq9",
    title="Patient Health Questionnaire-9",
    short_title="PHQ-9",
    items=(Item("phq9.q1", "q1", tuple(Option(str(v), v) for v in range(4))),),
    scoring=Scoring("sum", 0, 27),
    bands=(Band("minimal", "None-minimal", 0, 4), Band("mild", "Mild", 5, 27)),
    meaningful_change=MeaningfulChange("MCID 5 points", "lowe2004", points=5),
    response=Response(50, "50% fall", "psychserv2020_metrics"),
    remission=Remission(4, "below 5", "psychserv2020_metrics"),
)
NO_RULE = Instrument(id="peg", title="PEG", items=PHQ9.items, scoring=Scoring("mean", 0, 10))


def taken(
    day: int, total: int | None, instrument: str = "phq9", rid: int = 0
) -> QuestionnaireResponse:
    score = Score(
        instrument, "1", {}, total, None, "Mild" if total else None, complete=total is not None
    )
    return QuestionnaireResponse(
        datetime(2026, 11, day, 9, tzinfo=UTC), "UTC", score, id=rid or day
    )


def test_first_and_last_sentences_use_the_sourced_verdicts() -> None:
    found = timeline(PHQ9, [taken(20, 2), taken(1, 14), taken(10, 12), taken(5, None)], "UTC")
    assert [p.total for p in found.points] == [14, 12, 2]
    assert [p.meaningful_since_previous for p in found.points] == [None, False, True]
    assert found.incomplete == 1 and found.bands == PHQ9.bands
    assert found.since_first == (
        "Since your first PHQ-9 (2026-11-01, 14), your score fell by 12 points to 2: a "
        "meaningful change by the instrument's sourced threshold. It also counts as a response "
        "and remission."
    )
    assert found.since_last == (
        "Since your previous PHQ-9 (2026-11-10, 12), your score fell by 10 points to 2: a "
        "meaningful change by the instrument's sourced threshold. It also counts as a response "
        "and remission."
    )


def test_two_scores_give_one_sentence_and_small_rises_are_named_as_such() -> None:
    found = timeline(PHQ9, [taken(1, 6), taken(9, 8), taken(3, 4, "gad7")], "UTC")
    assert found.since_last is None and found.last_change is not None
    assert found.since_first == (
        "Since your first PHQ-9 (2026-11-01, 6), your score rose by 2 points to 8: smaller than "
        "the instrument's sourced threshold for a meaningful change."
    )


def test_without_a_sourced_threshold_no_verdict_is_invented() -> None:
    found = timeline(NO_RULE, [taken(1, 5, "peg"), taken(2, 5, "peg")], "UTC")
    assert found.title == "PEG"
    assert found.since_first == (
        "Since your first PEG (2026-11-01, 5), your score stayed at 5: no sourced threshold "
        "says whether that is a meaningful change."
    )


def test_one_score_has_no_change_sentence() -> None:
    found = timeline(PHQ9, [taken(1, 6)], "UTC")
    assert found.since_first is None and found.first_change is None and len(found.points) == 1
