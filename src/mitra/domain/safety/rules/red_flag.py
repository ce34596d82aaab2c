"""red_flag.*: signs that need prompt medical care.

Symptoms are read from the adverse effects logged: their kind and severity, and for 'other' the
effect's own name (never the free-text note). Vital signs are compared with sourced thresholds.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from mitra.domain.journal import AdverseEffect, Effect
from mitra.domain.safety.lexicon import lookup
from mitra.domain.safety.model import Alert, Rules, RuleSpec, Snapshot, make_alert

NAMED = ("red_flag.liver", "red_flag.seizure", "red_flag.fainting", "red_flag.chest_pain")


def evaluate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    for rule_id in NAMED:
        spec = rules.spec(rule_id)
        if spec is not None:
            alerts += [
                _effect_alert(spec, snapshot, e)
                for e in _recent_effects(snapshot, spec, now)
                if _names_any(e, spec.terms)
            ]
    alerts += _constipation(snapshot, rules, now)
    alerts += _overdose(snapshot, rules, now)
    alerts += _heart_rate(snapshot, rules, now)
    alerts += _blood_pressure(snapshot, rules, now)
    return alerts


def _recent_effects(snapshot: Snapshot, spec: RuleSpec, now: datetime) -> list[AdverseEffect]:
    since = now - timedelta(days=spec.param("window_days"))
    return [e for e in snapshot.effects if e.occurred_at >= since]


def _names_any(effect: AdverseEffect, terms: tuple[str, ...]) -> bool:
    name = effect.other_text.casefold() if effect.effect is Effect.OTHER else ""
    return any(re.search(rf"\b{re.escape(term)}", name) for term in terms)


def _effect_alert(spec: RuleSpec, snapshot: Snapshot, effect: AdverseEffect) -> Alert:
    because = (
        f"You logged '{effect.label}' (severity {effect.severity}/10) on "
        f"{snapshot.local(effect.occurred_at)}."
    )
    return make_alert(spec, snapshot, because, effect.occurred_at.isoformat(), effect.occurred_at)


def _constipation(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("red_flag.constipation")
    if spec is None:
        return []
    return [
        _effect_alert(spec, snapshot, e)
        for e in _recent_effects(snapshot, spec, now)
        if e.effect is Effect.CONSTIPATION and e.severity >= spec.param("min_severity")
    ]


def _overdose(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    """Overdose signs while a depressant is on the medication list."""
    spec = rules.spec("red_flag.overdose")
    if spec is None:
        return []
    today = snapshot.day(now)
    depressants = sorted(
        med.name
        for med in snapshot.medications
        if med.is_current(today)
        and (match := lookup(med.name, rules.lexicon)) is not None
        and set(match.classes) & set(spec.classes)
    )
    if not depressants:
        return []
    alerts = []
    for effect in _recent_effects(snapshot, spec, now):
        severe_dizziness = effect.effect is Effect.DIZZINESS and effect.severity >= spec.param(
            "min_severity"
        )
        if severe_dizziness or _names_any(effect, spec.terms):
            alert = _effect_alert(spec, snapshot, effect)
            because = f"{alert.because} You also take {', '.join(depressants)}."
            alerts.append(
                make_alert(spec, snapshot, because, alert.key.split(":", 1)[1], alert.evidence_at)
            )
    return alerts


def _heart_rate(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("red_flag.heart_rate")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    limit = spec.param("above_bpm")
    high = sorted(
        (v for v in snapshot.vitals if v.measured_at >= since and (v.heart_rate or 0) > limit),
        key=lambda v: v.measured_at,
    )
    if not high:
        return []
    readings = "; ".join(f"{v.heart_rate} bpm on {snapshot.local(v.measured_at)}" for v in high)
    because = f"Heart rate above {limit:g} beats per minute at rest: {readings}."
    return [make_alert(spec, snapshot, because, evidence_at=high[-1].measured_at)]


def _blood_pressure(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    spec = rules.spec("red_flag.blood_pressure")
    if spec is None:
        return []
    since = now - timedelta(days=spec.param("window_days"))
    top, bottom = spec.param("systolic_at_least"), spec.param("diastolic_at_least")
    high = sorted(
        (
            v
            for v in snapshot.vitals
            if v.measured_at >= since and ((v.systolic or 0) >= top or (v.diastolic or 0) >= bottom)
        ),
        key=lambda v: v.measured_at,
    )
    if not high:
        return []
    readings = "; ".join(
        f"{v.systolic}/{v.diastolic} mm Hg on {snapshot.local(v.measured_at)}" for v in high
    )
    because = f"Blood pressure at or above {top:g}/{bottom:g} mm Hg: {readings}."
    return [make_alert(spec, snapshot, because, evidence_at=high[-1].measured_at)]
