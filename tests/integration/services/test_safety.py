"""The safety engine end to end on a real store (SQLite, and PostgreSQL when set): alerts stored
in the same write that raised them, acknowledged, raised again on recurrence, resolved and kept."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from mitra.adapters.store import alerts as alert_store
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm
from mitra.errors import NotFoundError
from mitra.services import entries, journal, safety
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def stored_rules(mitra: Mitra) -> dict[str, str]:
    with mitra.store.read() as conn:
        return {s.alert.key: s.status for s in alert_store.all_alerts(conn)}


def later(mitra: Mitra, hours: float) -> None:
    mitra.clock = lambda: NOW + timedelta(hours=hours)


def test_adding_oxycodone_stores_the_alert_in_the_same_write(mitra: Mitra) -> None:
    done = entries.save(mitra, "medications", {"name": "Oxycodone 10 mg"})
    raised = done.alerts
    assert [s.alert.rule_id for s in raised] == ["interaction.opioids"]
    assert raised[0].id is not None  # stored before shown: it already has its row id
    assert stored_rules(mitra) == {"interaction.opioids:oxycodone 10 mg": "open"}
    again = entries.save(mitra, "medications", {"name": "Oxycodone 10 mg"}, done.entry.id)
    assert again.alerts == ()  # nothing new: the alert was raised by the first write


def test_a_crisis_response_is_stored_and_listed_first(mitra: Mitra) -> None:
    journal.add_medication(mitra, j.Medication("metformin"))
    q.administer(mitra, "phq9", {f"phq9.q{n}": 1 for n in range(1, 10)})
    listed = safety.list_alerts(mitra)
    assert [s.alert.rule_id for s in listed] == ["crisis.phq9_item9", "interaction.no_data"]
    assert listed[0].alert.severity.value == "crisis"


def test_acknowledged_then_recurring_evidence_raises_again(mitra: Mitra) -> None:
    journal.log_vital(mitra, j.Vital(NOW - timedelta(hours=2), "UTC", heart_rate=120))
    [alert] = safety.list_alerts(mitra)
    acknowledged = safety.acknowledge(mitra, alert.id or 0)
    assert acknowledged.status == "acknowledged"
    assert safety.list_alerts(mitra) == []
    assert safety.acknowledge(mitra, alert.id or 0).acknowledged_at == acknowledged.acknowledged_at
    later(mitra, 1)
    journal.log_vital(mitra, j.Vital(NOW, "UTC", heart_rate=80))
    assert safety.list_alerts(mitra) == []  # a normal reading is not a recurrence
    journal.log_vital(mitra, j.Vital(NOW + timedelta(minutes=30), "UTC", heart_rate=125))
    [again] = safety.list_alerts(mitra)
    assert again.id == alert.id and again.times_raised == 2 and again.status == "open"
    assert "125 bpm" in again.alert.because


def test_a_condition_that_goes_away_is_resolved_never_deleted(mitra: Mitra) -> None:
    med = journal.add_medication(mitra, j.Medication("xanax"))
    entries.delete(mitra, entries.MEDICATIONS, med.id or 0)
    everything = safety.list_alerts(mitra, include_closed=True)
    assert [s.status for s in everything] == ["resolved", "resolved"]  # benzodiazepine, CYP3A4
    assert safety.list_alerts(mitra) == []
    journal.add_medication(mitra, j.Medication("Xanax"))
    back = safety.list_alerts(mitra)
    assert [s.id for s in back] == [s.id for s in everything]
    assert [s.times_raised for s in back] == [2, 2]


def test_a_use_edit_and_a_stable_pattern(mitra: Mitra) -> None:
    product = journal.add_product(
        mitra, Product("Seven", ProductForm.SEVEN_OH, coa_url="https://lab.example/1")
    )
    use = journal.log_use(mitra, product_id=product.id or 0, amount=1, unit="g")
    assert "product.seven_oh" in {s.alert.rule_id for s in safety.list_alerts(mitra)}
    leaf = journal.add_product(
        mitra, Product("Leaf", ProductForm.LEAF_POWDER, coa_url="https://lab.example/2")
    )
    journal.edit_use(
        mitra, use.id or 0, product_id=leaf.id or 0, amount=2, unit="g", taken_at=NOW, tz="UTC"
    )
    assert safety.list_alerts(mitra) == []
    statuses = stored_rules(mitra)
    assert statuses[f"product.seven_oh:{product.id}"] == "resolved"


def test_onboarding_in_a_banned_state_raises_the_legal_rule(mitra: Mitra) -> None:
    q.onboard(mitra, conditions="anxiety", country="US-AL")
    rules = [s.alert.rule_id for s in safety.list_alerts(mitra)]
    assert rules == ["legal.jurisdiction"]


def test_on_demand_evaluation_and_unknown_alert(mitra: Mitra) -> None:
    assert safety.evaluate_and_store(mitra) == []
    with pytest.raises(NotFoundError):
        safety.acknowledge(mitra, 999)


def test_check_name() -> None:
    found = safety.check_name("Seroquel")
    assert found.checked and {c.id for c in found.classes} >= {"antipsychotics"}
    assert not safety.check_name("Zorblaxin").checked


def test_stored_alerts_round_trip(mitra: Mitra) -> None:
    journal.add_medication(mitra, j.Medication("tramadol"))
    with mitra.store.read() as conn:
        found = alert_store.all_alerts(conn)
        assert alert_store.count(conn) == len(found) == 4  # opioid, serotonin, seizure, CYP2D6
        assert alert_store.get(conn, found[0].id or 0) == found[0]
    assert dataclasses.asdict(found[0])["alert"]["sources"]
