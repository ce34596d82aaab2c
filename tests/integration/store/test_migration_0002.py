"""Migration 0002 (questionnaire responses): up, matches the tables module, down, and up again."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import (
    current_revision,
    downgrade,
    head_revision,
    migrate,
    pending_changes,
)


def test_0002_upgrades_downgrades_to_0001_and_upgrades_again(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'mitra.db'}")
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert pending_changes(engine) == []
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "questionnaire_responses" not in sa.inspect(engine).get_table_names()
    migrate(engine)
    assert "questionnaire_responses" in sa.inspect(engine).get_table_names()
    assert pending_changes(engine) == []
    engine.dispose()
