"""/api/v1/taper: paces with sources, the baseline, a preview, plans and their events, today's
target and the escalation help (issue 19). The same services and JSON shapes as `mitra taper`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mitra.interfaces.taper_json import (
    baseline_json,
    knowledge_json,
    plan_json,
    preview_json,
    sourced_json,
    today_json,
)
from mitra.interfaces.web.deps import MitraDep
from mitra.services import taper

router = APIRouter(prefix="/taper", tags=["Taper"])


class ChoiceIn(BaseModel):
    """A pace (a published id or "custom") and the person's measure; shape only, the rules are
    the services'."""

    pace: str = Field(description="A published pace id (GET /taper/paces) or 'custom'.")
    unit: float = Field(0.1, description="Scale precision in g, or one capsule's grams.")
    capsules: bool = False
    axis: str = Field("amount_first", description="amount_first or frequency_first.")
    min_doses: int = 1
    stop_from: float | None = None
    percent: float | None = Field(None, description="Custom pace: % of the current amount.")
    grams: float | None = Field(None, description="Custom pace: grams per step.")
    every_days: int | None = Field(None, description="Custom pace: days per step.")

    def choice(self) -> taper.Choice:
        return taper.Choice(
            pace_id=self.pace,
            unit=self.unit,
            capsules=self.capsules,
            axis=self.axis,
            min_doses=self.min_doses,
            stop_from=self.stop_from,
            percent=self.percent,
            grams=self.grams,
            every_days=self.every_days,
        )


class EventIn(BaseModel):
    action: str = Field(
        description="start, hold, resume, slower, step_back, stop, complete, agree or relapse."
    )
    by: str = Field("person", description="person or clinician.")
    why: str = ""
    every_days: int | None = Field(None, description="slower: the new, longer days per step.")
    clinician: str = Field("", description="agree: the clinician's name.")
    agreed_on: date | None = Field(None, description="agree: the date agreed.")


@router.get("/paces")
def read_paces() -> Any:
    """The published paces with their sources, custom limits, hold and escalation rules."""
    return knowledge_json(taper.knowledge())


@router.get("/baseline", responses={422: {"description": "Too little log for a baseline"}})
def read_baseline(mitra: MitraDep) -> Any:
    """The median of the last 14 whole days of the person's own log, with its spread."""
    return baseline_json(taper.read_baseline(mitra))


@router.post("/preview", responses={422: {"description": "No baseline, or a refused choice"}})
def preview_plan(mitra: MitraDep, body: ChoiceIn) -> Any:
    """The steps a pace would make from the baseline, dated from today; nothing is saved."""
    return preview_json(taper.preview(mitra, body.choice()))


@router.post("/plans", status_code=201, responses={409: {"description": "A plan is open"}})
def create_plan(mitra: MitraDep, body: ChoiceIn) -> Any:
    """Save a draft plan (409 while another plan is open)."""
    return plan_json(taper.create(mitra, body.choice()))


@router.get("/plans")
def read_plans(mitra: MitraDep) -> Any:
    """Every plan, newest first."""
    return [plan_json(v) for v in taper.list_plans(mitra)]


@router.get("/plans/current")
def read_current(mitra: MitraDep) -> Any:
    """The open plan (null when none), held first when a score says so."""
    view = taper.current(mitra)
    return plan_json(view) if view else None


@router.get("/plans/{plan_id}", responses={404: {"description": "No such plan"}})
def read_plan(mitra: MitraDep, plan_id: int) -> Any:
    return plan_json(taper.get(mitra, plan_id))


@router.post(
    "/plans/{plan_id}/events",
    responses={
        404: {"description": "No such plan"},
        409: {"description": "The plan's state does not allow it"},
    },
)
def record_event(mitra: MitraDep, plan_id: int, body: EventIn) -> Any:
    """Record one change with who and why; refused (409) when the plan's state does not allow
    it, and (422) when 'slower' is not slower."""
    view = taper.act(
        mitra,
        plan_id,
        body.action,
        by=body.by,
        why=body.why,
        every_days=body.every_days,
        clinician=body.clinician,
        agreed_on=body.agreed_on,
    )
    return plan_json(view)


class RelapseIn(BaseModel):
    note: str = Field("", description="Optional, kept with the record.")
    by: str = Field("person", description="person or clinician.")


@router.post(
    "/relapse",
    responses={404: {"description": "No plan under way or completed"}},
)
def record_relapse(mitra: MitraDep, body: RelapseIn) -> Any:
    """Record "I used again" on the plan under way or the latest completed one, with who and
    when; the plan pauses at the last tolerated step until the person resumes it."""
    return plan_json(taper.relapse(mitra, note=body.note, by=body.by))


@router.get("/today")
def read_today(mitra: MitraDep) -> Any:
    """Today's target and what was logged so far (null when no plan is under way)."""
    now = taper.today(mitra)
    return today_json(now) if now else None


@router.get("/help")
def read_help() -> Any:
    """When a self-taper is not enough: treatment options with sources, never a dose."""
    return [sourced_json(t) for t in taper.treatments()]
