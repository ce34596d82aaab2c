"""withdrawal.*: a rising SOWS total (no sourced bands exist, so the raw rise is reported) and
withdrawal-type effects logged after a gap in otherwise regular use."""

from __future__ import annotations

from datetime import datetime, timedelta

from mitra.domain.journal import Effect
from mitra.domain.safety.model import Alert, Rules, Snapshot, make_alert

READS = frozenset({"effects", "responses", "uses"})  # journal parts read (test_inputs.py)

WITHDRAWAL_EFFECTS = (Effect.SWEATING, Effect.INSOMNIA, Effect.NAUSEA)


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    return _sows(snapshot, rules, now) + _after_gap(snapshot, rules, now)


def _sows(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("withdrawal.sows")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    scored = sorted(
        (
            r
            for r in snapshot.responses
            if r.instrument_id == "sows" and r.score.complete and r.taken_at >= since
        ),
        key=lambda r: r.taken_at,
    )
    if len(scored) < 2:
        return []
    before, latest = scored[-2], scored[-1]
    rise = (latest.score.total or 0) - (before.score.total or 0)
    if rise < spec.param("min_rise"):
        return []
    because = (
        f"Your SOWS withdrawal score rose from {before.score.total} on "
        f"{snapshot.local(before.taken_at)} to {latest.score.total} on "
        f"{snapshot.local(latest.taken_at)} (no sourced severity bands exist for the SOWS, so "
        "the raw change is shown)."
    )
    return [make_alert(spec, snapshot, because, evidence_at=latest.taken_at)]


def _after_gap(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("withdrawal.after_gap")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    gap = timedelta(hours=spec.param("gap_hours"))
    lookback = timedelta(days=spec.param("lookback_days"))
    alerts = []
    for effect in snapshot.effects:
        if effect.occurred_at < since or effect.effect not in WITHDRAWAL_EFFECTS:
            continue
        before = [u.taken_at for u in snapshot.uses if u.taken_at <= effect.occurred_at]
        if not before or effect.occurred_at - max(before) < gap:
            continue
        last = max(before)
        use_days = {snapshot.day(t) for t in before if t > last - lookback}
        if len(use_days) < spec.param("min_use_days"):
            continue
        hours = (effect.occurred_at - last).total_seconds() / 3600
        because = (
            f"You logged '{effect.label}' (severity {effect.severity}/10) on "
            f"{snapshot.local(effect.occurred_at)}, {hours:.0f} hours after your last logged use "
            f"({snapshot.local(last)}), after use on {len(use_days)} of the "
            f"{spec.param('lookback_days'):g} days before."
        )
        key = effect.occurred_at.isoformat()
        alerts.append(make_alert(spec, snapshot, because, key, effect.occurred_at))
    return alerts
