"""A single write evaluates only the safety rules it can change (issue 16), and leaves the same
stored alerts a full evaluation does: over every scenario in tests/data/safety_scenarios.yaml that
is written entry by entry, a full evaluation after each write finds nothing to add, resolve, raise
or change. (tests/properties/test_incremental_safety.py compares the two over random journals.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.conftest import NOW
from tests.integration.services.test_safety_scenarios import SCENARIOS, _build

from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm
from mitra.services import entries, journal, safety
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

WRITTEN = [s for s in SCENARIOS if s.get("via", "entries") == "entries"]
PHQ9_ITEM9 = {f"phq9.q{n}": (1 if n == 9 else 0) for n in range(1, 10)}


def _full_evaluation_changes_nothing(mitra: Mitra) -> None:
    before = safety.list_alerts(mitra, include_closed=True)
    assert safety.evaluate_and_store(mitra) == []
    assert safety.list_alerts(mitra, include_closed=True) == before


@pytest.mark.parametrize("scenario", WRITTEN, ids=[s["name"] for s in WRITTEN])
def test_each_write_leaves_the_alerts_a_full_evaluation_would(
    mitra: Mitra, scenario: dict[str, Any]
) -> None:
    _build(mitra, scenario, after=lambda: _full_evaluation_changes_nothing(mitra))
    saved = q.administer(mitra, "phq9", PHQ9_ITEM9)
    assert [a.alert.rule_id for a in saved.alerts] == ["crisis.phq9_item9"]
    _full_evaluation_changes_nothing(mitra)


def test_the_scenarios_written_entry_by_entry_are_most_of_the_table() -> None:
    assert len(WRITTEN) >= 40


def test_a_use_raises_its_alert_and_a_check_in_evaluates_nothing(mitra: Mitra) -> None:
    tabs = journal.add_product(mitra, Product("Seven Tabs", ProductForm.SEVEN_OH))
    saved = entries.save(mitra, "uses", {"product_id": tabs.id, "amount": 1.0, "unit": "g"})
    raised = ["product.no_lab_test", "product.seven_oh"]
    assert sorted(a.alert.rule_id for a in saved.alerts) == raised
    assert entries.save(mitra, "checkins", {"mood": 5}).alerts == ()
    assert sorted(a.alert.rule_id for a in safety.list_alerts(mitra)) == raised


def test_an_alert_only_time_resolves_waits_for_a_write_that_evaluates_its_rule(
    mitra: Mitra,
) -> None:
    """A heart rate 13 days ago; two days later it has left red_flag.heart_rate's 14-day window.
    A use (which no red-flag rule reads) leaves that alert open; a vital, or `mitra safety
    check`, resolves it."""
    journal.log_vital(mitra, j.Vital(NOW - timedelta(days=13), "UTC", 130, None, None))
    [alert] = safety.list_alerts(mitra)
    assert alert.alert.rule_id == "red_flag.heart_rate"
    later = Mitra(mitra.store, mitra.settings, lambda: NOW + timedelta(days=2))
    leaf = journal.add_product(
        later, Product("Red Bali", ProductForm.LEAF_POWDER, coa_url="https://lab.example/coa")
    )
    entries.save(later, "uses", {"product_id": leaf.id, "amount": 2.0, "unit": "g"})
    assert [a.alert.rule_id for a in safety.list_alerts(later)] == ["red_flag.heart_rate"]
    journal.log_vital(later, j.Vital(NOW + timedelta(days=2), "UTC", 70, None, None))
    assert safety.list_alerts(later) == []
    [closed] = safety.list_alerts(later, include_closed=True)
    assert closed.resolved_at == NOW + timedelta(days=2)
