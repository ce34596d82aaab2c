"""The safety scenario table (tests/data/safety_scenarios.yaml): each journal is built through the
services — or imported, or made by `mitra demo` — and must raise the alerts it names and none of
those it rules out, one alert per rule, with naloxone advice on every overdose-related alert."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import NOW

from mitra.adapters.knowledge.safety import load_rules
from mitra.adapters.store import repositories as repo
from mitra.adapters.store.engine import Store, build_engine
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.safety import StoredAlert
from mitra.services import backup, demo, exports, imports, journal, safety
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

TABLE = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data" / "safety_scenarios.yaml").read_text("utf-8")
)
SCENARIOS: list[dict[str, Any]] = TABLE["scenarios"]
TRACKER = (
    "date,time,iso_timestamp,strain_code,strain_name,amount_g,notes\n"
    "2026-11-25,09:00,,TL,Tracked Leaf,3,\n"
)


def _flat(items: list[Any]) -> list[dict[str, Any]]:
    return [x for item in items for x in (_flat(item) if isinstance(item, list) else [item])]


def _ago(hours: float) -> Any:
    return NOW - timedelta(hours=hours)


def _product(spec: dict[str, Any]) -> Product:
    seven_oh = spec.get("seven_oh_mg")
    return Product(
        spec["name"],
        ProductForm(spec["form"]),
        seven_oh_mg_per_unit=seven_oh,
        serving_unit=ServingUnit.CAPSULE if seven_oh else None,
        coa_url="https://lab.example/coa" if spec.get("coa", True) else "",
    )


def _medication(spec: str | dict[str, Any]) -> j.Medication:
    if isinstance(spec, str):
        return j.Medication(spec)
    return j.Medication(spec["name"], stopped_on=(NOW - timedelta(days=3)).date())


def _nothing() -> None:
    pass


def _build(mitra: Mitra, s: dict[str, Any], after: Callable[[], None] = _nothing) -> None:
    """Write the scenario's journal through the services, calling `after` after each write."""
    if "country" in s:
        q.onboard(mitra, conditions=[], country=s["country"])
    if "pregnancy" in s:
        safety.set_pregnancy(mitra, s["pregnancy"])
    products = s.get("products", TABLE["defaults"]["products"])
    ids = {p["name"]: journal.add_product(mitra, _product(p)).id or 0 for p in products}
    after()
    for use in _flat(s.get("uses", [])):
        journal.log_use(
            mitra,
            product_id=ids[use["product"]],
            amount=use["amount"],
            unit=use.get("unit", "g"),
            taken_at=_ago(use["hours_ago"]),
        )
        after()
    for med in s.get("medications", []):
        journal.add_medication(mitra, _medication(med))
        after()
    for e in s.get("effects", []):
        kind = j.Effect(e.get("kind", "other"))
        effect = j.AdverseEffect(_ago(e["hours_ago"]), "UTC", kind, e.get("severity", 5))
        journal.log_effect(
            mitra, j.AdverseEffect(**{**effect.__dict__, "other_text": e.get("text", "")})
        )
        after()
    for v in s.get("vitals", []):
        systolic, diastolic = v.get("bp", (None, None))
        journal.log_vital(
            mitra, j.Vital(_ago(v["hours_ago"]), "UTC", v.get("hr"), systolic, diastolic)
        )
        after()


def _import_json(mitra: Mitra, s: dict[str, Any]) -> None:
    """Build, export without the stored alerts, erase, and import: only the import evaluates."""
    _build(mitra, s)
    text, _ = exports.json_text(mitra)
    document = json.loads(text)
    document["tables"]["alerts"] = []
    backup.erase(mitra)
    assert safety.list_alerts(mitra, include_closed=True) == []
    imports.import_bytes(mitra, json.dumps(document).encode("utf-8"))


def _import_tracker(mitra: Mitra, s: dict[str, Any]) -> None:
    """Medicines written without evaluation, then a KratomTracker import: it must evaluate."""
    with mitra.store.write() as conn:
        for med in s.get("medications", []):
            repo.medications.add(conn, _medication(med), NOW)
    assert safety.list_alerts(mitra, include_closed=True) == []
    imports.import_bytes(mitra, TRACKER.encode("utf-8"))


def _run(mitra: Mitra, s: dict[str, Any]) -> list[StoredAlert]:
    via = s.get("via", "entries")
    if via == "entries":
        _build(mitra, s)
    elif via == "import_json":
        _import_json(mitra, s)
    elif via == "import_tracker":
        _import_tracker(mitra, s)
    else:
        demo.seed_demo(mitra, days=30)
    return safety.list_alerts(mitra)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(mitra: Mitra, scenario: dict[str, Any]) -> None:
    found = _run(mitra, scenario)
    rules = [s.alert.rule_id for s in found]
    assert len(rules) == len(set(rules)), f"more than one alert for a rule: {rules}"
    assert set(scenario.get("must", [])) <= set(rules), rules
    assert not set(scenario.get("must_not", [])) & set(rules), rules
    by_rule = {s.alert.rule_id: s.alert for s in found}
    for rule_id, level in scenario.get("severity", {}).items():
        assert by_rule[rule_id].severity.value == level
    for rule_id, words in scenario.get("mentions", {}).items():
        for word in words:
            assert word in by_rule[rule_id].because, (word, by_rule[rule_id].because)
    naloxone = load_rules().naloxone
    assert naloxone is not None
    for alert in by_rule.values():
        if alert.rule_id in naloxone.rules:
            assert "Naloxone (for example Narcan nasal spray)" in alert.what_to_do
            assert "call the emergency number" in alert.what_to_do
            us = scenario.get("country") == "US"
            assert ("without a prescription" in alert.what_to_do) is us
            assert ("Ask a pharmacist where you live" in alert.what_to_do) is not us


def test_the_table_has_at_least_forty_journals_each_with_expectations() -> None:
    assert len(SCENARIOS) >= 40
    assert all(s.get("must") or s.get("must_not") for s in SCENARIOS)
    assert len({s["name"] for s in SCENARIOS}) == len(SCENARIOS)


def test_a_restored_backup_listing_oxycodone_has_its_urgent_alert_at_once(
    mitra: Mitra, tmp_path: Path, sqlite_template: Path
) -> None:
    if mitra.store.engine.dialect.name != "sqlite":
        pytest.skip("backup and restore are for SQLite journals")
    with mitra.store.write() as conn:  # written without evaluation: no alert stored yet
        repo.medications.add(conn, j.Medication("Oxycodone 5 mg"), NOW)
    backup.backup(mitra, tmp_path / "journal.backup")
    target_path = tmp_path / "fresh" / "mitra.db"
    target_path.parent.mkdir()
    shutil.copy(sqlite_template, target_path)
    target = Mitra(Store(build_engine(f"sqlite:///{target_path}")), mitra.settings, lambda: NOW)
    backup.restore(target, tmp_path / "journal.backup")
    [alert] = safety.list_alerts(target)
    assert (alert.alert.rule_id, alert.alert.severity.value) == ("interaction.opioids", "urgent")
    assert alert.alert.key == "interaction.opioids:oxycodone 5 mg"
    target.close()
