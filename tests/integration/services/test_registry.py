"""#16: each kind of entry is declared once, in the registry, and every other place derives from it.

(a) The six tables that used to describe the kinds (forms FIELDS/DEFAULTS, entries KINDS, the
    journal's `_build`, the API's ROUTES, HISTORY_KINDS, the import CHECKERS) are gone or derived.
(b) A toy kind, registered in the test with its own table in the real store, appears in the form,
    the API, the CLI, the history, export and import without any other edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.conftest import NOW, ZONE, signed_in
from typer.testing import CliRunner

from mitra.adapters.store.engine import Store, build_engine
from mitra.adapters.store.migrate import migrate
from mitra.adapters.store.repositories import Repository, RowMap
from mitra.adapters.store.tables import UTCDateTime
from mitra.domain.checks import MAX_NOTE, check_rating, check_text, check_time, check_zone
from mitra.domain.fields import FieldSpec
from mitra.errors import InvalidInputError, Problems
from mitra.interfaces import forms
from mitra.interfaces.cli.app import make_app
from mitra.interfaces.web.api.v1 import entries as api_entries
from mitra.interfaces.web.api.v1.schemas import body_for
from mitra.interfaces.web.app import create_app
from mitra.services import entries, exports, history, import_checks, imports, journal, registry
from mitra.services.context import Mitra
from mitra.settings import Settings, load_settings

# --- (a) the former tables' roles, each derived from the registry ----


def test_the_six_former_tables_are_gone_from_their_modules() -> None:
    from mitra.domain import history as domain_history

    assert not hasattr(forms, "FIELDS") and not hasattr(forms, "DEFAULTS")
    assert not hasattr(journal, "_build") and not hasattr(journal, "save_entry")
    assert not hasattr(api_entries, "ROUTES")
    assert not hasattr(domain_history, "HISTORY_KINDS")
    assert entries.KINDS is registry.KINDS  # the generic use cases read the registry itself
    assert set(import_checks.CHECKERS) == {"preferences", "questionnaire_responses", "activity"}


def test_the_registry_holds_the_six_kinds_under_one_name_each() -> None:
    assert list(registry.KINDS) == [
        "products",
        "uses",
        "checkins",
        "medications",
        "effects",
        "vitals",
    ]
    tables = {name: kind.table for name, kind in registry.KINDS.items()}
    assert tables == {  # the stored (and exported) names stay as they were
        "products": "products",
        "uses": "use_events",
        "checkins": "checkins",
        "medications": "medications",
        "effects": "adverse_effects",
        "vitals": "vitals",
    }


@pytest.mark.parametrize("name", list(registry.KINDS))
def test_every_role_of_a_kind_is_derived_from_its_registry_entry(name: str) -> None:
    kind = registry.KINDS[name]
    # forms: the fields and defaults are the registry's objects
    assert forms.fields_for(name) is kind.fields
    assert forms.defaults_for(name) == dict(kind.defaults)
    # API: one body property per field (plus tz for a timed kind and client_id for a kind a
    # phone queues offline, #17), text capped at MAX_*
    schema = body_for(kind).model_json_schema()
    expected = [f.name for f in kind.fields] + (["tz"] if kind.time_field else [])
    expected += ["client_id"] if kind.offline else []
    assert list(schema["properties"]) == expected
    for spec in kind.fields:
        if spec.max_length:
            assert schema["properties"][spec.name]["maxLength"] == spec.max_length
    required = sorted(f.name for f in kind.fields if f.required)
    assert sorted(schema.get("required", [])) == required
    # history: exactly the timed kinds with a history line
    assert (name in registry.history_kinds()) == (kind.describe is not None)
    # imports: the kind's table goes through the kind's own check
    checker = import_checks.checker_for(kind.table)
    assert checker is not None and checker.__self__ is kind  # type: ignore[attr-defined]
    assert kind.repository.table in registry.stored_tables()


def test_the_api_has_five_routes_for_every_registered_kind(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in registry.KINDS:
        assert set(paths[f"/api/v1/{name}"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{name}/{{entry_id}}"]) == {"get", "put", "delete"}


def test_text_limits_come_from_the_domain_constants(client: TestClient) -> None:
    too_long = {"name": "x" * 201, "form": "leaf_powder"}
    answer = client.post("/api/v1/products", json=too_long)
    assert answer.status_code == 422
    note = {"mood": 5, "note": "n" * (MAX_NOTE + 1)}
    assert client.post("/api/v1/checkins", json=note).status_code == 422


# --- (b) a toy kind: glasses of water ----


@dataclass(frozen=True)
class Water:
    drunk_at: datetime
    tz: str
    glasses: int
    note: str = ""
    id: int | None = None


def check_water(water: Water, now: datetime) -> None:
    problems = Problems()
    check_time(water.drunk_at, now, problems, "drunk_at")
    check_zone(water.tz, problems)
    check_rating(water.glasses, problems, "glasses", top=20)
    check_text(water.note, MAX_NOTE, problems, "note")
    problems.raise_if_any()


def describe_water(water: Water, _products: Any) -> tuple[str, str]:
    return "Water", f"{water.glasses} glass(es)"


TOY_METADATA = sa.MetaData()
WATERS = sa.Table(
    "waters",
    TOY_METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("drunk_at", UTCDateTime, nullable=False),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("glasses", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)


def _water_from_row(row: RowMap) -> Water:
    return Water(row["drunk_at"], row["tz"], row["glasses"], row["note"], row["id"])


WATER: registry.Kind[Water] = registry.Kind(
    "waters",
    "Glasses of water",
    Water,
    (
        FieldSpec("glasses", "Glasses of water", "int", required=True, low=0, high=20),
        FieldSpec("drunk_at", "When", "datetime"),
        FieldSpec("note", "Note (optional)", "note", max_length=MAX_NOTE),
    ),
    Repository(WATERS, "water", _water_from_row, order_by="drunk_at"),
    check_water,
    time_field="drunk_at",
    describe=describe_water,
)


def _journal(tmp_path: Path, name: str) -> tuple[Settings, Mitra]:
    settings = load_settings(
        data_dir=tmp_path / name, timezone=ZONE, database_url=f"sqlite:///{tmp_path / name}.db"
    )
    engine = build_engine(settings.resolved_database_url)
    migrate(engine)
    TOY_METADATA.create_all(engine)
    return settings, Mitra(Store(engine), settings, lambda: NOW)


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[tuple[Settings, Mitra]]:
    settings, mitra = _journal(tmp_path, "toy")
    with registry.registered(WATER):
        yield settings, mitra
    mitra.close()


def test_a_new_kind_appears_in_the_web_form_and_its_list(toy: tuple[Settings, Mitra]) -> None:
    settings, mitra = toy
    with TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000") as raw:
        client = signed_in(raw)
        form = client.get("/waters/new")
        assert form.status_code == 200
        assert "Glasses of water" in form.text and 'name="glasses"' in form.text
        bad = client.post("/waters/new", data={"glasses": "25"})
        assert bad.status_code == 422 and "must be between 0 and 10" not in bad.text
        assert "glasses" in bad.text
        saved = client.post("/waters/new", data={"glasses": "3"}, follow_redirects=False)
        assert saved.status_code == 303
        assert saved.headers["location"] == "/history?kind=waters&saved=1"
        page = client.get("/history?kind=waters")
        assert "3 glass(es)" in page.text


def test_a_new_kind_appears_in_the_api(toy: tuple[Settings, Mitra]) -> None:
    settings, mitra = toy
    with TestClient(create_app(settings, mitra), base_url="http://127.0.0.1:8000") as raw:
        client = signed_in(raw)
        created = client.post("/api/v1/waters", json={"glasses": 2, "note": "after a walk"})
        assert created.status_code == 201, created.text
        body = created.json()
        assert (body["glasses"], body["note"], body["tz"]) == (2, "after a walk", ZONE)
        assert client.post("/api/v1/waters", json={"glasses": 21}).status_code == 422
        assert client.post("/api/v1/waters", json={"cups": 1}).status_code == 422
        listed = client.get("/api/v1/waters").json()
        assert [w["glasses"] for w in listed] == [2]
        schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        assert list(schema["WaterIn"]["properties"]) == ["glasses", "drunk_at", "note", "tz"]
        days = client.get("/api/v1/history", params={"kind": "waters"}).json()
        assert [e["title"] for e in days[0]["entries"]] == ["Water"]


def test_a_new_kind_appears_in_the_cli(toy: tuple[Settings, Mitra]) -> None:
    settings, mitra = toy
    env = {
        "MITRA_DATABASE_URL": settings.resolved_database_url,
        "MITRA_TIMEZONE": ZONE,
        "MITRA_DATA_DIR": str(settings.data_dir),
    }

    def cli(*args: str) -> Any:
        return CliRunner().invoke(make_app(), list(args), env=env)

    added = cli("add", "waters", "--set", "glasses=4", "--set", "note=hot day")
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "Added waters #1."
    shown = cli("show", "waters", "1")
    assert "Glasses of water: 4" in shown.stdout and "Note (optional): hot day" in shown.stdout
    assert cli("edit", "waters", "1", "--set", "glasses=5").exit_code == 0
    listed = cli("history", "--kind", "waters")
    assert "Water — 5 glass(es)" in listed.stdout
    refused = cli("add", "waters", "--set", "glasses=30")
    assert refused.exit_code == 2 and "glasses" in refused.stderr
    assert cli("delete", "waters", "1", "--yes").exit_code == 0
    assert entries.list_all(mitra, WATER) == []


def test_a_new_kind_is_exported_and_imported_through_its_own_check(
    toy: tuple[Settings, Mitra], tmp_path: Path
) -> None:
    _, mitra = toy
    entries.save(mitra, WATER, {"glasses": 6, "drunk_at": NOW - timedelta(hours=2)})
    entries.save(mitra, "vitals", {"heart_rate": 70})
    text, counts = exports.json_text(mitra)
    assert (counts["waters"], counts["vitals"]) == (1, 1)
    assert history.history(mitra, days=1, kinds=["waters"])[0].entries[0].detail == "6 glass(es)"

    _, other = _journal(tmp_path, "other")
    done = imports.import_bytes(other, text.encode())
    assert (done.counts["waters"], done.counts["vitals"]) == (1, 1)
    back = entries.list_all(other, WATER)
    assert [(w.glasses, w.drunk_at) for w in back] == [(6, NOW - timedelta(hours=2))]

    # a bad row of the new kind is refused by the kind's own check, naming its line
    _, third = _journal(tmp_path, "third")
    assert text.count('"glasses": 6') == 1
    bad = text.replace('"glasses": 6', '"glasses": 30')
    with pytest.raises(InvalidInputError) as refused:
        imports.import_bytes(third, bad.encode())
    assert any("glasses" in p.reason for p in refused.value.problems)
    assert entries.list_all(third, WATER) == []
    other.close()
    third.close()
