"""Issue #20: journals isolated by construction, on SQLite (every statement filtered) and on
PostgreSQL (row-level security, the transaction running as `mitra_app` for one journal)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from mitra.adapters.store import journals as journals_store
from mitra.adapters.store import repositories as repo
from mitra.adapters.store import tables as t
from mitra.domain.journal import CheckIn
from mitra.domain.products import Product, ProductForm
from mitra.errors import NotFoundError
from mitra.services import entries, journal
from mitra.services.backup import erase
from mitra.services.context import Mitra

AT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


@pytest.fixture
def two(mitra: Mitra) -> Iterator[tuple[Mitra, Mitra]]:
    """Journal A (the personal journal, 1) and a second journal B on the same store."""
    with mitra.store.engine.begin() as conn:
        other = journals_store.add(conn, "B", AT)
    yield mitra, mitra.for_journal(other)
    with mitra.store.engine.begin() as conn:
        conn.execute(t.journals.delete().where(t.journals.c.id != t.PERSONAL_JOURNAL))


def _use(mitra: Mitra, amount: float, client_id: str | None = None) -> int:
    product = journal.add_product(mitra, Product("Green Caps", ProductForm.CAPSULE))
    values = {"product_id": product.id, "amount": amount, "unit": "capsule", "taken_at": AT}
    if client_id is not None:
        values["client_id"] = client_id
    saved = entries.save(mitra, "uses", values).entry
    assert saved.id is not None
    return int(saved.id)


def test_each_journal_lists_only_its_own_entries(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    _use(a, 2.0)
    _use(b, 5.0)
    _use(b, 6.0)
    assert [u.amount for u in entries.list_all(a, entries.USES)] == [2.0]
    assert sorted(u.amount for u in entries.list_all(b, entries.USES)) == [5.0, 6.0]
    assert [p.name for p in entries.list_all(a, entries.PRODUCTS)] == ["Green Caps"]


def test_another_journals_entry_is_not_found_for_reading_editing_or_deleting(
    two: tuple[Mitra, Mitra],
) -> None:
    a, b = two
    theirs = _use(b, 5.0)
    with pytest.raises(NotFoundError, match=f"no use event with id {theirs}"):
        entries.get(a, entries.USES, theirs)
    with pytest.raises(NotFoundError, match=f"no use event with id {theirs}"):
        entries.delete(a, entries.USES, theirs)
    with pytest.raises(NotFoundError):
        entries.save(a, "uses", {"amount": 1.0, "unit": "capsule", "taken_at": AT}, theirs)
    assert [u.amount for u in entries.list_all(b, entries.USES)] == [5.0]


def test_a_use_cannot_point_at_another_journals_product(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    product = journal.add_product(b, Product("Theirs", ProductForm.CAPSULE))
    values = {"product_id": product.id, "amount": 1.0, "unit": "capsule", "taken_at": AT}
    with pytest.raises(NotFoundError):
        entries.save(a, "uses", values)
    assert entries.list_all(a, entries.USES) == []


def test_one_client_id_in_two_journals_is_two_entries(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    first = entries.add(a, entries.CHECKINS, CheckIn(AT, "UTC", mood=3), "phone-0001")
    second = entries.add(b, entries.CHECKINS, CheckIn(AT, "UTC", mood=8), "phone-0001")
    again = entries.add(b, entries.CHECKINS, CheckIn(AT, "UTC", mood=1), "phone-0001")
    assert first.entry.id != second.entry.id
    assert again.entry == second.entry
    assert [c.mood for c in entries.list_all(a, entries.CHECKINS)] == [3]
    assert [c.mood for c in entries.list_all(b, entries.CHECKINS)] == [8]


def test_preferences_are_per_journal(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    with a.store.write() as conn:
        repo.set_preference(conn, "timezone", "Europe/Paris")
    with b.store.write() as conn:
        repo.set_preference(conn, "timezone", "America/Chicago")
    assert (a.timezone(), b.timezone()) == ("Europe/Paris", "America/Chicago")


def test_erasing_one_journal_leaves_the_other_whole(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    _use(a, 2.0)
    _use(b, 5.0)
    removed = erase(b)
    assert (removed["use_events"], removed["products"]) == (1, 1)
    assert [u.amount for u in entries.list_all(a, entries.USES)] == [2.0]
    assert entries.list_all(b, entries.USES) == []


def test_a_query_without_a_filter_sees_one_journal(two: tuple[Mitra, Mitra]) -> None:
    """The statement names no journal; the store's transaction limits it (SQLite: every
    statement is filtered; PostgreSQL: row-level security)."""
    a, b = two
    _use(a, 2.0)
    _use(b, 5.0)
    with a.store.read() as conn:
        mine = conn.execute(sa.select(t.use_events.c.amount)).scalars().all()
        counted = conn.execute(sa.select(sa.func.count()).select_from(t.use_events)).scalar()
        joined = conn.execute(
            sa.select(t.products.c.name, t.use_events.c.amount).join_from(
                t.use_events, t.products, t.use_events.c.product_id == t.products.c.id
            )
        ).all()
    with b.store.write() as conn:
        changed = conn.execute(t.use_events.update().values(note="all of them?")).rowcount
    assert (mine, counted, [tuple(r) for r in joined]) == ([2.0], 1, [("Green Caps", 2.0)])
    assert changed == 1
    assert [u.note for u in entries.list_all(a, entries.USES)] == [""]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_raw_sql_through_the_apps_connection_sees_only_its_journal(
    two: tuple[Mitra, Mitra],
) -> None:
    """Row-level security: a raw `SELECT *` with no filter at all, in the app's transaction for
    journal A, returns A's rows only; the same text on the bare (superuser) connection sees all,
    so the limit is the policy's, not the query's."""
    a, b = two
    _use(a, 2.0)
    _use(b, 5.0)
    _use(b, 6.0)
    with a.store.read() as conn:
        amounts = [row.amount for row in conn.exec_driver_sql("SELECT * FROM use_events")]
        role = conn.exec_driver_sql("SELECT current_user").scalar()
    with b.store.write() as conn:
        deleted = conn.exec_driver_sql("DELETE FROM use_events").rowcount
        conn.exec_driver_sql("DELETE FROM products")
    with a.store.engine.connect() as conn:
        everyone = conn.exec_driver_sql("SELECT count(*) FROM use_events").scalar()
    assert (amounts, role) == ([2.0], "mitra_app")
    assert deleted == 2
    assert everyone == 1
    assert [u.amount for u in entries.list_all(a, entries.USES)] == [2.0]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_refuses_a_row_stamped_for_another_journal(two: tuple[Mitra, Mitra]) -> None:
    a, b = two
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), a.store.write() as c:
        c.exec_driver_sql(
            "INSERT INTO preferences (journal_id, key, value) "
            f"VALUES ({b.journal_id}, 'timezone', 'UTC')"
        )


# --- the SQLite filter is skipped only while the store holds no other journal ---------------


@pytest.fixture
def sqlite_mitra(mitra: Mitra) -> Mitra:
    if mitra.store.engine.dialect.name != "sqlite":
        pytest.skip("the statement filter is SQLite's; PostgreSQL has row-level security")
    return mitra


def test_a_personal_store_skips_the_filter_until_a_second_journal_exists(
    sqlite_mitra: Mitra,
) -> None:
    with sqlite_mitra.store.read() as conn:
        assert conn.get_execution_options()[t.FILTER_OPTION] is False
    with sqlite_mitra.store.engine.begin() as conn:
        other = journals_store.add(conn, "B", AT)
    try:
        with sqlite_mitra.store.read() as conn:
            assert conn.get_execution_options()[t.FILTER_OPTION] is True
        with sqlite_mitra.for_journal(other).store.write() as conn:
            assert conn.get_execution_options()[t.FILTER_OPTION] is True
    finally:
        with sqlite_mitra.store.engine.begin() as conn:
            conn.execute(t.journals.delete().where(t.journals.c.id == other))


def test_a_transaction_that_skipped_the_filter_never_sees_a_journal_added_meanwhile(
    sqlite_mitra: Mitra,
) -> None:
    """A read transaction reads one snapshot (WAL): a second journal and its rows, committed by
    another connection after the transaction's first statement, are not in it."""
    a = sqlite_mitra
    journal.add_product(a, Product("Mine", ProductForm.CAPSULE))
    with a.store.read() as conn:
        assert conn.get_execution_options()[t.FILTER_OPTION] is False
        with a.store.engine.begin() as writer:  # another connection
            b_id = journals_store.add(writer, "B", AT)
        journal.add_product(a.for_journal(b_id), Product("Theirs", ProductForm.CAPSULE))
        names = [row.name for row in conn.execute(sa.select(t.products.c.name))]
    assert names == ["Mine"]
    assert [p.name for p in entries.list_all(a, entries.PRODUCTS)] == ["Mine"]
    with a.store.engine.begin() as conn:
        conn.execute(t.products.delete().where(t.products.c.journal_id == b_id))
        conn.execute(t.journals.delete().where(t.journals.c.id == b_id))


def test_restore_and_import_refuse_a_store_with_several_journals(
    two: tuple[Mitra, Mitra], tmp_path: Path
) -> None:
    """Both write rows with their original ids, which could name another journal's rows."""
    from mitra.errors import ConflictError
    from mitra.services import exports, imports
    from mitra.services.backup import backup, restore

    a, b = two
    _use(b, 5.0)
    text, _ = exports.json_text(a)
    with pytest.raises(ConflictError, match="importing a Mitra export keeps every entry's"):
        imports.import_bytes(a, text.encode())
    if a.store.engine.dialect.name == "sqlite":
        copy = tmp_path / "copy.db"
        backup(a, copy)
        with pytest.raises(ConflictError, match="restoring a backup keeps every entry's"):
            restore(a, copy, force=True)
    assert entries.list_all(a, entries.USES) == []
    assert [u.amount for u in entries.list_all(b, entries.USES)] == [5.0]
