"""Migrations: every revision up and down on both databases, no pending autogenerate diff at
head, and a journal from a newer Mitra refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import (
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
