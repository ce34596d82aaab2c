"""The store on real SQLite and PostgreSQL: round trips, constraints, transactions, pragmas."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from mitra.adapters.store import repositories as repo
from mitra.adapters.store.engine import Store, build_engine
from mitra.domain import journal as j
from mitra.domain.products import Product, ProductForm
from mitra.errors import NotFoundError

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    journal = Store(build_engine(database_url))
    yield journal
    journal.dispose()


def _product(store: Store) -> Product:
    with store.write() as conn:
        return repo.products.add(
            conn, Product("Red Bali", ProductForm.LEAF_POWDER, custom_units=(("scoop", 2.5),)), NOW
        )


def test_product_round_trip_keeps_enums_and_custom_units(store: Store) -> None:
    saved = _product(store)
    with store.read() as conn:
        loaded = repo.products.get(conn, saved.id or 0)
    assert loaded == saved
    assert loaded.custom_units == (("scoop", 2.5),)


def test_times_come_back_in_utc_whatever_zone_they_were_written_in(store: Store) -> None:
    product = _product(store)
    plus_five = datetime(2026, 11, 20, 13, 30, tzinfo=timezone(timedelta(hours=5)))
    event = j.UseEvent(product.id or 0, plus_five, "Asia/Karachi", 3, "g", 3, 3, None, None, "")
    with store.write() as conn:
        saved = repo.uses.add(conn, event, NOW)
    with store.read() as conn:
        loaded = repo.uses.get(conn, saved.id or 0)
    assert loaded.taken_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert loaded.taken_at.tzinfo is UTC


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    product = _product(store)
    bad = j.UseEvent(product.id or 0, NOW, "UTC", -1, "g", None, None, None, None, "")
    good = j.CheckIn(NOW, "UTC", mood=5)
    with pytest.raises(sa.exc.IntegrityError), store.write() as conn:
        repo.checkins.add(conn, good, NOW)
        repo.uses.add(conn, bad, NOW)
    with store.read() as conn:
        assert repo.checkins.count(conn) == 0
        assert repo.uses.count(conn) == 0


def test_a_use_cannot_point_at_a_missing_product(store: Store) -> None:
    event = j.UseEvent(999, NOW, "UTC", 1, "g", 1, 1, None, None, "")
    with pytest.raises(sa.exc.IntegrityError), store.write() as conn:
        repo.uses.add(conn, event, NOW)


def test_missing_rows_raise_not_found_naming_the_entry(store: Store) -> None:
    with store.write() as conn:
        with pytest.raises(NotFoundError, match="no check-in with id 4"):
            repo.checkins.get(conn, 4)
        with pytest.raises(NotFoundError, match="no vital with id 4"):
            repo.vitals.delete(conn, 4)
        with pytest.raises(NotFoundError, match="no product with id 4"):
            repo.products.replace(conn, 4, Product("X", ProductForm.OTHER))


def test_lists_are_newest_first_and_windowed(store: Store) -> None:
    checkins = [j.CheckIn(NOW - timedelta(days=d), "UTC", mood=d) for d in range(5)]
    with store.write() as conn:
        assert repo.checkins.add_many(conn, checkins, NOW) == 5
        assert repo.checkins.add_many(conn, [], NOW) == 0
    with store.read() as conn:
        window = repo.checkins.list(conn, since=NOW - timedelta(days=2), until=NOW)
        page = repo.checkins.list(conn, limit=2, offset=1)
    assert [c.mood for c in window] == [1, 2]
    assert [c.mood for c in page] == [1, 2]


def test_preferences_insert_then_update(store: Store) -> None:
    with store.write() as conn:
        repo.set_preference(conn, "timezone", "Europe/London")
        repo.set_preference(conn, "timezone", "Asia/Bangkok")
    with store.read() as conn:
        assert repo.get_preference(conn, "timezone") == "Asia/Bangkok"
        assert repo.get_preference(conn, "missing") is None


def test_sqlite_runs_with_wal_full_sync_foreign_keys_and_busy_timeout(tmp_path: object) -> None:
    engine = build_engine(f"sqlite:///{tmp_path}/sub/dir/mitra.db")
    with engine.connect() as conn:
        pragmas = [
            conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]
    engine.dispose()
    assert pragmas == ["wal", 2, 1, 10000]
