"""Request bodies of the REST API. Responses are the domain dataclasses themselves.

These models only shape and type the JSON; every rule (ranges, times, units) is the domain's, so
the API, the pages and the CLI refuse exactly the same things.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mitra.domain.journal import Effect, Schedule, SubstanceKind
from mitra.domain.products import ProductForm, ServingUnit

Text = Field(default="", max_length=2000)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def values(self) -> dict[str, Any]:
        return self.model_dump()


class ProductIn(Body):
    name: str = Field(max_length=200)
    form: ProductForm
    vendor: str = Field(default="", max_length=200)
    mitragynine_mg_per_g: float | None = None
    mitragynine_mg_per_unit: float | None = None
    seven_oh_mg_per_unit: float | None = None
    serving_unit: ServingUnit | None = None
    custom_units: dict[str, float] = Field(
        default_factory=dict, description="Custom unit name -> grams in one unit."
    )
    lot: str = Field(default="", max_length=200)
    coa_url: str = Field(default="", max_length=500)
    notes: str = Text

    def values(self) -> dict[str, Any]:
        data = self.model_dump()
        data["custom_units"] = tuple(self.custom_units.items())
        return data


class UseIn(Body):
    product_id: int
    amount: float
    unit: str = Field(max_length=30)
    taken_at: datetime | None = Field(default=None, description="With offset; default now.")
    tz: str | None = Field(default=None, description="IANA zone; default the journal's zone.")
    note: str = Text
    client_id: str | None = Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="An id the client made (e.g. a UUID) for an entry queued offline: a "
        "repeat with the same id answers with the entry already stored, never a second copy.",
    )


class CheckInIn(Body):
    mood: int | None = None
    anxiety: int | None = None
    pain: int | None = None
    sleep: int | None = None
    craving: int | None = None
    recorded_at: datetime | None = None
    tz: str | None = None
    note: str = Text
    client_id: str | None = Field(
        default=None,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="An id the client made (e.g. a UUID) for an entry queued offline: a "
        "repeat with the same id answers with the entry already stored, never a second copy.",
    )


class MedicationIn(Body):
    name: str = Field(max_length=200)
    kind: SubstanceKind = SubstanceKind.MEDICATION
    dose_text: str = Field(default="", max_length=200)
    schedule: Schedule = Schedule.SCHEDULED
    started_on: date | None = None
    stopped_on: date | None = None
    note: str = Text


class EffectIn(Body):
    effect: Effect
    severity: int
    other_text: str = Field(default="", max_length=200)
    occurred_at: datetime | None = None
    tz: str | None = None
    note: str = Text


class VitalIn(Body):
    heart_rate: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    measured_at: datetime | None = None
    tz: str | None = None
    note: str = Text
