"""Taper steps for any baseline, pace and measure (issue 19): amounts and doses never rise, every
cut stays within the chosen pace's ceiling (per interval waited), the plan ends at none, and a plan
only moves forward with time unless the person steps back."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mitra.adapters.knowledge.taper import load_taper
from mitra.domain.taper import (
    Actor,
    Axis,
    Design,
    Event,
    EventKind,
    Measure,
    Pace,
    State,
    StepKind,
    custom_pace,
    position,
    steps,
)

KNOWLEDGE = load_taper()


@st.composite
def paces(draw: st.DrawFn) -> Pace:
    if draw(st.booleans()):
        return draw(st.sampled_from(KNOWLEDGE.paces))
    every = draw(st.integers(KNOWLEDGE.custom.min_every_days, 60))
    limit = min(
        KNOWLEDGE.custom.max_percent,
        KNOWLEDGE.custom.max_percent * every / KNOWLEDGE.custom.per_days,
    )
    # Whole hundredths at or under the limit (rounding 14.2857 up to 14.29 would pass it).
    hundredths = draw(st.integers(50, math.floor(limit * 100)))
    return custom_pace(KNOWLEDGE.custom, every_days=every, percent=hundredths / 100)


designs = st.builds(
    Design,
    baseline_grams=st.floats(0.0, 60.0),
    baseline_doses=st.floats(0.0, 8.0),
    pace=paces(),
    measure=st.builds(Measure, unit=st.sampled_from([0.01, 0.05, 0.1, 0.25, 0.5, 1.0])),
    axis=st.sampled_from(list(Axis)),
    min_doses=st.integers(1, 3),
)


@settings(max_examples=300, deadline=None)
@given(designs)
def test_steps_never_rise_and_never_pass_the_pace_ceiling(design: Design) -> None:
    plan = steps(design)
    assert plan[0].grams <= design.baseline_grams + 1e-9
    assert plan[-1].grams == 0
    waited = 0
    last_cut_from = plan[0].grams
    for before, after in zip(plan, plan[1:], strict=False):
        assert after.grams <= before.grams
        assert after.doses <= before.doses
        if after.kind is StepKind.STOP:
            assert before.grams <= design.last_amount + 1e-9
            continue
        if after.kind is StepKind.DOSES:
            assert after.grams == before.grams
            continue
        waited += 1
        if after.grams < before.grams:
            cut = last_cut_from - after.grams
            assert cut <= design.pace.ceiling(last_cut_from) * waited + 1e-6
            waited, last_cut_from = 0, after.grams


@settings(max_examples=100, deadline=None)
@given(designs, st.lists(st.integers(0, 400), max_size=6), st.integers(0, 800))
def test_a_plan_never_moves_up_on_its_own(design: Design, holds: list[int], days: int) -> None:
    """Without a step back, the amount on any later day is never higher than on an earlier one,
    whatever holds and resumes happen."""
    plan = steps(design)
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    events = [Event(EventKind.START, t0, Actor.PERSON)]
    paused = False
    for offset in sorted(set(holds)):
        kind = EventKind.RESUME if paused else EventKind.HOLD
        events.append(Event(kind, t0 + timedelta(days=offset, hours=1), Actor.MITRA, why="x"))
        paused = not paused
    previous = plan[0].grams
    for day in range(0, days + 1, 7):
        where = position(plan, design.pace, events, date(2026, 1, 1) + timedelta(days=day), "UTC")
        assert plan[where.index].grams <= previous
        previous = plan[where.index].grams


@settings(max_examples=100, deadline=None)
@given(designs, st.lists(st.integers(0, 400), max_size=6), st.integers(1, 800))
def test_a_relapse_goes_back_only_to_the_last_tolerated_step(
    design: Design, holds: list[int], relapse_day: int
) -> None:
    """A relapse pauses the plan at the latest step up to the current one that no hold happened
    on (never none, never a held step unless every step was held), so never above it; resuming
    then never moves the plan up on its own."""
    plan = steps(design)
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    events = [Event(EventKind.START, t0, Actor.PERSON)]
    paused = False
    for offset in sorted({h for h in holds if h < relapse_day}):
        kind = EventKind.RESUME if paused else EventKind.HOLD
        events.append(Event(kind, t0 + timedelta(days=offset, hours=1), Actor.MITRA, why="x"))
        paused = not paused
    at = t0 + timedelta(days=relapse_day, hours=2)
    day = date(2026, 1, 1) + timedelta(days=relapse_day)
    before = position(plan, design.pace, events, day, "UTC")
    events.append(Event(EventKind.RELAPSE, at, Actor.PERSON))
    after = position(plan, design.pace, events, day, "UTC")
    assert after.state is State.PAUSED
    assert after.index <= before.index and after.index < max(1, len(plan) - 1)
    assert after.index == 0 or after.index not in before.held
    assert all(
        i in before.held for i in range(after.index + 1, min(before.index, len(plan) - 2) + 1)
    )
    events.append(Event(EventKind.RESUME, at + timedelta(hours=1), Actor.PERSON))
    previous = plan[after.index].grams
    for later in range(0, 400, 7):
        where = position(plan, design.pace, events, day + timedelta(days=later), "UTC")
        assert plan[where.index].grams <= previous
        previous = plan[where.index].grams
