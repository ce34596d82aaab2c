"""dependence.*: signs of tolerance and dependence in the use log and questionnaires.

Two windows of equal length are compared (the most recent, and the one before it). The daily
amount is decomposed: grams per day of use = doses per day x grams per dose, so the person sees
which part is changing. A stable pattern raises nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from mitra.domain.journal import UseEvent
from mitra.domain.safety.model import Alert, Rules, RuleSpec, Snapshot, make_alert

READS = frozenset({"responses", "uses"})  # journal parts read (test_inputs.py)


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    days: dict[date, list[datetime]]
    grams: float | None

    @property
    def use_days(self) -> int:
        return len(self.days)

    @property
    def doses(self) -> int:
        return sum(len(times) for times in self.days.values())

    @property
    def per_day(self) -> float:
        return self.doses / self.use_days

    @property
    def grams_per_dose(self) -> float:
        return (self.grams or 0) / self.doses

    @property
    def grams_per_day(self) -> float:
        return (self.grams or 0) / self.use_days

    def label(self) -> str:
        return f"{self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}"

    def decomposition(self) -> str:
        return (
            f"{self.grams_per_day:.1f} g/day = {self.per_day:.1f} doses/day x "
            f"{self.grams_per_dose:.1f} g/dose ({self.label()}, {self.use_days} days of use)"
        )


def window(snapshot: Snapshot, uses: list[UseEvent], first: date, last: date) -> Window:
    days: dict[date, list[datetime]] = defaultdict(list)
    grams: float | None = 0.0
    for use in uses:
        day = snapshot.day(use.taken_at)
        if first <= day <= last:
            days[day].append(use.taken_at)
            grams = None if grams is None or use.grams_leaf is None else grams + use.grams_leaf
    return Window(first, last, dict(days), grams)


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    alerts = _streak(snapshot, rules, now) + _kud(snapshot, rules, now)
    spec = rules.spec("dependence.daily_amount")
    if spec is None:
        return alerts
    length = int(spec.param("window_days"))
    today = snapshot.day(now)
    uses = list(snapshot.uses)
    recent = window(snapshot, uses, today - timedelta(days=length - 1), today)
    earlier = window(
        snapshot, uses, today - timedelta(days=2 * length - 1), today - timedelta(days=length)
    )
    enough = spec.param("min_use_days")
    if recent.use_days < enough or earlier.use_days < enough:
        return alerts
    if recent.grams is not None and earlier.grams is not None:
        alerts += _rise(
            spec, snapshot, recent.grams_per_day, earlier.grams_per_day, recent, earlier
        )
    for rule_id, check in (
        ("dependence.frequency", _frequency),
        ("dependence.gaps", _gaps),
        ("dependence.first_dose", _first_dose),
    ):
        other = rules.spec(rule_id)
        if other is not None:
            alerts += check(other, snapshot, recent, earlier)
    return alerts


def _rise(
    spec: RuleSpec,
    snapshot: Snapshot,
    now_value: float,
    before: float,
    recent: Window,
    earlier: Window,
) -> list[Alert]:
    if now_value < before * spec.param("min_ratio") or now_value - before < spec.param("min_rise"):
        return []
    because = (
        f"Your daily amount rose: {recent.decomposition()}, up from {earlier.decomposition()}."
    )
    return [make_alert(spec, snapshot, because)]


def _frequency(spec: RuleSpec, snapshot: Snapshot, recent: Window, earlier: Window) -> list[Alert]:
    if recent.per_day < earlier.per_day * spec.param("min_ratio"):
        return []
    if recent.per_day - earlier.per_day < spec.param("min_rise"):
        return []
    because = (
        f"You took kratom more often: {recent.per_day:.1f} doses per day of use "
        f"({recent.label()}), up from {earlier.per_day:.1f} ({earlier.label()})."
    )
    return [make_alert(spec, snapshot, because)]


def _median_gap_hours(w: Window) -> tuple[float, int]:
    gaps = [
        (b - a).total_seconds() / 3600
        for times in w.days.values()
        for a, b in zip(sorted(times), sorted(times)[1:], strict=False)
    ]
    return (median(gaps) if gaps else 0.0), len(gaps)


def _gaps(spec: RuleSpec, snapshot: Snapshot, recent: Window, earlier: Window) -> list[Alert]:
    now_gap, now_count = _median_gap_hours(recent)
    before_gap, before_count = _median_gap_hours(earlier)
    if min(now_count, before_count) < spec.param("min_gaps"):
        return []
    if now_gap > before_gap * spec.param("max_ratio"):
        return []
    because = (
        f"The time between doses on the same day shrank: median {now_gap:.1f} hours "
        f"({recent.label()}), down from {before_gap:.1f} hours ({earlier.label()})."
    )
    return [make_alert(spec, snapshot, because)]


def _mean_first_minutes(snapshot: Snapshot, w: Window) -> float:
    firsts = []
    for times in w.days.values():
        local = snapshot.local(min(times))[-5:]
        firsts.append(int(local[:2]) * 60 + int(local[3:]))
    return sum(firsts) / len(firsts)


def _clock(minutes: float) -> str:
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _first_dose(spec: RuleSpec, snapshot: Snapshot, recent: Window, earlier: Window) -> list[Alert]:
    now_first = _mean_first_minutes(snapshot, recent)
    before_first = _mean_first_minutes(snapshot, earlier)
    if before_first - now_first < spec.param("min_minutes_earlier"):
        return []
    because = (
        f"Your first dose of the day moved earlier: on average {_clock(now_first)} "
        f"({recent.label()}), from {_clock(before_first)} ({earlier.label()})."
    )
    return [make_alert(spec, snapshot, because)]


def _streak(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("dependence.consecutive_days")
    if spec is None:
        return []
    days = {snapshot.day(u.taken_at) for u in snapshot.uses}
    day = snapshot.day(now)
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    if streak < spec.param("min_days"):
        return []
    start = day + timedelta(days=1)
    because = f"You have logged kratom use on {streak} days in a row, since {start:%Y-%m-%d}."
    return [make_alert(spec, snapshot, because)]


def _kud(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("dependence.kud_dsm5")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    done = [
        r
        for r in snapshot.responses
        if r.instrument_id == "kud_dsm5" and r.score.complete and r.taken_at >= since
    ]
    if not done:
        return []
    latest = max(done, key=lambda r: r.taken_at)
    if (latest.score.total or 0) < spec.param("min_criteria"):
        return []
    because = (
        f"On {snapshot.local(latest.taken_at)} you endorsed {latest.score.total} of the 11 "
        f"kratom-use criteria: {latest.score.band_label}."
    )
    return [make_alert(spec, snapshot, because, evidence_at=latest.taken_at)]
