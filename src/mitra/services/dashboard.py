"""The insights dashboard: use pattern, check-in trends, questionnaire timelines, n-of-1 findings,
adverse effects and vitals, in one typed result read in one transaction.

The period (4, 12 or 52 weeks) sets what the charts show. Slopes and the n-of-1 association always
use the last 52 weeks, so a short view does not throw away the data an honest estimate needs.
Open safety alerts (crisis first) come from the safety service, as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Connection

from mitra.adapters.knowledge import instruments as knowledge
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.responses import responses as response_repo
from mitra.domain.analytics import change, daily, nof1, trends
from mitra.domain.clock import day_bounds, local_day
from mitra.domain.journal import CHECKIN_LABELS, CHECKIN_SCALES, AdverseEffect, UseEvent, Vital
from mitra.domain.responses import QuestionnaireResponse
from mitra.domain.safety import StoredAlert
from mitra.errors import InvalidInputError
from mitra.services import safety
from mitra.services.context import Mitra
from mitra.services.questionnaires import ORDER

PERIODS = (4, 12, 52)
ANALYSIS_WEEKS = 52


@dataclass(frozen=True)
class UsePattern:
    days: tuple[daily.DayUse, ...]
    weeks: tuple[daily.WeekUse, ...]
    summary: daily.UseSummary
    decomposition: str | None
    slopes: tuple[trends.Slope, ...]
    note: str | None


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
    uses: list[UseEvent]
    used_before: bool
    checkins: list[daily.CheckinDay]
    effects: list[AdverseEffect]
    vitals: list[Vital]
    responses: list[QuestionnaireResponse]


def check_weeks(weeks: int) -> None:
    if weeks not in PERIODS:
        allowed = ", ".join(str(p) for p in PERIODS)
        raise InvalidInputError.one("weeks", f"must be one of {allowed}, got {weeks}")


def _load(conn: Connection, tz: str, first: date, last: date) -> _Data:
    since, _ = day_bounds(first, tz)
    _, until = day_bounds(last, tz)
    checkins = repo.checkins.list(conn, since=since, until=until)
    return _Data(
        uses=repo.use_events.list(conn, since=since, until=until),
        used_before=bool(repo.use_events.list(conn, until=since, limit=1)),
        checkins=daily.checkin_days(checkins, tz, first, last),
        effects=repo.adverse_effects.list(conn, since=since, until=until),
        vitals=repo.vitals.list(conn, since=since, until=until),
        responses=response_repo.list(conn),
    )


def build_dashboard(mitra: Mitra, weeks: int = 4) -> Dashboard:
    """Everything the insights page, `mitra insights` and GET /api/v1/insights show."""
    check_weeks(weeks)
    tz = mitra.timezone()
    end = local_day(mitra.now(), tz)
    first = end - timedelta(days=ANALYSIS_WEEKS * 7)  # one extra day: the day before, for lags
    with mitra.store.read() as conn:
        data = _load(conn, tz, first, end)
    all_use = daily.daily_use(data.uses, tz, first, end, used_before=data.used_before)
    shown = weeks * 7
    start = end - timedelta(days=shown - 1)
    signs = _withdrawal(data, first, tz)
    return Dashboard(
        weeks=weeks,
        start=start,
        end=end,
        tz=tz,
        days=tuple(daily.days_between(start, end)),
        use=_use_pattern(all_use, shown),
        checkins=tuple(_checkin_trend(data.checkins, s, shown) for s in CHECKIN_SCALES),
        questionnaires=_timelines(data.responses, tz),
        nof1=tuple(nof1.associations(all_use, data.checkins, signs)),
        nof1_weeks=ANALYSIS_WEEKS,
        withdrawal_signs=signs,
        effects=_effects([e for e in data.effects if local_day(e.occurred_at, tz) >= start], tz),
        vitals=tuple(
            sorted(
                (v for v in data.vitals if local_day(v.measured_at, tz) >= start),
                key=lambda v: v.measured_at,
            )
        ),
        alerts=tuple(safety.open_alerts(mitra)),
        empty=not (data.uses or data.responses or any(_rated(c) for c in data.checkins)),
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


def _use_pattern(all_use: Sequence[daily.DayUse], shown: int) -> UsePattern:
    days = all_use[-shown:]
    half = len(days) // 2
    grams = [d.grams_leaf for d in all_use[1:]]
    note = None
    if all(d.grams_leaf is None and d.doses == 0 for d in days):
        note = "No kratom use logged in this period."
    return UsePattern(
        days=tuple(days),
        weeks=tuple(daily.weekly_use(days)),
        summary=daily.summarise_use(days),
        decomposition=daily.describe_decomposition(
            daily.summarise_use(days[:half]), daily.summarise_use(days[half:])
        ),
        slopes=tuple(trends.slopes(grams)),
        note=note,
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
