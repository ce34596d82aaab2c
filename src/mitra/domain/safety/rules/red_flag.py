"""red_flag.*: signs that need prompt medical care.

Symptoms are read from the adverse effects logged: their kind and severity, and for 'other' the
effect's own name (never the free-text note), matched as whole words in everyday wording ('had a
fit', "can't breathe", 'passed out'; never 'fit' inside 'benefit'). Every built-in effect kind
feeds a rule: nausea, sweating and insomnia the withdrawal rule, dizziness the overdose rule,
constipation, itching and palpitations their own. Vital signs are compared with sourced thresholds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mitra.domain.journal import AdverseEffect, Effect
from mitra.domain.safety.lexicon import lookup, mentions
from mitra.domain.safety.model import Alert, Rules, RuleSpec, Snapshot, make_alert

READS = frozenset({"effects", "medications", "vitals"})  # journal parts read (test_inputs.py)

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
    alerts += _severe(snapshot, rules, now, "red_flag.constipation", Effect.CONSTIPATION)
    alerts += _severe(snapshot, rules, now, "red_flag.itching", Effect.ITCHING)
    alerts += _palpitations(snapshot, rules, now)
    alerts += _overdose(snapshot, rules, now)
    alerts += _heart_rate(snapshot, rules, now)
    alerts += _blood_pressure(snapshot, rules, now)
    return alerts


def _recent_effects(snapshot: Snapshot, spec: RuleSpec, now: datetime) -> list[AdverseEffect]:
    since = now - timedelta(days=spec.param("window_days"))
    return [e for e in snapshot.effects if e.occurred_at >= since]


def _names_any(effect: AdverseEffect, terms: tuple[str, ...]) -> bool:
    return effect.effect is Effect.OTHER and mentions(effect.other_text, terms)


def _current_in(
    snapshot: Snapshot, rules: Rules, classes: tuple[str, ...], now: datetime
) -> list[str]:
    """Names of current medications in any of the classes, sorted."""
    today = snapshot.day(now)
    return sorted(
        med.name
        for med in snapshot.medications
        if med.is_current(today)
        and (match := lookup(med.name, rules.lexicon)) is not None
        and set(match.classes) & set(classes)
    )


def _effect_alert(
    spec: RuleSpec, snapshot: Snapshot, effect: AdverseEffect, also_taken: list[str] | None = None
) -> Alert:
    because = (
        f"You logged '{effect.label}' (severity {effect.severity}/10) on "
        f"{snapshot.local(effect.occurred_at)}."
    )
    if also_taken:
        because += f" You also take {', '.join(also_taken)}."
    return make_alert(spec, snapshot, because, effect.occurred_at.isoformat(), effect.occurred_at)


def _severe(
    snapshot: Snapshot, rules: Rules, now: datetime, rule_id: str, kind: Effect
) -> list[Alert]:
    """An effect of one kind rated at or above the rule's `min_severity`."""
    spec = rules.spec(rule_id)
    if spec is None:
        return []
    return [
        _effect_alert(spec, snapshot, e)
        for e in _recent_effects(snapshot, spec, now)
        if e.effect is kind and e.severity >= spec.param("min_severity")
    ]


def _palpitations(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    """Palpitations rated at or above `min_severity`, or at any severity while a medicine of the
    rule's classes (heart-rhythm, stimulant) is current."""
    spec = rules.spec("red_flag.palpitations")
    if spec is None:
        return []
    with_meds = _current_in(snapshot, rules, spec.classes, now)
    alerts = []
    for effect in _recent_effects(snapshot, spec, now):
        if effect.effect is not Effect.PALPITATIONS:
            continue
        if with_meds:
            alerts.append(_effect_alert(spec, snapshot, effect, with_meds))
        elif effect.severity >= spec.param("min_severity"):
            alerts.append(_effect_alert(spec, snapshot, effect))
    return alerts


def _overdose(snapshot: Snapshot, rules: Rules, now: datetime) -> list[Alert]:
    """Overdose signs while a depressant is on the medication list."""
    spec = rules.spec("red_flag.overdose")
    if spec is None:
        return []
    depressants = _current_in(snapshot, rules, spec.classes, now)
    if not depressants:
        return []
    alerts = []
    for effect in _recent_effects(snapshot, spec, now):
        severe_dizziness = effect.effect is Effect.DIZZINESS and effect.severity >= spec.param(
            "min_severity"
        )
        if severe_dizziness or _names_any(effect, spec.terms):
            alerts.append(_effect_alert(spec, snapshot, effect, depressants))
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
