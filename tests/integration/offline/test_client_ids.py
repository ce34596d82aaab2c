"""Issue #17: an entry queued offline carries a client id and is stored once, however often the
phone sends it (service, REST API and form; SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from mitra.domain.journal import CheckIn
from mitra.domain.products import Product, ProductForm
from mitra.errors import InvalidInputError
from mitra.services import entries, journal
from mitra.services.context import Mitra

AT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # a day before the fixed clock


def add_caps(mitra: Mitra) -> int:
    product = journal.add_product(mitra, Product("Green Caps", ProductForm.CAPSULE))
    assert product.id is not None
    return product.id


def test_the_registry_marks_uses_and_check_ins_as_queued_offline() -> None:
    assert [name for name, kind in entries.KINDS.items() if kind.offline] == ["uses", "checkins"]


def test_log_use_with_a_client_id_is_stored_once(mitra: Mitra) -> None:
    product_id = add_caps(mitra)
    for amount in (2.0, 4.0):
        journal.log_use(
            mitra, product_id=product_id, amount=amount, unit="capsule", client_id="log-use-0001"
        )
    assert [u.amount for u in entries.list_all(mitra, entries.USES)] == [2.0]


def test_a_use_sent_three_times_with_one_client_id_is_stored_once(mitra: Mitra) -> None:
    product_id = add_caps(mitra)
    values = {"product_id": product_id, "amount": 3.0, "unit": "capsule", "taken_at": AT}
    saved = [
        entries.save(mitra, "uses", {**values, "client_id": "a1b2c3d4-0001"}).entry
        for _ in range(3)
    ]
    assert {s.id for s in saved} == {1}
    stored = entries.list_all(mitra, entries.USES)
    assert [(u.amount, u.unit, u.taken_at) for u in stored] == [(3.0, "capsule", AT)]


def test_two_uses_with_different_client_ids_and_uses_without_one_are_all_stored(
    mitra: Mitra,
) -> None:
    product_id = add_caps(mitra)
    values = {"product_id": product_id, "amount": 1.0, "unit": "capsule", "taken_at": AT}
    entries.save(mitra, "uses", {**values, "client_id": "first-0001"})
    entries.save(mitra, "uses", {**values, "client_id": "second-0002"})
    entries.save(mitra, "uses", values)
    entries.save(mitra, "uses", values)
    assert len(entries.list_all(mitra, entries.USES)) == 4


def test_a_check_in_replayed_keeps_the_first_one(mitra: Mitra) -> None:
    first = entries.add(mitra, entries.CHECKINS, CheckIn(AT, "UTC", mood=6), "check-0001")
    again = entries.add(mitra, entries.CHECKINS, CheckIn(AT, "UTC", mood=9), "check-0001")
    assert again.entry == first.entry
    assert again.alerts == ()
    assert [c.mood for c in entries.list_all(mitra, entries.CHECKINS)] == [6]


@pytest.mark.parametrize(
    ("kind", "client_id", "reason"),
    [
        ("uses", "short", "must be 8-64 letters, digits, '-' or '_' (a browser-made id)"),
        ("uses", "has space 123", "must be 8-64 letters, digits, '-' or '_' (a browser-made id)"),
        ("vitals", "vital-00001", "only uses and checkins take one"),
    ],
)
def test_a_bad_client_id_is_refused_and_nothing_is_written(
    mitra: Mitra, kind: str, client_id: str, reason: str
) -> None:
    product_id = add_caps(mitra)
    values = (
        {"product_id": product_id, "amount": 1.0, "unit": "capsule"}
        if kind == "uses"
        else {"heart_rate": 70}
    )
    with pytest.raises(InvalidInputError) as caught:
        entries.save(mitra, kind, {**values, "client_id": client_id})
    assert [(p.field, p.reason) for p in caught.value.problems] == [("client_id", reason)]
    assert entries.list_all(mitra, entries.KINDS[kind]) == []


def test_the_api_answers_a_repeat_with_the_stored_entry(client: TestClient, mitra: Mitra) -> None:
    add_caps(mitra)
    body = {
        "product_id": 1,
        "amount": 2,
        "unit": "capsule",
        "taken_at": "2026-11-24T08:30:00Z",
        "client_id": "0b8e6a4e-6a4b-4d2e-9f57-3c1f2f1d9a10",
    }
    first = client.post("/api/v1/uses", json=body)
    second = client.post("/api/v1/uses", json={**body, "amount": 5})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert [u["amount"] for u in client.get("/api/v1/uses").json()] == [2.0]


def test_the_form_accepts_a_client_id_once(client: TestClient) -> None:
    form = {"mood": "4", "recorded_at": "2026-11-24T08:30:00Z", "client_id": "form-check-1"}
    for _ in range(2):
        answer = client.post("/checkins/new", data=form, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/history?kind=checkins&saved=1"
    stored = client.get("/api/v1/checkins").json()
    assert [(c["mood"], c["recorded_at"]) for c in stored] == [(4, "2026-11-24T08:30:00Z")]
