"""Journal use cases on both databases: what is stored, and that bad input writes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mitra.adapters.store import repositories as repo
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm
from mitra.errors import ConflictError, InvalidInputError, NotFoundError
from mitra.services import entries, journal
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.services.history import history


def _red_bali(mitra: Mitra) -> Product:
    return journal.add_product(
        mitra,
        Product(
            "Red Bali",
            ProductForm.LEAF_POWDER,
            mitragynine_mg_per_g=15,
            custom_units=(("scoop", 2.5),),
        ),
    )


def _counts(mitra: Mitra) -> list[int]:
    with mitra.store.read() as conn:
        return [r.count(conn) for r in (repo.products, repo.uses, repo.checkins)]


def test_log_use_stores_entry_and_conversion_in_the_users_zone(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    at = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    event = journal.log_use(mitra, product_id=product.id or 0, amount=2, unit="scoop", taken_at=at)
    stored = entries.get(mitra, entries.USES, event.id or 0)
    assert (stored.amount, stored.unit, stored.grams_leaf, stored.mg_mitragynine, stored.tz) == (
        2,
        "scoop",
        5.0,
        75.0,
        "Europe/London",
    )
    assert stored.taken_at == at


def test_log_use_defaults_to_now(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    event = journal.log_use(mitra, product_id=product.id or 0, amount=1, unit="g")
    assert event.taken_at == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_bad_input_is_refused_and_writes_nothing(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    before = _counts(mitra)
    with pytest.raises(InvalidInputError, match="amount: must be more than 0"):
        journal.log_use(mitra, product_id=product.id or 0, amount=-3, unit="g")
    with pytest.raises(NotFoundError, match="no product with id 99"):
        journal.log_use(mitra, product_id=99, amount=3, unit="g")
    with pytest.raises(InvalidInputError, match="mood: must be a whole number from 0 to 10"):
        journal.record_checkin(mitra, j.CheckIn(mitra.now(), "UTC", mood=11))
    assert _counts(mitra) == before


def test_a_product_with_uses_cannot_be_deleted_until_they_are(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    event = journal.log_use(mitra, product_id=product.id or 0, amount=1, unit="g")
    with pytest.raises(ConflictError, match="has 1 logged use"):
        entries.delete(mitra, entries.PRODUCTS, product.id or 0)
    entries.delete(mitra, entries.USES, event.id or 0)
    entries.delete(mitra, entries.PRODUCTS, product.id or 0)
    assert journal.list_products(mitra) == []


def test_editing_a_use_recomputes_its_conversion(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    event = journal.log_use(mitra, product_id=product.id or 0, amount=1, unit="g")
    edited = journal.edit_use(
        mitra,
        event.id or 0,
        product_id=product.id or 0,
        amount=4,
        unit="g",
        taken_at=event.taken_at,
        tz="UTC",
    )
    assert (edited.grams_leaf, edited.mg_mitragynine) == (4.0, 60.0)


def test_save_entry_builds_every_kind_from_typed_values(mitra: Mitra) -> None:
    product = entries.save(
        mitra,
        "products",
        {
            "name": "Caps",
            "form": "capsule",
            "serving_unit": "capsule",
            "mitragynine_mg_per_unit": 8.0,
        },
    ).entry
    values = {"product_id": product.id, "amount": 3.0, "unit": "capsule", "note": None}
    use = entries.save(mitra, "uses", values).entry
    checkin = entries.save(mitra, "checkins", {"mood": 6, "anxiety": 4}).entry
    med = entries.save(mitra, "medications", {"name": "Tramadol", "schedule": "as_needed"}).entry
    effect = entries.save(mitra, "effects", {"effect": "nausea", "severity": 4}).entry
    vital = entries.save(mitra, "vitals", {"heart_rate": 88}).entry
    assert use.mg_mitragynine == 24.0
    assert (checkin.mood, checkin.tz) == (6, "Europe/London")
    assert (med.schedule, med.kind) == (j.Schedule.AS_NEEDED, j.SubstanceKind.MEDICATION)
    assert (effect.effect, effect.severity) == (j.Effect.NAUSEA, 4)
    assert vital.heart_rate == 88
    again = entries.save(mitra, "checkins", {"mood": 2}, checkin.id).entry
    assert (again.id, again.mood, again.anxiety) == (checkin.id, 2, None)
    with pytest.raises(InvalidInputError, match="unknown kind 'pets'"):
        entries.save(mitra, "pets", {})


def test_stopping_a_medication_keeps_it_listed_with_its_stop_date(mitra: Mitra) -> None:
    med = journal.add_medication(mitra, j.Medication("Sertraline", dose_text="50 mg"))
    journal.stop_medication(mitra, med.id or 0, date(2026, 11, 1))
    assert [(m.name, m.stopped_on) for m in journal.list_medications(mitra)] == [
        ("Sertraline", date(2026, 11, 1))
    ]


def test_find_product_by_name_or_id_and_says_what_exists(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    assert journal.find_product(mitra, "red bali").id == product.id
    assert journal.find_product(mitra, str(product.id)).name == "Red Bali"
    with pytest.raises(NotFoundError, match=r"no product 'Green' \(known products: Red Bali\)"):
        journal.find_product(mitra, "Green")
    _red_bali(mitra)
    with pytest.raises(InvalidInputError, match="several products are called"):
        journal.find_product(mitra, "Red Bali")


def test_history_filters_by_kind_and_days(mitra: Mitra) -> None:
    product = _red_bali(mitra)
    journal.log_use(
        mitra,
        product_id=product.id or 0,
        amount=1,
        unit="g",
        taken_at=datetime(2026, 11, 24, 23, 30, tzinfo=UTC),
    )
    journal.record_checkin(mitra, j.CheckIn(datetime(2026, 11, 10, 9, tzinfo=UTC), "UTC", mood=3))
    days = history(mitra, days=3)
    assert [(d.day, [e.kind for e in d.entries]) for d in days] == [(date(2026, 11, 24), ["uses"])]
    assert len(history(mitra, days=30, kinds=["checkins"])) == 1
    with pytest.raises(InvalidInputError, match="days: must be from 1 to 3660"):
        history(mitra, days=0)
    with pytest.raises(InvalidInputError, match="unknown kind 'pets'"):
        history(mitra, kinds=["pets"])


def test_demo_fills_an_empty_journal_and_refuses_one_with_entries(mitra: Mitra) -> None:
    result = seed_demo(mitra, days=30, seed=2)
    assert result.products == 4
    assert result.uses == _counts(mitra)[1]
    with pytest.raises(ConflictError, match="already has"):
        seed_demo(mitra, days=30, seed=2)
    with pytest.raises(InvalidInputError, match="pattern"):
        seed_demo(mitra, pattern="wild", force=True)
    with pytest.raises(InvalidInputError, match="days"):
        seed_demo(mitra, days=0, force=True)
    assert seed_demo(mitra, days=5, seed=2, force=True).products == 4
