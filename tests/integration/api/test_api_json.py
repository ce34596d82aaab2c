"""The entry routes write their JSON directly (serialize.api_json) instead of validating our own
dataclasses against `response_model` (issue 16): the documents must be the ones pydantic wrote,
for every kind, and the OpenAPI schema must still describe each response by its model."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from mitra.domain.journal import Medication, SubstanceKind, Vital
from mitra.interfaces.serialize import api_json
from mitra.services import entries
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.services.registry import KINDS


def _pydantic(model: type[Any], value: Any) -> Any:
    return TypeAdapter(model).dump_python(value, mode="json")


def test_every_kind_of_a_demo_month_is_written_as_pydantic_wrote_it(mitra: Mitra) -> None:
    seed_demo(mitra, days=30, seed=3)
    entries.add(mitra, KINDS["medications"], Medication("Kava", SubstanceKind.SUBSTANCE))
    counted = {}
    for name, kind in KINDS.items():
        found = entries.list_all(mitra, kind)
        counted[name] = len(found)
        assert json.loads(api_json(found, kind.model)) == _pydantic(list[kind.model], found)  # type: ignore[name-defined]
        for entry in found[:5]:
            assert json.loads(api_json(entry, kind.model)) == _pydantic(kind.model, entry)
    assert all(counted.values()), counted  # every kind had entries to compare


def test_times_in_utc_end_in_z_and_local_ones_keep_their_offset() -> None:
    london = ZoneInfo("Europe/London")
    medicine = Medication("Kava", SubstanceKind.SUBSTANCE, started_on=date(2026, 2, 3), id=4)
    vitals = [
        Vital(datetime(2026, 11, 25, 12, 0, tzinfo=UTC), "UTC", 70, id=1),
        Vital(datetime(2026, 7, 1, 8, 30, 0, 5, tzinfo=london), "Europe/London", id=2),
    ]
    times = [v["measured_at"] for v in json.loads(api_json(vitals, Vital))]
    assert times == ["2026-11-25T12:00:00Z", "2026-07-01T08:30:00.000005+01:00"]
    document = json.loads(api_json(medicine, Medication))
    assert (document["kind"], document["started_on"], document["stopped_on"]) == (
        "substance",
        "2026-02-03",
        None,
    )


@pytest.mark.parametrize("name", list(KINDS))
def test_the_openapi_schema_still_describes_each_response_by_its_model(
    client: TestClient, name: str
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ref = {"$ref": f"#/components/schemas/{KINDS[name].model.__name__}"}

    def schema(path: str, method: str, status: str) -> Any:
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    assert schema(f"/api/v1/{name}", "get", "200")["items"] == ref
    assert schema(f"/api/v1/{name}", "post", "201") == ref
    assert schema(f"/api/v1/{name}/{{entry_id}}", "get", "200") == ref
    assert schema(f"/api/v1/{name}/{{entry_id}}", "put", "200") == ref


def test_a_created_check_in_answers_201_json_and_its_etag_on_read(client: TestClient) -> None:
    created = client.post("/api/v1/checkins", json={"mood": 5, "anxiety": 3, "note": "ok"})
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"
    body = created.json()
    assert (body["mood"], body["anxiety"], body["pain"], body["note"]) == (5, 3, None, "ok")
    read = client.get(f"/api/v1/checkins/{body['id']}")
    assert (read.json(), read.headers["ETag"]) == (body, '"1"')
    replaced = client.put(
        f"/api/v1/checkins/{body['id']}", json={"mood": 6}, headers={"If-Match": '"1"'}
    )
    assert (replaced.json()["mood"], replaced.headers["ETag"]) == (6, '"2"')
