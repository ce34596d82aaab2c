"""Taper plans (issue 19): the baseline from the person's own log, the steps of a chosen pace, the
hold and escalation rules, and the plan's states. Pure: no I/O, no clock (days and times are
passed in).

Policy, enforced here: Mitra never proposes taking kratom, a starting amount or a faster pace.

- The baseline is the median of the last 14 whole days of the person's own log; the first step
  is that baseline rounded *down* to what their measure can weigh. 7-OH products are never
  converted to leaf: a baseline with any 7-OH dose sends the person to the escalation screen.
- A pace is one of the published ones (`knowledge/taper/paces.yaml`) or a custom pace no faster
  than the fastest published limit. Proportional steps are a percent of the *current* amount, so
  steps shrink; every step is rounded to the person's measure (scale precision or capsule size)
  and never cuts more than the pace's ceiling per interval waited. When the measure is too coarse
  for a step, the step keeps the same amount and the next one waits longer: slower, never faster.
- Amounts never rise from one step to the next; only the person can step back, and that is
  recorded. The plan advances only with time at the chosen interval and only while active.
- Holds are automatic (a SOWS rise, PHQ-9/GAD-7/sleep worsening); the plan never resumes,
  speeds up or steps back on its own.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from mitra.domain.analytics.daily import DayUse
from mitra.domain.clock import local_day
from mitra.domain.schedule import CRLF, escape_text, fold
from mitra.errors import ConflictError, FieldProblem, InvalidInputError

BASELINE_DAYS = 14
MIN_BASELINE_DAYS = 7
MAX_STEPS = 5000
MAX_EVERY_DAYS = 365
MAX_WHY = 500
MAX_NAME = 200
EPS = 1e-9


class PaceKind(StrEnum):
    PROPORTIONAL = "proportional"  # a percent of the current amount: steps shrink
    FIXED_GRAMS = "fixed_grams"  # the same grams each step


class Axis(StrEnum):
    """Which comes first: fewer grams a day (doses per day follow), or fewer doses a day first."""

    AMOUNT_FIRST = "amount_first"
    FREQUENCY_FIRST = "frequency_first"


class State(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Actor(StrEnum):
    PERSON = "person"
    CLINICIAN = "clinician"
    MITRA = "mitra"


class EventKind(StrEnum):
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    SLOWER = "slower"
    STEP_BACK = "step_back"
    STOP = "stop"
    COMPLETE = "complete"
    AGREE = "agree"
    RELAPSE = "relapse"  # "I used again": pauses the plan at the last tolerated step


class StepKind(StrEnum):
    START = "start"
    AMOUNT = "amount"  # fewer grams a day
    DOSES = "doses"  # one dose a day fewer, same grams
    SAME = "same"  # the measure cannot make this step within the ceiling yet: same amount
    STOP = "stop"  # the last step: from the smallest amount to none


# --- paces -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    id: str
    name: str
    kind: PaceKind
    every_days: int
    ceiling_percent: float
    percent: float | None = None
    grams: float | None = None
    summary: str = ""
    sources: tuple[str, ...] = ()

    def ceiling(self, before: float) -> float:
        """The most one interval may cut from `before` grams (a fixed step never more than the
        ceiling percent of the amount before it either)."""
        share = before * self.ceiling_percent / 100
        if self.kind is PaceKind.FIXED_GRAMS:
            return min(float(self.grams or 0.0), share)
        return share

    def ideal(self, before: float, intervals: int) -> float:
        """The amount the pace aims at `intervals` intervals after `before` (unrounded)."""
        if self.kind is PaceKind.PROPORTIONAL:
            return before * (1 - float(self.percent or 0) / 100) ** intervals
        return before - min(float(self.grams or 0.0), self.ceiling(before)) * intervals


@dataclass(frozen=True)
class CustomLimits:
    """A custom pace may be slower than the published ones, never faster than the fastest
    published limit (`max_percent` per `per_days`)."""

    max_percent: float
    per_days: int
    min_every_days: int
    sources: tuple[str, ...] = ()


def custom_pace(
    limits: CustomLimits,
    *,
    every_days: int,
    percent: float | None = None,
    grams: float | None = None,
    baseline_grams: float | None = None,
) -> Pace:
    """A pace the person or clinician sets; refused when faster than `limits`."""
    problems: list[FieldProblem] = []
    if not limits.min_every_days <= every_days <= MAX_EVERY_DAYS:
        problems.append(
            FieldProblem("every_days", f"must be {limits.min_every_days} to {MAX_EVERY_DAYS} days")
        )
    allowed = limits.max_percent * max(every_days, 1) / limits.per_days
    allowed = min(allowed, limits.max_percent)
    if (percent is None) == (grams is None):
        problems.append(FieldProblem("percent", "give either a percent or grams per step"))
    elif percent is not None:
        if not 0 < percent <= allowed + EPS:
            problems.append(
                FieldProblem(
                    "percent",
                    f"must be above 0 and at most {allowed:.1f} % every {every_days} days "
                    f"(the fastest published limit is {limits.max_percent:g} % per "
                    f"{limits.per_days} days)",
                )
            )
    else:
        most = (baseline_grams or 0.0) * allowed / 100
        if not 0 < float(grams or 0.0) <= most + EPS:
            problems.append(
                FieldProblem(
                    "grams",
                    f"must be above 0 and at most {most:.2f} g every {every_days} days "
                    f"({allowed:.1f} % of your baseline; the fastest published limit is "
                    f"{limits.max_percent:g} % per {limits.per_days} days)",
                )
            )
    if problems:
        raise InvalidInputError(problems)
    if percent is not None:
        return Pace(
            "custom",
            f"{percent:g} % of the current amount every {every_days} days (custom)",
            PaceKind.PROPORTIONAL,
            every_days,
            ceiling_percent=percent,
            percent=percent,
            summary="A custom pace, no faster than the fastest published limit.",
            sources=limits.sources,
        )
    return Pace(
        "custom",
        f"{grams:g} g every {every_days} days (custom)",
        PaceKind.FIXED_GRAMS,
        every_days,
        ceiling_percent=allowed,
        grams=grams,
        summary="A custom pace, no faster than the fastest published limit.",
        sources=limits.sources,
    )


# --- baseline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    low: float
    q1: float
    q3: float
    high: float


@dataclass(frozen=True)
class Baseline:
    """The median day of the last 14 whole days, from the person's own log."""

    first: date
    last: date
    days_known: int
    grams: float | None
    grams_spread: Spread | None
    doses: float
    doses_spread: Spread | None
    mg_mitragynine: float | None
    seven_oh_days: int
    other_days: int  # days with extracts or shots (counted in mg, never in grams of leaf)
    notes: tuple[str, ...] = ()

    @property
    def has_seven_oh(self) -> bool:
        return self.seven_oh_days > 0


def _spread(values: Sequence[float]) -> Spread | None:
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) < 2:
        return Spread(ordered[0], ordered[0], ordered[0], ordered[0])
    q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(ordered[0], round(q1, 4), round(q3, 4), ordered[-1])


def baseline(days: Sequence[DayUse]) -> Baseline:
    """Median grams of leaf, doses and mg mitragynine over the last `BASELINE_DAYS` of `days`
    (whole days, oldest first), with their spread. Days before the first logged use are unknown
    and left out; a day without use is 0."""
    window = list(days)[-BASELINE_DAYS:]
    if not window:
        raise InvalidInputError.one("baseline", "no days to compute a baseline from")
    known = [d for d in window if d.observed]
    with_grams = [d.grams_leaf for d in known if d.grams_leaf is not None]
    notes = []
    if len(known) < MIN_BASELINE_DAYS:
        raise InvalidInputError.one(
            "baseline",
            f"a plan needs at least {MIN_BASELINE_DAYS} logged days in the last "
            f"{BASELINE_DAYS}; {len(known)} found. Keep logging for a while first.",
        )
    grams = None
    if len(with_grams) >= MIN_BASELINE_DAYS:
        grams = round(statistics.median(with_grams), 4)
    else:
        notes.append(
            f"Grams of leaf are known on {len(with_grams)} of {len(known)} days (a leaf dose "
            "without a weight makes that day unknown), so no amount baseline."
        )
    mg = [d.mg_mitragynine for d in known if d.mg_mitragynine is not None]
    other = sum(1 for d in known if d.doses - d.doses_of_leaf - d.doses_7oh > 0)
    if other:
        notes.append(
            f"{other} days had extracts or shots: they count in mg mitragynine from their label, "
            "never in grams of leaf, so the amount baseline understates those days."
        )
    seven_oh = sum(1 for d in known if d.doses_7oh > 0)
    if seven_oh:
        notes.append(
            f"{seven_oh} days had a 7-OH product. 7-OH is never converted to leaf; a self-taper "
            "is not the way for it (see what Mitra suggests instead)."
        )
    doses = [float(d.doses) for d in known]
    return Baseline(
        first=window[0].day,
        last=window[-1].day,
        days_known=len(known),
        grams=grams,
        grams_spread=_spread(with_grams),
        doses=round(statistics.median(doses), 4),
        doses_spread=_spread(doses),
        mg_mitragynine=round(statistics.median(mg), 4) if len(mg) >= MIN_BASELINE_DAYS else None,
        seven_oh_days=seven_oh,
        other_days=other,
        notes=tuple(notes),
    )


# --- the steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What the person weighs with: a scale's precision, or one capsule's grams."""

    unit: float
    capsules: bool = False

    def __post_init__(self) -> None:
        if not 0.001 <= self.unit <= 5:
            raise InvalidInputError.one("unit", "must be between 0.001 g and 5 g")

    def down(self, grams: float) -> float:
        return self._fix(math.floor(grams / self.unit + EPS) * self.unit)

    def up(self, grams: float) -> float:
        return self._fix(math.ceil(grams / self.unit - EPS) * self.unit)

    def nearest(self, grams: float) -> float:
        return self._fix(math.floor(grams / self.unit + 0.5) * self.unit)

    def _fix(self, grams: float) -> float:
        return max(0.0, round(grams, 6))

    def describe(self, grams: float) -> str:
        if self.capsules:
            count = round(grams / self.unit)
            return f"{count} capsule{'s' if count != 1 else ''} ({grams:g} g)"
        return f"{grams:g} g"


@dataclass(frozen=True)
class Step:
    index: int
    grams: float
    doses: int
    kind: StepKind

    @property
    def final(self) -> bool:
        return self.kind is StepKind.STOP


@dataclass(frozen=True)
class Design:
    """What a plan is made of: the person's baseline, the chosen pace and measure."""

    baseline_grams: float
    baseline_doses: float
    pace: Pace
    measure: Measure
    axis: Axis = Axis.AMOUNT_FIRST
    min_doses: int = 1
    stop_from: float | None = None  # the smallest amount before the last step (default 1 unit)

    @property
    def last_amount(self) -> float:
        return self.stop_from if self.stop_from is not None else self.measure.unit


def steps(design: Design) -> tuple[Step, ...]:
    """The plan's steps, one per interval, from the baseline (rounded down to the measure) to
    none. Amounts and doses never rise; each cut is at most the pace's ceiling times the
    intervals since the last cut, except the last step (from the smallest amount to none)."""
    measure, pace = design.measure, design.pace
    start = measure.down(design.baseline_grams)
    start_doses = max(1, math.floor(design.baseline_doses + 0.5)) if start > 0 else 0
    out = [Step(0, start, start_doses, StepKind.START)]
    if start == 0:
        return tuple(out)
    current, doses = start, start_doses
    if design.axis is Axis.FREQUENCY_FIRST:
        while doses > max(design.min_doses, 1):
            doses -= 1
            out.append(Step(len(out), current, doses, StepKind.DOSES))
    waited = 0
    while True:  # every pass either cuts, waits one more interval (the ceiling grows) or stops
        if len(out) > MAX_STEPS:
            raise InvalidInputError.one(
                "unit", "this measure makes too many steps; use a coarser one"
            )
        if current <= design.last_amount + EPS:
            out.append(Step(len(out), 0.0, 0, StepKind.STOP))
            break
        waited += 1
        floor_allowed = current - pace.ceiling(current) * waited
        candidate = max(measure.nearest(pace.ideal(current, waited)), measure.up(floor_allowed))
        candidate = min(candidate, current)
        if candidate < current - EPS:
            current, waited = candidate, 0
            kind = StepKind.AMOUNT
        else:
            kind = StepKind.SAME
        doses = min(doses, max(1, math.ceil(start_doses * current / start - EPS)))
        out.append(Step(len(out), current, doses, kind))
    return tuple(out)


# --- events and where a plan is --------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime
    by: Actor
    why: str = ""
    every_days: int | None = None  # SLOWER: the new interval
    clinician: str = ""  # AGREE: the clinician's name
    agreed_on: date | None = None  # AGREE: the date agreed
    index: int | None = None  # the step the plan was on when the event happened


# What each state allows; anything else is refused (never silently).
ALLOWED: dict[State, frozenset[EventKind]] = {
    State.DRAFT: frozenset({EventKind.START, EventKind.STOP, EventKind.AGREE}),
    State.ACTIVE: frozenset(
        {
            EventKind.HOLD,
            EventKind.SLOWER,
            EventKind.STEP_BACK,
            EventKind.STOP,
            EventKind.COMPLETE,
            EventKind.AGREE,
            EventKind.RELAPSE,
        }
    ),
    State.PAUSED: frozenset(
        {
            EventKind.RESUME,
            EventKind.SLOWER,
            EventKind.STEP_BACK,
            EventKind.STOP,
            EventKind.COMPLETE,
            EventKind.AGREE,
            EventKind.RELAPSE,
        }
    ),
    State.COMPLETED: frozenset({EventKind.AGREE, EventKind.RELAPSE}),
    State.STOPPED: frozenset(),
}


@dataclass(frozen=True)
class Position:
    state: State
    index: int
    since: date | None  # the day the current step began (None while a draft)
    every_days: int
    holds_without_progress: int
    zero_since: date | None
    agreed: Event | None = None
    events: tuple[Event, ...] = field(default=())
    held: frozenset[int] = frozenset()  # the steps a hold happened on

    def next_change(self) -> date | None:
        if self.state is not State.ACTIVE or self.since is None or self.zero_since is not None:
            return None
        return self.since + timedelta(days=self.every_days)


def position(
    plan_steps: Sequence[Step], pace: Pace, events: Sequence[Event], today: date, tz: str
) -> Position:
    """Replay the recorded events, then let time move the plan on to `today`: one step per
    interval, only while active. Nothing here ever moves a plan back or faster."""
    state, index, since = State.DRAFT, 0, None
    every = pace.every_days
    stalled, agreed = 0, None
    last = len(plan_steps) - 1
    held: set[int] = set()  # the steps a hold happened on

    def advance(to: date) -> None:
        nonlocal index, since, stalled
        if state is not State.ACTIVE or since is None:
            return
        while index < last and since + timedelta(days=every) <= to:
            index += 1
            since = since + timedelta(days=every)
            if (
                plan_steps[index].grams < plan_steps[index - 1].grams
                or plan_steps[index].doses < plan_steps[index - 1].doses
            ):
                stalled = 0

    for event in sorted(events, key=lambda e: e.at):
        day = local_day(event.at, tz)
        if day > today:  # where the plan was on `today` (the report reads past days)
            break
        advance(day)
        if event.kind not in ALLOWED[state]:
            raise ConflictError(f"a {state.value} plan cannot take '{event.kind.value}'")
        if event.kind is EventKind.START:
            state, since = State.ACTIVE, day
        elif event.kind is EventKind.HOLD:
            state = State.PAUSED
            stalled += 1
            held.add(index)
        elif event.kind is EventKind.RELAPSE:
            state, since = State.PAUSED, day
            index = last_tolerated(index, last, held)
        elif event.kind is EventKind.RESUME:
            state, since = State.ACTIVE, day
        elif event.kind is EventKind.SLOWER:
            every = max(every, event.every_days or every)
        elif event.kind is EventKind.STEP_BACK:
            index, since = max(0, index - 1), day
        elif event.kind is EventKind.STOP:
            state = State.STOPPED
        elif event.kind is EventKind.COMPLETE:
            state = State.COMPLETED
        else:  # AGREE
            agreed = event
    advance(today)
    zero_since = None
    if index == last and plan_steps[index].grams == 0 and since is not None and last > 0:
        zero_since = since
    return Position(
        state=state,
        index=index,
        since=since,
        every_days=every,
        holds_without_progress=stalled,
        zero_since=zero_since,
        agreed=agreed,
        events=tuple(events),
        held=frozenset(held),
    )


def last_tolerated(index: int, last: int, held: set[int] | frozenset[int]) -> int:
    """The step a plan resumes at after a relapse: the latest step up to `index` that no hold
    happened on, never the last step (none) and never a higher amount than that; the first
    step when every one was held. Stepping further back stays the person's choice."""
    for candidate in range(min(index, last - 1), -1, -1):
        if candidate not in held:
            return candidate
    return 0


def completed_on(events: Sequence[Event], tz: str) -> date | None:
    """The day the plan was marked completed (None when it was not, or was reopened since by a
    relapse)."""
    day = None
    for event in sorted(events, key=lambda e: e.at):
        if event.kind is EventKind.COMPLETE:
            day = local_day(event.at, tz)
        elif event.kind is EventKind.RELAPSE:
            day = None
    return day


def measures_reason(
    where: Position, events: Sequence[Event], today: date, tz: str, after_zero_days: int
) -> str | None:
    """Why the taper plan asks for the SOWS and mood questionnaires today, or None: while the
    plan is active or paused, and for `after_zero_days` days after it was completed (the day
    of completion is day 0, so day `after_zero_days` is back to the usual schedule)."""
    if where.state in {State.ACTIVE, State.PAUSED}:
        return "your taper plan"
    done = completed_on(events, tz) if where.state is State.COMPLETED else None
    if done is not None and 0 <= (today - done).days < after_zero_days:
        through = done + timedelta(days=after_zero_days - 1)
        return f"your taper plan: {after_zero_days} days after it ended, through {through}"
    return None


def check_event(current: Position, event: Event) -> None:
    """Refuse an event the plan's state does not allow, or a 'slower' that is not slower."""
    if event.kind not in ALLOWED[current.state]:
        raise ConflictError(f"a {current.state.value} plan cannot take '{event.kind.value}'")
    problems: list[FieldProblem] = []
    if event.kind is EventKind.SLOWER and (
        event.every_days is None or not current.every_days < event.every_days <= MAX_EVERY_DAYS
    ):
        problems.append(
            FieldProblem(
                "every_days",
                f"slower means more than the current {current.every_days} days "
                f"(at most {MAX_EVERY_DAYS})",
            )
        )
    if len(event.why) > MAX_WHY:
        problems.append(FieldProblem("why", f"at most {MAX_WHY} characters"))
    if len(event.clinician) > MAX_NAME:
        problems.append(FieldProblem("clinician", f"at most {MAX_NAME} characters"))
    if event.kind is EventKind.STEP_BACK and current.index == 0:
        problems.append(FieldProblem("step_back", "the plan is on its first step"))
    if event.kind is EventKind.AGREE and (not event.clinician.strip() or event.agreed_on is None):
        problems.append(FieldProblem("clinician", "give the clinician's name and the date"))
    if event.kind in {EventKind.HOLD, EventKind.STOP} and not event.why.strip():
        event_reason = "say why (a few words are enough)"
        problems.append(FieldProblem("why", event_reason))
    if problems:
        raise InvalidInputError(problems)


@dataclass(frozen=True)
class Dated:
    step: Step
    starts: date | None


def schedule(plan_steps: Sequence[Step], where: Position, start: date) -> list[Dated]:
    """Each step with the day it begins if nothing holds the plan: the steps already passed keep
    no date, the current one its real start, later ones one interval apart."""
    base_index = where.index if where.since is not None else 0
    base_day = where.since if where.since is not None else start
    out = []
    for step in plan_steps:
        if step.index < base_index:
            out.append(Dated(step, None))
        else:
            days = (step.index - base_index) * where.every_days
            out.append(Dated(step, base_day + timedelta(days=days)))
    return out


# --- holds and escalation --------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    at: datetime
    total: float
    crisis: bool = False  # PHQ-9 question 9 above 0


@dataclass(frozen=True)
class Rating:
    at: datetime
    value: float


@dataclass(frozen=True)
class HoldRules:
    sows_rise_points: float
    sows_baseline_days: int
    phq9_rise_points: float
    gad7_rise_points: float
    sleep_drop_points: float
    sleep_days: int


@dataclass(frozen=True)
class EscalationRules:
    sows_severe_at_least: float
    very_high_grams_per_day: float
    holds_without_progress: int


@dataclass(frozen=True)
class Signals:
    """What the rules read, each list oldest first."""

    sows: tuple[Score, ...] = ()
    phq9: tuple[Score, ...] = ()
    gad7: tuple[Score, ...] = ()
    sleep: tuple[Rating, ...] = ()


@dataclass(frozen=True)
class Reason:
    rule: str
    because: str
    at: datetime | None = None


def _before(scores: Sequence[Score], when: datetime) -> Score | None:
    earlier = [s for s in scores if s.at < when]
    return earlier[-1] if earlier else None


def hold_reasons(signals: Signals, rules: HoldRules, started: datetime) -> list[Reason]:
    """Why the plan should hold now (empty: no reason). Only evidence after `started` (the plan's
    start or its last resume) counts, so a resumed plan is not held again by the same score."""
    out = []
    sows_after = [s for s in signals.sows if s.at > started]
    if sows_after:
        latest = sows_after[-1]
        window_start = latest.at - timedelta(days=rules.sows_baseline_days)
        earlier = [s.total for s in signals.sows if window_start <= s.at < latest.at]
        if earlier:
            middle = statistics.median(earlier)
            if latest.total >= middle + rules.sows_rise_points:
                out.append(
                    Reason(
                        "hold.sows",
                        f"Your SOWS was {latest.total:g}, {latest.total - middle:g} points above "
                        f"the median of your SOWS in the {rules.sows_baseline_days} days before "
                        f"it ({middle:g}); the plan holds at a rise of "
                        f"{rules.sows_rise_points:g}.",
                        latest.at,
                    )
                )
    for name, scores, rise in (
        ("phq9", signals.phq9, rules.phq9_rise_points),
        ("gad7", signals.gad7, rules.gad7_rise_points),
    ):
        after = [s for s in scores if s.at > started]
        reference = _before(scores, started) if after else None
        if after and reference is not None and after[-1].total >= reference.total + rise:
            label = "PHQ-9" if name == "phq9" else "GAD-7"
            out.append(
                Reason(
                    f"hold.{name}",
                    f"Your {label} rose from {reference.total:g} to {after[-1].total:g} "
                    f"(the plan holds at a rise of {rise:g}).",
                    after[-1].at,
                )
            )
    recent = [r for r in signals.sleep if r.at > started]
    if recent:
        latest_at = recent[-1].at
        week = [r.value for r in recent if r.at > latest_at - timedelta(days=rules.sleep_days)]
        before = [r.value for r in signals.sleep if started - timedelta(days=14) <= r.at <= started]
        if len(week) >= 3 and before:
            now_mean, then_mean = statistics.fmean(week), statistics.fmean(before)
            if now_mean <= then_mean - rules.sleep_drop_points:
                out.append(
                    Reason(
                        "hold.sleep",
                        f"Your sleep rating averaged {now_mean:.1f} over the last "
                        f"{rules.sleep_days} days, down from {then_mean:.1f} before the plan.",
                        latest_at,
                    )
                )
    return out


def escalations(
    signals: Signals,
    rules: EscalationRules,
    base: Baseline,
    *,
    pregnant: bool,
    holds_without_progress: int,
    since: datetime,
) -> list[Reason]:
    """Why this is beyond a self-taper (empty: nothing found). Never a dose of anything."""
    out = []
    crisis = [s for s in signals.phq9 if s.crisis and s.at >= since]
    if crisis:
        out.append(
            Reason(
                "escalate.phq9_item9",
                "Your PHQ-9 answer to question 9 (thoughts of being better off dead or of hurting "
                "yourself) was above 0.",
                crisis[-1].at,
            )
        )
    severe = [s for s in signals.sows if s.at >= since and s.total >= rules.sows_severe_at_least]
    if severe:
        out.append(
            Reason(
                "escalate.sows_severe",
                f"Your SOWS was {severe[-1].total:g} (the plan treats "
                f"{rules.sows_severe_at_least:g} or more of 64 as severe).",
                severe[-1].at,
            )
        )
    if base.has_seven_oh:
        out.append(
            Reason(
                "escalate.seven_oh",
                f"You logged a 7-OH product on {base.seven_oh_days} of the baseline days. 7-OH "
                "is far stronger than leaf and is never converted to leaf for a plan.",
            )
        )
    if base.grams is not None and base.grams >= rules.very_high_grams_per_day:
        out.append(
            Reason(
                "escalate.very_high",
                f"Your baseline is {base.grams:g} g of leaf a day "
                f"({rules.very_high_grams_per_day:g} g or more).",
            )
        )
    if pregnant:
        out.append(
            Reason(
                "escalate.pregnancy",
                "You told Mitra you are pregnant or breastfeeding; withdrawal and its treatment "
                "need a clinician then.",
            )
        )
    if holds_without_progress >= rules.holds_without_progress:
        out.append(
            Reason(
                "escalate.stalled",
                f"The plan has held {holds_without_progress} times in a row without a step down.",
            )
        )
    return out


def with_index(event: Event, where: Position) -> Event:
    """The event as recorded: with the step the plan was on."""
    return replace(event, index=where.index)


@dataclass(frozen=True)
class Plan:
    """A stored plan: what it was made from. Where it is now comes from its events."""

    design: Design
    baseline: Baseline
    created_at: datetime
    tz: str
    id: int | None = None


def to_ical(
    plan_id: int, dated: Sequence[Dated], measure: Measure, now: datetime, *, discreet: bool
) -> str:
    """An RFC 5545 calendar: one all-day event per step still to come. Discreet wording names
    neither kratom nor an amount (for a shared calendar or a lock screen)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mitra//Taper plan//EN"]
    lines += ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for d in dated:
        if d.starts is None:
            continue
        if discreet:
            summary, description = "Mitra: plan step", "Open Mitra to see this step."
        elif d.step.kind is StepKind.STOP:
            summary = "Mitra taper: last step (none)"
            description = "Today's step of your taper plan is none. Open Mitra to rate withdrawal."
        else:
            amount = measure.describe(d.step.grams)
            summary = f"Mitra taper: {amount} in {d.step.doses} dose(s) a day"
            description = f"From today your taper plan's step is {amount} of kratom leaf a day."
        lines += [
            "BEGIN:VEVENT",
            f"UID:taper-{plan_id}-step-{d.step.index}@mitra.local",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.starts.strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
