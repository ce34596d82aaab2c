"""Migrations: every revision up and down on both databases, no pending autogenerate diff at
head, and a journal from a newer Mitra refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import (
    HEAD,
    alembic_config,
    check_version,
    current_revision,
    downgrade,
    head_revision,
    migrate,
    pending_changes,
)
from mitra.adapters.store.tables import metadata
from mitra.errors import StorageError

REVISIONS = [
    r.revision
    for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/m.db"
    url: str = request.getfixturevalue("pg_url")
    return url


def test_revisions_are_numbered_in_order() -> None:
    assert REVISIONS == sorted(REVISIONS)
    assert REVISIONS[0] == "0001"
    assert REVISIONS[-1] == head_revision()


def test_every_revision_upgrades_then_downgrades_cleanly(database: str) -> None:
    engine = build_engine(database)
    try:
        downgrade(engine, "base")  # the PostgreSQL run's database may already be at head
        for revision in REVISIONS:
            migrate(engine, revision)
            assert current_revision(engine) == revision
        assert pending_changes(engine) == []
        assert set(metadata.tables) <= set(sa.inspect(engine).get_table_names())
        for previous in reversed(["base", *REVISIONS[:-1]]):
            downgrade(engine, previous)
            assert current_revision(engine) == (None if previous == "base" else previous)
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert pending_changes(engine) == []
    finally:
        engine.dispose()


def test_a_journal_from_a_newer_mitra_is_refused_and_left_untouched(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path}/new.db")
    migrate(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StorageError, match="written by a newer version of Mitra"):
        migrate(engine)
    with pytest.raises(StorageError):
        check_version(engine)
    assert current_revision(engine) == "9999_future"
    engine.dispose()


def test_0005_keeps_every_row_and_then_never_reuses_an_id(database: str) -> None:
    """#15 item 7: on 0004 a deleted newest entry's id was handed out again; 0005 rebuilds the
    tables (SQLite AUTOINCREMENT, PostgreSQL identity) with the data in them."""
    engine = build_engine(database)
    try:
        downgrade(engine, "base")
        migrate(engine, "0004")
        at = "2026-11-20 08:00:00"
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO products (name, vendor, form, custom_units, lot, coa_url, notes, "
                f"created_at) VALUES ('Red Bali', '', 'leaf_powder', '[]', '', '', '', '{at}')"
            )
            for amount in (2, 3, 4):
                conn.exec_driver_sql(
                    "INSERT INTO use_events (product_id, taken_at, tz, amount, unit, "
                    f"conversion_note, note, created_at) VALUES (1, '{at}', 'UTC', {amount}, 'g',"
                    f" '', 'use {amount}', '{at}')"
                )
            conn.exec_driver_sql("DELETE FROM use_events WHERE id = 3")
            conn.exec_driver_sql(
                f"INSERT INTO checkins (recorded_at, tz, mood, note, created_at) "
                f"VALUES ('{at}', 'UTC', 7, 'kept', '{at}')"
            )
        migrate(engine)
        with engine.begin() as conn:
            uses = conn.exec_driver_sql(
                "SELECT id, amount, note, version FROM use_events ORDER BY id"
            ).all()
            checkin = conn.exec_driver_sql("SELECT id, mood, note, version FROM checkins").one()
            conn.exec_driver_sql("DELETE FROM use_events WHERE id = 2")
            conn.exec_driver_sql(
                "INSERT INTO use_events (product_id, taken_at, tz, amount, unit, conversion_note,"
                f" note, created_at) VALUES (1, '{at}', 'UTC', 5, 'g', '', 'new', '{at}')"
            )
            new_id = conn.exec_driver_sql("SELECT id FROM use_events WHERE note = 'new'").scalar()
            broken = conn.exec_driver_sql(
                "SELECT count(*) FROM use_events u LEFT JOIN products p ON p.id = u.product_id "
                "WHERE p.id IS NULL"
            ).scalar()
        assert [tuple(row) for row in uses] == [(1, 2.0, "use 2", 1), (2, 3.0, "use 3", 1)]
        assert tuple(checkin) == (1, 7, "kept", 1)
        assert new_id == 3  # after 2 (the newest, now deleted): never 2 again
        assert broken == 0
        assert pending_changes(engine) == []
    finally:
        engine.dispose()


def test_a_failed_foreign_key_check_rolls_the_whole_migration_back(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path}/fk.db")
    migrate(engine, "0004")
    at = "2026-11-20 08:00:00"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(
            "INSERT INTO use_events (product_id, taken_at, tz, amount, unit, conversion_note, "
            f"note, created_at) VALUES (99, '{at}', 'UTC', 1, 'g', '', '', '{at}')"
        )
        raw.execute("PRAGMA foreign_keys=ON")
    with pytest.raises(StorageError, match=r"1 row\(s\) pointing at missing rows"):
        migrate(engine)
    assert current_revision(engine) == "0004"
    engine.dispose()


def test_head_is_the_newest_migration_script() -> None:
    assert HEAD == head_revision() == REVISIONS[-1]


def test_a_journal_at_head_opens_without_alembic_and_an_older_one_is_upgraded(
    database: str,
) -> None:
    engine = build_engine(database)
    migrate(engine)
    code = (
        "import sys; from mitra.adapters.store.engine import build_engine; "
        "from mitra.adapters.store.migrate import migrate; "
        f"migrate(build_engine({database!r})); print('alembic' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (found.returncode, found.stdout.strip()) == (0, "False")
    downgrade(engine, REVISIONS[-2])
    migrate(engine)
    assert current_revision(engine) == HEAD
    engine.dispose()
