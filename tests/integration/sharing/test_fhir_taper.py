"""The FHIR bundle's taper plan (issue 19): a Goal (none a day, by the last step) and a CarePlan
whose activities are the steps from the current one, with holds and the clinician's agreement as
notes; both validated by fhir.resources' R4B models."""

from __future__ import annotations

from datetime import date
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from tests.integration.services.test_taper_service import seed

from mitra.services import fhir, taper
from mitra.services.context import Mitra


def of(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def test_a_held_agreed_plan_is_a_care_plan_with_its_goal(mitra: Mitra) -> None:
    seed(mitra)
    plan = taper.create(mitra, taper.Choice("cdc-monthly"))
    taper.act(mitra, plan.id, "start")
    taper.act(mitra, plan.id, "agree", clinician="Dr Rao", agreed_on=date(2026, 11, 24))
    taper.act(mitra, plan.id, "hold", why="a hard week")
    document = fhir.bundle(mitra)
    (goal,) = of(document, "Goal")
    (care_plan,) = of(document, "CarePlan")
    for resource in (goal, care_plan):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert goal["lifecycleStatus"] == "on-hold"
    assert goal["description"]["text"] == (
        "Reduce kratom leaf from 6 g a day (3 doses) to none: "
        "10 % of the current amount every 30 days"
    )
    assert goal["target"][0]["detailQuantity"] == {
        "value": 0.0,
        "unit": "g",
        "system": "http://unitsofmeasure.org",
        "code": "g",
    }
    assert care_plan["status"] == "on-hold" and care_plan["intent"] == "plan"
    assert care_plan["goal"] == [{"reference": f"urn:uuid:{goal['id']}"}]
    assert care_plan["period"] == {"start": "2026-11-25"}
    first, second = care_plan["activity"][:2]
    assert first["detail"]["status"] == "in-progress"
    assert first["detail"]["description"] == "6 g of leaf a day in 3 dose(s)"
    assert second["detail"]["scheduledString"] == "from 2026-12-25"
    assert [n["text"] for n in care_plan["note"]] == [
        "Held by person: a hard week",
        "Agreed with clinician Dr Rao on 2026-11-24",
    ]
    get_fhir_model_class("Bundle").model_validate(document)
