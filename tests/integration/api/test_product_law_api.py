"""/api/v1: a 7-OH product against the law where the user lives, and each legal entry's history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.services import journal
from mitra.services import questionnaires as q
from mitra.services.context import Mitra

TABS = Product(
    "Seven Tabs", ProductForm.SEVEN_OH, seven_oh_mg_per_unit=15, serving_unit=ServingUnit.TABLET
)


def test_product_legal_gives_each_verdict_with_its_event_and_sources(
    client: TestClient, mitra: Mitra
) -> None:
    q.onboard(mitra, conditions=["anxiety"], country="US-MI")
    product = journal.add_product(mitra, TABS)

    data = client.get(f"/api/v1/products/{product.id}/legal").json()

    assert (data["product"], data["place"], data["seven_oh"]) == ("Seven Tabs", "US-MI", True)
    assert data["disclaimer"] == "Not legal advice; check current law."
    [federal] = data["verdicts"]
    assert (federal["code"], federal["outcome"], federal["seven_oh_status"]) == (
        "US",
        "above",
        "restricted",
    )
    assert federal["because"] == (
        "Mitra has no 7-OH entry for Michigan, so the federal status applies there."
    )
    assert (federal["event"]["date"], federal["event"]["final"]) == ("2026-07-01", False)
    assert [(c["threshold"]["value"], c["outcome"]) for c in federal["comparisons"]] == [
        (0.05, "unknown"),
        (1.0, "above"),
    ]
    assert federal["sources"][0]["id"] == "oh7-nutritionaloutlook-dea-2026"


def test_product_legal_for_an_unknown_product_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/v1/products/999/legal")
    assert response.status_code == 404
    assert "no product '999'" in response.json()["detail"]


def test_legal_entries_carry_their_dated_events_and_thresholds(client: TestClient) -> None:
    ohio = client.get("/api/v1/legal/US-OH").json()["entry"]
    assert [(e["date"], e["type"], e["seven_oh_status"]) for e in ohio["events"]] == [
        ("2025-12-12", "emergency_rule", "banned"),
        ("2026-06-10", "expiry", "unclear"),
    ]
    assert ohio["events"][1]["thresholds"] is None
    assert ohio["events"][0]["thresholds"][0]["text"] == "7-OH in any amount (all products)"


def test_a_state_without_a_7oh_status_gets_the_federal_entry_and_a_note(client: TestClient) -> None:
    data = client.get("/api/v1/legal/US-MI").json()
    assert data["federal"]["code"] == "US"
    assert data["seven_oh_note"] == (
        "Mitra has no 7-OH entry for Michigan, so the federal 7-OH status applies: restricted."
    )
    assert client.get("/api/v1/legal/US-FL").json()["seven_oh_note"] == ""
