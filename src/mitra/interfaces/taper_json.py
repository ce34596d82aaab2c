"""One JSON shape per taper use case, shared by the API and `mitra taper ... --json`."""

from __future__ import annotations

from typing import Any

from mitra.adapters.knowledge.taper import Sourced, TaperKnowledge
from mitra.domain.taper import Baseline, Dated, Event, Pace, Reason
from mitra.interfaces.serialize import to_jsonable
from mitra.services.taper import PlanView, Preview, Today


def pace_json(pace: Pace) -> dict[str, Any]:
    return {
        "id": pace.id,
        "name": pace.name,
        "kind": pace.kind.value,
        "percent": pace.percent,
        "grams": pace.grams,
        "every_days": pace.every_days,
        "ceiling_percent": pace.ceiling_percent,
        "summary": pace.summary,
        "sources": list(pace.sources),
    }


def sourced_json(item: Sourced) -> dict[str, Any]:
    return {
        "id": item.id or None,
        "title": item.title,
        "text": item.text,
        "sources": list(item.sources),
    }


def knowledge_json(facts: TaperKnowledge) -> dict[str, Any]:
    return {
        "as_of": facts.as_of.isoformat(),
        "paces": [pace_json(p) for p in facts.paces],
        "frequency": sourced_json(facts.frequency),
        "custom": to_jsonable(facts.custom),
        "holds": {**to_jsonable(facts.holds), "logic": facts.hold_logic},
        "escalation": {**to_jsonable(facts.escalation), "logic": facts.escalation_logic},
        "measures": {**to_jsonable(facts.measures), "after_zero_days": facts.after_zero_days},
        "positions": [sourced_json(p) for p in facts.positions],
        "treatments": [sourced_json(t) for t in facts.treatments],
    }


def baseline_json(base: Baseline) -> dict[str, Any]:
    out: dict[str, Any] = to_jsonable(base)
    out["has_seven_oh"] = base.has_seven_oh
    return out


def steps_json(dated: list[Dated]) -> list[dict[str, Any]]:
    return [
        {
            "index": d.step.index,
            "grams": d.step.grams,
            "doses": d.step.doses,
            "kind": d.step.kind.value,
            "starts": d.starts.isoformat() if d.starts else None,
        }
        for d in dated
    ]


def reasons_json(reasons: list[Reason]) -> list[dict[str, Any]]:
    return [
        {"rule": r.rule, "because": r.because, "at": r.at.isoformat() if r.at else None}
        for r in reasons
    ]


def event_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = to_jsonable(event)
    return out


def preview_json(shown: Preview) -> dict[str, Any]:
    return {
        "baseline": baseline_json(shown.baseline),
        "pace": pace_json(shown.design.pace),
        "unit": shown.design.measure.unit,
        "capsules": shown.design.measure.capsules,
        "axis": shown.design.axis.value,
        "weeks": shown.weeks,
        "steps": steps_json(shown.dated),
        "escalations": reasons_json(shown.escalations),
    }


def plan_json(view: PlanView) -> dict[str, Any]:
    where = view.where
    return {
        "id": view.id,
        "state": where.state.value,
        "created_at": view.plan.created_at.isoformat(),
        "baseline": baseline_json(view.plan.baseline),
        "pace": pace_json(view.plan.design.pace),
        "every_days": where.every_days,
        "unit": view.plan.design.measure.unit,
        "capsules": view.plan.design.measure.capsules,
        "axis": view.plan.design.axis.value,
        "step": {"index": view.step.index, "grams": view.step.grams, "doses": view.step.doses},
        "since": where.since.isoformat() if where.since else None,
        "next_change": (n.isoformat() if (n := where.next_change()) else None),
        "holds_without_progress": where.holds_without_progress,
        "zero_since": where.zero_since.isoformat() if where.zero_since else None,
        "after_zero_until": (u.isoformat() if (u := view.after_zero_until) else None),
        "agreed": event_json(where.agreed) if where.agreed else None,
        "steps": steps_json(view.dated),
        "events": [event_json(e) for e in view.events],
        "escalations": reasons_json(view.escalations),
    }


def today_json(now: Today) -> dict[str, Any]:
    return {
        "plan_id": now.view.id,
        "state": now.view.where.state.value,
        "target": {"grams": now.target.grams, "doses": now.target.doses},
        "logged": {"grams_leaf": now.logged.grams_leaf, "doses": now.logged.doses},
        "over_target": now.over_target,
        "next_change": (n.isoformat() if (n := now.view.where.next_change()) else None),
    }
