"""Migrations: upgrade to head, no pending autogenerate diff, downgrade to base; newer refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import (
    check_version,
    current_revision,
    downgrade,
    head_revision,
    migrate,
    pending_changes,
)
from mitra.adapters.store.tables import metadata
from mitra.errors import StorageError

PG_URL = os.environ.get("MITRA_TEST_DATABASE_URL", "")


def _urls(tmp_path: Path) -> list[str]:
    return [f"sqlite:///{tmp_path}/m.db"] + ([PG_URL] if PG_URL else [])


def test_upgrade_head_has_no_pending_changes_and_downgrades_to_base(tmp_path: Path) -> None:
    for url in _urls(tmp_path):
        engine = build_engine(url)
        try:
            downgrade(engine, "base")
            assert current_revision(engine) is None
            migrate(engine)
            assert current_revision(engine) == head_revision()
            assert pending_changes(engine) == []
            names = set(sa.inspect(engine).get_table_names())
            assert set(metadata.tables) <= names
            downgrade(engine, "base")
            assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        finally:
            migrate(engine)
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
