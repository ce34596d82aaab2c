"""Taper plans (issue 19): one function per use case, one transaction each; the CLI, pages and
API all call these.

Mitra never proposes taking kratom, an amount or a faster pace: a plan is made from the person's
own last 14 whole days and a pace they (or their clinician) choose; Mitra does the arithmetic,
holds the plan on its own when their scores say so, and never speeds up, resumes or steps back
on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Connection

from mitra.adapters.knowledge.taper import Sourced, TaperKnowledge, load_taper
from mitra.adapters.reports.charts import Frame, Point, line_chart, upper_limit
from mitra.adapters.reports.charts import Line as ChartLine
from mitra.adapters.reports.model import Line as ReportLine
from mitra.adapters.reports.model import TaperSection
from mitra.adapters.store import repositories as repo
from mitra.adapters.store import taper as store
from mitra.adapters.store.responses import of_instrument, responses
from mitra.domain import taper
from mitra.domain.analytics.daily import DayUse
from mitra.domain.clock import local_day
from mitra.domain.responses import has_crisis
from mitra.domain.safety.model import Pregnancy
from mitra.domain.taper import (
    Actor,
    Axis,
    Baseline,
    Dated,
    Design,
    Event,
    EventKind,
    Measure,
    Plan,
    Position,
    Reason,
    Signals,
    State,
    Step,
)
from mitra.errors import ConflictError, InvalidInputError, NotFoundError
from mitra.services import use_pattern
from mitra.services.context import Mitra
from mitra.services.safety import source_links

PREGNANCY_KEY = "pregnancy"
SIGNAL_DAYS = 120
OPEN_STATES = frozenset({State.DRAFT, State.ACTIVE, State.PAUSED})


def knowledge() -> TaperKnowledge:
    return load_taper()


@dataclass(frozen=True)
class Choice:
    """What the person chooses: a pace (a published id or "custom") and their measure."""

    pace_id: str
    unit: float = 0.1
    capsules: bool = False
    axis: str = Axis.AMOUNT_FIRST.value
    min_doses: int = 1
    stop_from: float | None = None
    percent: float | None = None  # custom pace
    grams: float | None = None  # custom pace
    every_days: int | None = None  # custom pace


@dataclass(frozen=True)
class Preview:
    baseline: Baseline
    design: Design
    steps: tuple[Step, ...]
    dated: list[Dated]
    escalations: list[Reason]

    @property
    def weeks(self) -> float:
        last = self.dated[-1].starts
        first = self.dated[0].starts
        return round(((last - first).days if last and first else 0) / 7, 1)


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    steps: tuple[Step, ...]
    where: Position
    dated: list[Dated]
    events: tuple[Event, ...]
    escalations: list[Reason]
    today: date

    @property
    def id(self) -> int:
        assert self.plan.id is not None
        return self.plan.id

    @property
    def step(self) -> Step:
        return self.steps[self.where.index]

    @property
    def is_open(self) -> bool:
        return self.where.state in OPEN_STATES

    @property
    def holds(self) -> list[Event]:
        return [e for e in self.events if e.kind is EventKind.HOLD]

    @property
    def relapse_step(self) -> Step:
        """The step a relapse recorded now would pause the plan at."""
        last = len(self.steps) - 1
        return self.steps[taper.last_tolerated(self.where.index, last, self.where.held)]

    @property
    def relapses(self) -> list[Event]:
        return [e for e in self.events if e.kind is EventKind.RELAPSE]

    @property
    def after_zero_until(self) -> date | None:
        if self.where.zero_since is None:
            return None
        return self.where.zero_since + timedelta(days=knowledge().after_zero_days)


@dataclass(frozen=True)
class Today:
    view: PlanView
    logged: DayUse

    @property
    def target(self) -> Step:
        return self.view.step

    @property
    def over_target(self) -> bool:
        grams = self.logged.grams_leaf or 0.0
        return grams > self.target.grams + 1e-9 or self.logged.doses > self.target.doses


# --- reading ---------------------------------------------------------------------------------


def _baseline_in(conn: Connection, tz: str, now: datetime) -> Baseline:
    today = local_day(now, tz)
    first = today - timedelta(days=taper.BASELINE_DAYS)
    data = use_pattern.read_uses(conn, tz, first, today)
    days = use_pattern.use_days(data, tz, first, today - timedelta(days=1))
    return taper.baseline(days)


def read_baseline(mitra: Mitra) -> Baseline:
    """The median of the last 14 whole days of the person's own log."""
    with mitra.store.read() as conn:
        return _baseline_in(conn, mitra.timezone_in(conn), mitra.now())


def _pregnant(conn: Connection) -> bool:
    return repo.get_preference(conn, PREGNANCY_KEY) in {
        Pregnancy.PREGNANT.value,
        Pregnancy.BREASTFEEDING.value,
    }


def _signals(conn: Connection, now: datetime) -> Signals:
    since = now - timedelta(days=SIGNAL_DAYS)

    def scores(instrument_id: str) -> tuple[taper.Score, ...]:
        found = responses.list(
            conn,
            since=since,
            where=[of_instrument(instrument_id)],
        )
        return tuple(
            taper.Score(r.taken_at, float(r.score.total), has_crisis(r.score))
            for r in reversed(found)
            if r.score.total is not None and (r.score.complete or has_crisis(r.score))
        )

    sleep = tuple(
        taper.Rating(c.recorded_at, float(c.sleep))
        for c in reversed(repo.checkins.list(conn, since=since))
        if c.sleep is not None
    )
    return Signals(scores("sows"), scores("phq9"), scores("gad7"), sleep)


def _design(choice: Choice, base: Baseline, facts: TaperKnowledge) -> Design:
    if base.has_seven_oh:
        raise InvalidInputError.one(
            "baseline",
            "your last 14 days include a 7-OH product; 7-OH is never converted to leaf and a "
            "self-taper is not the way for it. See the escalation page for what can help.",
        )
    if base.grams is None or base.grams <= 0:
        raise InvalidInputError.one(
            "baseline", "no amount of leaf is known for your last 14 days, so there is no plan"
        )
    if choice.pace_id == "custom":
        pace = taper.custom_pace(
            facts.custom,
            every_days=choice.every_days or 0,
            percent=choice.percent,
            grams=choice.grams,
            baseline_grams=base.grams,
        )
    else:
        found = facts.pace(choice.pace_id)
        if found is None:
            names = ", ".join([*(p.id for p in facts.paces), "custom"])
            raise InvalidInputError.one("pace", f"{choice.pace_id!r} is not one of {names}")
        pace = found
    try:
        axis = Axis(choice.axis)
    except ValueError:
        raise InvalidInputError.one("axis", "must be amount_first or frequency_first") from None
    if not 1 <= choice.min_doses <= 12:
        raise InvalidInputError.one("min_doses", "must be between 1 and 12")
    measure = Measure(choice.unit, choice.capsules)
    if choice.stop_from is not None and not (
        measure.unit <= choice.stop_from <= measure.down(base.grams)
    ):
        raise InvalidInputError.one(
            "stop_from", "must be at least one unit of your measure and at most your baseline"
        )
    return Design(base.grams, base.doses, pace, measure, axis, choice.min_doses, choice.stop_from)


def preview(mitra: Mitra, choice: Choice) -> Preview:
    """The steps a choice would make from the person's baseline, dated from today; no write."""
    facts = knowledge()
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        now = mitra.now()
        base = _baseline_in(conn, tz, now)
        pregnant = _pregnant(conn)
    design = _design(choice, base, facts)
    plan_steps = taper.steps(design)
    today = local_day(now, tz)
    draft = taper.position(plan_steps, design.pace, [], today, tz)
    reasons = taper.escalations(
        Signals(), facts.escalation, base, pregnant=pregnant, holds_without_progress=0, since=now
    )
    return Preview(base, design, plan_steps, taper.schedule(plan_steps, draft, today), reasons)


def _view(conn: Connection, plan: Plan, now: datetime) -> PlanView:
    assert plan.id is not None
    tz = plan.tz
    events = tuple(store.events(conn, plan.id))
    plan_steps = taper.steps(plan.design)
    today = local_day(now, tz)
    where = taper.position(plan_steps, plan.design.pace, events, today, tz)
    started = next((e.at for e in events if e.kind is EventKind.START), plan.created_at)
    reasons = taper.escalations(
        _signals(conn, now),
        knowledge().escalation,
        plan.baseline,
        pregnant=_pregnant(conn),
        holds_without_progress=where.holds_without_progress,
        since=started,
    )
    dated = taper.schedule(plan_steps, where, today)
    return PlanView(plan, plan_steps, where, dated, events, reasons, today)


def _open_plan(conn: Connection, now: datetime) -> PlanView | None:
    for plan in store.list_plans(conn):
        view = _view(conn, plan, now)
        if view.is_open:
            return view
    return None


def _hold_due(conn: Connection, view: PlanView, now: datetime) -> list[Reason]:
    if view.where.state is not State.ACTIVE:
        return []
    since = max(e.at for e in view.events if e.kind in {EventKind.START, EventKind.RESUME})
    return taper.hold_reasons(_signals(conn, now), knowledge().holds, since)


def hold_if_due(mitra: Mitra, conn: Connection) -> bool:
    """Inside a write's transaction: hold the open plan when a score says so (Mitra holds on its
    own; it never resumes, speeds up or steps back on its own). True when it held."""
    now = mitra.now()
    view = _open_plan(conn, now)
    if view is None:
        return False
    reasons = _hold_due(conn, view, now)
    if not reasons:
        return False
    why = " ".join(r.because for r in reasons)
    event = Event(EventKind.HOLD, now, Actor.MITRA, why=why, index=view.where.index)
    store.add_event(conn, view.id, event)
    return True


def measures_reason(conn: Connection, now: datetime) -> str | None:
    """Inside a read: why the measures schedule asks for the SOWS and mood questionnaires more
    often now (a plan under way, or completed less than `after_zero_days` ago), or None."""
    days = knowledge().after_zero_days
    for plan in store.list_plans(conn):
        assert plan.id is not None
        events = store.events(conn, plan.id)
        today = local_day(now, plan.tz)
        where = taper.position(taper.steps(plan.design), plan.design.pace, events, today, plan.tz)
        reason = taper.measures_reason(where, events, today, plan.tz, days)
        if reason is not None:
            return reason
    return None


def shareable(conn: Connection, now: datetime) -> list[tuple[Plan, Position, list[Dated]]]:
    """Every plan with where it is and its dated steps, inside a sharing use case's transaction
    (the FHIR export's CarePlan, the report's taper section)."""
    views = [_view(conn, plan, now) for plan in store.list_plans(conn)]
    return [(v.plan, v.where, v.dated) for v in views]


def report_section(mitra: Mitra, start: date, end: date) -> TaperSection | None:
    """The report's taper section for the local days `start`..`end`: the latest plan that was
    under way in the period, its daily target against the grams logged, its holds and SOWS."""
    now = mitra.now()
    with mitra.store.read() as conn:
        tz = mitra.timezone_in(conn)
        views = [_view(conn, plan, now) for plan in store.list_plans(conn)]
        view = next((v for v in views if v.events and _began(v) <= end), None)
        if view is None:
            return None
        first = max(start, _began(view))
        data = use_pattern.read_uses(conn, tz, first, end)
        sows = [s for s in _signals(conn, now).sows if first <= local_day(s.at, tz) <= end]
    days = use_pattern.use_days(data, tz, first, end)
    plan_steps = view.steps
    target: list[Point] = []
    for day in days:
        where = taper.position(
            plan_steps, view.plan.design.pace, view.events, day.day, view.plan.tz
        )
        target.append((day.day, plan_steps[where.index].grams if where.since else None))
    logged: list[Point] = [(d.day, d.grams_leaf) for d in days]
    top = upper_limit([v for _, v in target + logged], 1.0)
    chart = line_chart(
        "taper-plan",
        "Taper: the plan's grams of leaf a day and what was logged",
        "Two lines over the days of the plan in this period: the plan's target and the grams of "
        "leaf logged each day.",
        Frame(first, end, 0.0, top),
        [ChartLine("Plan", target), ChartLine("Logged", logged, "dots")],
        y_label="g/day",
    )
    agreed = view.where.agreed
    design = view.plan.design
    return TaperSection(
        summary=f"{design.pace.name}, from a baseline of {design.baseline_grams:g} g of leaf a "
        f"day in {design.baseline_doses:g} doses (median of {view.plan.baseline.first} to "
        f"{view.plan.baseline.last}); now {view.step.grams:g} g in {view.step.doses} dose(s).",
        state=view.where.state.value,
        agreed=(
            f"Agreed with {agreed.clinician} on {agreed.agreed_on}."
            if agreed and agreed.agreed_on
            else "Not marked as agreed with a clinician."
        ),
        chart=chart,
        holds=tuple(
            ReportLine((local_day(e.at, tz).isoformat(), e.by.value, e.why)) for e in view.holds
        ),
        sows=tuple(ReportLine((local_day(s.at, tz).isoformat(), f"{s.total:g}")) for s in sows),
        sources=tuple((link.title, link.link) for link in source_links(design.pace.sources)),
    )


def _began(view: PlanView) -> date:
    start = next((e.at for e in view.events if e.kind is EventKind.START), None)
    return local_day(start or view.plan.created_at, view.plan.tz)


def current(mitra: Mitra) -> PlanView | None:
    """The open plan (draft, active or paused), holding it first when a score says so."""
    now = mitra.now()
    with mitra.store.read() as conn:
        view = _open_plan(conn, now)
        due = bool(view and _hold_due(conn, view, now))
    if due:
        with mitra.store.write() as conn:
            hold_if_due(mitra, conn)
    with mitra.store.read() as conn:
        return _open_plan(conn, now)


def get(mitra: Mitra, plan_id: int) -> PlanView:
    with mitra.store.read() as conn:
        return _view(conn, store.get_plan(conn, plan_id), mitra.now())


def list_plans(mitra: Mitra) -> list[PlanView]:
    now = mitra.now()
    with mitra.store.read() as conn:
        return [_view(conn, p, now) for p in store.list_plans(conn)]


def today(mitra: Mitra) -> Today | None:
    """During an active or paused plan: today's target and what was logged so far today."""
    view = current(mitra)
    if view is None or view.where.state is State.DRAFT:
        return None
    window = use_pattern.recent_use(mitra, weeks=1)
    return Today(view, window.today)


# --- writing ---------------------------------------------------------------------------------


def create(mitra: Mitra, choice: Choice) -> PlanView:
    """A draft plan from the person's baseline and chosen pace (refused while another plan is
    open). One transaction: the baseline is read in it."""
    facts = knowledge()
    now = mitra.now()
    with mitra.store.write() as conn:
        if _open_plan(conn, now) is not None:
            raise ConflictError("a plan is already open; stop or complete it first")
        tz = mitra.timezone_in(conn)
        base = _baseline_in(conn, tz, now)
        design = _design(choice, base, facts)
        plan = store.add_plan(conn, Plan(design, base, now, tz))
        return _view(conn, plan, now)


def act(
    mitra: Mitra,
    plan_id: int,
    kind: str,
    *,
    by: str = Actor.PERSON.value,
    why: str = "",
    every_days: int | None = None,
    clinician: str = "",
    agreed_on: date | None = None,
) -> PlanView:
    """Record one change (start, hold, resume, slower, step back, stop, complete, agree) with
    who and why, after checking the plan's state allows it. One transaction."""
    try:
        event_kind = EventKind(kind)
        actor = Actor(by)
    except ValueError:
        kinds = ", ".join(e.value for e in EventKind)
        raise InvalidInputError.one("action", f"{kind!r} is not one of {kinds}") from None
    if actor is Actor.MITRA:
        raise InvalidInputError.one("by", "only Mitra itself records its own holds")
    now = mitra.now()
    event = Event(
        event_kind,
        now,
        actor,
        why=why.strip(),
        every_days=every_days,
        clinician=clinician.strip(),
        agreed_on=agreed_on,
    )
    with mitra.store.write() as conn:
        return _record(mitra, conn, plan_id, event)


def _record(mitra: Mitra, conn: Connection, plan_id: int, event: Event) -> PlanView:
    view = _view(conn, store.get_plan(conn, plan_id), event.at)
    taper.check_event(view.where, event)
    store.add_event(conn, plan_id, taper.with_index(event, view.where))
    if event.kind in {EventKind.START, EventKind.RESUME}:
        hold_if_due(mitra, conn)
    return _view(conn, store.get_plan(conn, plan_id), event.at)


def view_in(conn: Connection, plan_id: int, now: datetime) -> PlanView:
    """A plan as it stands, inside another use case's transaction (a clinician's review)."""
    return _view(conn, store.get_plan(conn, plan_id), now)


def record_in(mitra: Mitra, conn: Connection, plan_id: int, event: Event) -> PlanView:
    """Record an event already built (and checked) by another use case, in its transaction."""
    return _record(mitra, conn, plan_id, event)


def relapse(mitra: Mitra, *, note: str = "", by: str = Actor.PERSON.value) -> PlanView:
    """ "I used again": recorded on the plan under way or the latest completed one, with who,
    when and an optional note. The plan pauses at the last tolerated step (the latest one no
    hold happened on) and waits for the person to resume it; Mitra never moves it to a higher
    amount on its own. One transaction."""
    try:
        actor = Actor(by)
    except ValueError:
        raise InvalidInputError.one("by", "person or clinician") from None
    if actor is Actor.MITRA:
        raise InvalidInputError.one("by", "only the person or their clinician records this")
    now = mitra.now()
    event = Event(EventKind.RELAPSE, now, actor, why=note.strip())
    with mitra.store.write() as conn:
        for plan in store.list_plans(conn):
            view = _view(conn, plan, now)
            if view.where.state in {State.ACTIVE, State.PAUSED, State.COMPLETED}:
                return _record(mitra, conn, view.id, event)
        raise NotFoundError("no taper plan under way or completed to record it on")


def last_relapsable(mitra: Mitra) -> PlanView | None:
    """The plan a relapse would be recorded on (under way or completed), if any."""
    now = mitra.now()
    with mitra.store.read() as conn:
        for plan in store.list_plans(conn):
            view = _view(conn, plan, now)
            if view.where.state in {State.ACTIVE, State.PAUSED, State.COMPLETED}:
                return view
    return None


def calendar(mitra: Mitra, *, discreet: bool = False) -> str:
    """The open plan's steps still to come as an iCalendar file's text (CRLF line endings)."""
    view = current(mitra)
    if view is None:
        raise NotFoundError("no open taper plan")
    measure = view.plan.design.measure
    return taper.to_ical(view.id, view.dated, measure, mitra.now(), discreet=discreet)


def treatments() -> Sequence[Sourced]:
    return knowledge().treatments
