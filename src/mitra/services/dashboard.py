"""The insights dashboard: use pattern, check-in trends, questionnaire timelines, n-of-1 findings,
adverse effects and vitals, in one typed result read in one transaction.

The period (4, 12 or 52 weeks) sets what the charts show: that many whole weeks ending with the
last whole day (yesterday in the person's zone); today is shown apart, never counted. Slopes and
the n-of-1 association always use the last 52 weeks, so a short view does not throw away the data
an honest estimate needs. Use figures come from `services.use_pattern`, as on Home and in the
report.
Open safety alerts (crisis first) come from the safety service, as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Connection

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses as response_repo
from mitra.domain.analytics import change, daily, nof1, trends
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.journal import CHECKIN_LABELS, CHECKIN_SCALES, AdverseEffect, Vital
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.safety import StoredAlert
from mitra.errors import InvalidInputError
from mitra.services import safety, use_pattern
from mitra.services.context import Mitra
from mitra.services.questionnaires import ORDER

PERIODS = (4, 12, 52)
ANALYSIS_WEEKS = 52


@dataclass(frozen=True)
class UsePattern:
    days: tuple[daily.DayUse, ...]
    weeks: tuple[daily.WeekUse, ...]
    summary: daily.UseSummary
    rows: tuple[tuple[str, str], ...]
    decomposition: str | None
    slopes: tuple[trends.Slope, ...]
    dose_slopes: tuple[trends.Slope, ...]
    note: str | None
    today: daily.DayUse
    so_far_today: str


@dataclass(frozen=True)
class CheckinTrend:
    scale: str
    label: str
    values: tuple[float | None, ...]
    smoothed: tuple[float | None, ...]
    mean: float | None
    days_rated: int
    slopes: tuple[trends.Slope, ...]


@dataclass(frozen=True)
class EffectCount:
    label: str
    count: int
    worst_severity: int
    last_day: date


@dataclass(frozen=True)
class Dashboard:
    weeks: int
    start: date
    end: date
    tz: str
    days: tuple[date, ...]
    use: UsePattern
    checkins: tuple[CheckinTrend, ...]
    questionnaires: tuple[change.Timeline, ...]
    nof1: tuple[nof1.Finding, ...]
    nof1_weeks: int
    withdrawal_signs: tuple[str, ...]
    effects: tuple[EffectCount, ...]
    vitals: tuple[Vital, ...]
    alerts: tuple[StoredAlert, ...]
    empty: bool


@dataclass(frozen=True)
class _Data:
    use: use_pattern.UseData
    checkins: list[daily.CheckinDay]
    effects: list[AdverseEffect]
    vitals: list[Vital]
    responses: list[QuestionnaireResponse]


def check_weeks(weeks: int) -> None:
    if weeks not in PERIODS:
        allowed = ", ".join(str(p) for p in PERIODS)
        raise InvalidInputError.one("weeks", f"must be one of {allowed}, got {weeks}")


def _load(conn: Connection, tz: str, first: date, last: date, today: date) -> _Data:
    since, _ = day_bounds(first, tz)
    _, until = day_bounds(last, tz)
    checkins = repo.checkins.list(conn, since=since, until=until)
    return _Data(
        use=use_pattern.read_uses(conn, tz, first, today),
        checkins=daily.checkin_days(checkins, tz, first, last),
        effects=repo.effects.list(conn, since=since, until=until),
        vitals=repo.vitals.list(conn, since=since, until=until),
        responses=response_repo.list(conn),
    )


def build_dashboard(mitra: Mitra, weeks: int = 4) -> Dashboard:
    """Everything the insights page, `mitra insights` and GET /api/v1/insights show."""
    check_weeks(weeks)

    def period(today: date) -> tuple[date, date, int]:
        end = today - timedelta(days=1)  # the last whole day
        return end - timedelta(days=weeks * 7 - 1), end, weeks

    with mitra.store.read() as conn:
        return build_in(mitra, conn, period)


def build_for_period(mitra: Mitra, start: date, end: date) -> Dashboard:
    """The same dashboard over the whole days of `start`..`end` (the clinician report's own
    period; a period reaching today stops at yesterday). Questionnaire timelines keep only the
    responses in the period."""
    with mitra.store.read() as conn:
        return build_in(mitra, conn, report_period(start, end), only_period=True)


def report_period(start: date, end: date) -> Callable[[date], tuple[date, date, int]]:
    def period(today: date) -> tuple[date, date, int]:
        last = min(end, today - timedelta(days=1))
        first = min(start, last)
        return first, last, -(-((last - first).days + 1) // 7)

    return period


def build_in(
    mitra: Mitra,
    conn: Connection,
    period: Callable[[date], tuple[date, date, int]],
    *,
    only_period: bool = False,
) -> Dashboard:
    """The dashboard inside a read transaction: the user's zone is read in it, then the days
    shown (`period` of today: first day, last day, weeks) and their data."""
    tz = mitra.timezone_in(conn)
    today = local_day(mitra.now(), tz)
    start, end, weeks = period(today)
    first = end - timedelta(days=ANALYSIS_WEEKS * 7)  # one extra day: the day before, for lags
    data = _load(conn, tz, min(first, start), end, today)
    all_use = use_pattern.use_days(data.use, tz, min(first, start), end)
    (today_use,) = use_pattern.use_days(data.use, tz, today, today)
    shown = (end - start).days + 1
    signs = _withdrawal(data, first, tz)
    responses = data.responses
    if only_period:
        responses = [r for r in responses if start <= local_day(r.taken_at, tz) <= end]
    return Dashboard(
        weeks=weeks,
        start=start,
        end=end,
        tz=tz,
        days=tuple(daily.days_between(start, end)),
        use=_use_pattern(all_use, shown, today_use),
        checkins=tuple(_checkin_trend(data.checkins, s, shown) for s in CHECKIN_SCALES),
        questionnaires=_timelines(responses, tz),
        nof1=tuple(
            nof1.associations(
                all_use[-ANALYSIS_WEEKS * 7 - 1 :], data.checkins[-ANALYSIS_WEEKS * 7 - 1 :], signs
            )
        ),
        nof1_weeks=ANALYSIS_WEEKS,
        withdrawal_signs=signs,
        effects=_effects([e for e in data.effects if local_day(e.occurred_at, tz) >= start], tz),
        vitals=tuple(
            sorted(
                (v for v in data.vitals if local_day(v.measured_at, tz) >= start),
                key=lambda v: v.measured_at,
            )
        ),
        alerts=tuple(safety.open_alerts_in(conn)),
        empty=not (data.use.uses or data.responses or any(_rated(c) for c in data.checkins)),
    )


def _rated(day: daily.CheckinDay) -> bool:
    return any(v is not None for v in day.ratings.values())


def _withdrawal(data: _Data, first: date, tz: str) -> tuple[str, ...]:
    sows = [
        r.score.total
        for r in data.responses
        if r.instrument_id == "sows"
        and r.score.total is not None
        and local_day(r.taken_at, tz) >= first
    ]
    return nof1.withdrawal_signs(data.effects, sows)


def _use_pattern(all_use: Sequence[daily.DayUse], shown: int, today: daily.DayUse) -> UsePattern:
    days = all_use[-shown:]
    half = len(days) // 2
    observed = all_use[1:]
    note = None
    if not any(d.observed for d in days):
        note = "No kratom use logged in this period."
    summary = daily.summarise_use(days)
    return UsePattern(
        days=tuple(days),
        weeks=tuple(daily.weekly_use(days)),
        summary=summary,
        rows=daily.describe_use(summary),
        decomposition=daily.describe_decomposition(
            daily.summarise_use(days[:half]), daily.summarise_use(days[half:])
        ),
        slopes=tuple(trends.slopes([d.grams_leaf for d in observed])),
        dose_slopes=tuple(
            trends.slopes([float(d.doses) if d.observed else None for d in observed])
        ),
        note=note,
        today=today,
        so_far_today=use_pattern.so_far_today(today),
    )


def _checkin_trend(days: Sequence[daily.CheckinDay], scale: str, shown: int) -> CheckinTrend:
    values = [d.ratings[scale] for d in days[1:]]
    smoothed = trends.rolling_mean(values)
    recent = [v for v in values[-shown:] if v is not None]
    return CheckinTrend(
        scale=scale,
        label=CHECKIN_LABELS[scale],
        values=tuple(values[-shown:]),
        smoothed=tuple(smoothed[-shown:]),
        mean=round(sum(recent) / len(recent), 2) if recent else None,
        days_rated=len(recent),
        slopes=tuple(trends.slopes(values)),
    )


def _timelines(found: Sequence[QuestionnaireResponse], tz: str) -> tuple[change.Timeline, ...]:
    instruments = knowledge.load_instruments()
    present = {r.instrument_id for r in found}
    ordered = [i for i in ORDER if i in present] + sorted(present - set(ORDER))
    return tuple(change.timeline(instruments[i], found, tz) for i in ordered if i in instruments)


def _effects(effects: Sequence[AdverseEffect], tz: str) -> tuple[EffectCount, ...]:
    grouped: dict[str, list[AdverseEffect]] = {}
    for effect in effects:
        grouped.setdefault(effect.label, []).append(effect)
    return tuple(
        EffectCount(
            label=label,
            count=len(items),
            worst_severity=max(e.severity for e in items),
            last_day=max(local_day(e.occurred_at, tz) for e in items),
        )
        for label, items in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
