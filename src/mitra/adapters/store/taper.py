"""Reading and writing taper plans and their events (tables `taper_plans`, `taper_events`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.adapters.store.repositories import check_id
from mitra.domain.taper import (
    Actor,
    Axis,
    Baseline,
    Design,
    Event,
    EventKind,
    Measure,
    Pace,
    PaceKind,
    Plan,
    Spread,
)
from mitra.errors import NotFoundError


def _spread(value: Any) -> Spread | None:
    return Spread(**value) if isinstance(value, dict) else None


def add_plan(conn: Connection, plan: Plan) -> Plan:
    design, base, pace = plan.design, plan.baseline, plan.design.pace
    row = {
        "created_at": plan.created_at,
        "tz": plan.tz,
        "pace_id": pace.id,
        "pace_name": pace.name,
        "pace_kind": pace.kind.value,
        "percent": pace.percent,
        "grams": pace.grams,
        "every_days": pace.every_days,
        "ceiling_percent": pace.ceiling_percent,
        "unit": design.measure.unit,
        "capsules": design.measure.capsules,
        "axis": design.axis.value,
        "min_doses": design.min_doses,
        "stop_from": design.stop_from,
        "baseline_grams": design.baseline_grams,
        "baseline_doses": design.baseline_doses,
        "baseline_mg": base.mg_mitragynine,
        "baseline_first": base.first,
        "baseline_last": base.last,
        "baseline_detail": {
            "days_known": base.days_known,
            "grams": base.grams,
            "grams_spread": asdict(base.grams_spread) if base.grams_spread else None,
            "doses_spread": asdict(base.doses_spread) if base.doses_spread else None,
            "seven_oh_days": base.seven_oh_days,
            "other_days": base.other_days,
            "notes": list(base.notes),
            "pace_summary": pace.summary,
            "pace_sources": list(pace.sources),
        },
    }
    new_id = conn.execute(sa.insert(t.taper_plans).values(row)).inserted_primary_key
    assert new_id is not None
    return get_plan(conn, int(new_id[0]))


def _plan(row: Any) -> Plan:
    detail = row["baseline_detail"]
    pace = Pace(
        id=row["pace_id"],
        name=row["pace_name"],
        kind=PaceKind(row["pace_kind"]),
        every_days=row["every_days"],
        ceiling_percent=row["ceiling_percent"],
        percent=row["percent"],
        grams=row["grams"],
        summary=detail.get("pace_summary", ""),
        sources=tuple(detail.get("pace_sources", ())),
    )
    design = Design(
        baseline_grams=row["baseline_grams"],
        baseline_doses=row["baseline_doses"],
        pace=pace,
        measure=Measure(row["unit"], bool(row["capsules"])),
        axis=Axis(row["axis"]),
        min_doses=row["min_doses"],
        stop_from=row["stop_from"],
    )
    base = Baseline(
        first=row["baseline_first"],
        last=row["baseline_last"],
        days_known=detail["days_known"],
        grams=detail["grams"],
        grams_spread=_spread(detail["grams_spread"]),
        doses=row["baseline_doses"],
        doses_spread=_spread(detail["doses_spread"]),
        mg_mitragynine=row["baseline_mg"],
        seven_oh_days=detail["seven_oh_days"],
        other_days=detail["other_days"],
        notes=tuple(detail["notes"]),
    )
    return Plan(design, base, row["created_at"], row["tz"], row["id"])


def get_plan(conn: Connection, plan_id: int) -> Plan:
    check_id(plan_id, "taper plan")
    row = (
        conn.execute(sa.select(t.taper_plans).where(t.taper_plans.c.id == plan_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(f"no taper plan {plan_id}")
    return _plan(row)


def list_plans(conn: Connection) -> list[Plan]:
    """Every plan, newest first."""
    query = sa.select(t.taper_plans).order_by(t.taper_plans.c.id.desc())
    return [_plan(row) for row in conn.execute(query).mappings()]


def add_event(conn: Connection, plan_id: int, event: Event) -> None:
    conn.execute(
        sa.insert(t.taper_events).values(
            plan_id=plan_id,
            kind=event.kind.value,
            at=event.at,
            by=event.by.value,
            why=event.why,
            every_days=event.every_days,
            clinician=event.clinician,
            agreed_on=event.agreed_on,
            step_index=event.index,
        )
    )


def events(conn: Connection, plan_id: int) -> list[Event]:
    """A plan's events, oldest first."""
    query = (
        sa.select(t.taper_events)
        .where(t.taper_events.c.plan_id == plan_id)
        .order_by(t.taper_events.c.at, t.taper_events.c.id)
    )
    return [
        Event(
            kind=EventKind(row["kind"]),
            at=row["at"],
            by=Actor(row["by"]),
            why=row["why"],
            every_days=row["every_days"],
            clinician=row["clinician"],
            agreed_on=row["agreed_on"],
            index=row["step_index"],
        )
        for row in conn.execute(query).mappings()
    ]
