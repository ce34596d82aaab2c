"""Backup and migrations keep every row.

Migrations: a journal at the first schema revision (0001), filled with the demo generator's rows
inserted raw (only the columns 0001 had), upgraded to head: every table keeps its row count and
every 0001 column its values, on SQLite and PostgreSQL.

Backup: `mitra backup` of a demo journal, `mitra restore` into a fresh journal; a logical
checksum of every table (computed here, independently of the service's own) must be equal.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from tests.conftest import NOW

from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import current_revision, head_revision, migrate
from mitra.domain.demo import DemoKnobs, generate
from mitra.services.context import open_mitra
from mitra.services.demo import ingest_demo
from mitra.settings import load_settings

SKIPPED = {"alembic_version", "activity"}  # activity: backup/restore record themselves there


def demo_rows(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """A year of demo entries, written through the services into a head-schema file, read back."""
    settings = load_settings(data_dir=tmp_path / "source", timezone="Europe/London")
    mitra = open_mitra(settings)
    knobs = DemoKnobs(365, 3, "steady", 0.0, mitra.timezone())
    ingest_demo(mitra, generate(knobs, NOW), seed=3)
    source = sa.MetaData()
    source.reflect(mitra.store.engine)
    with mitra.store.engine.connect() as conn:
        rows = {
            name: [dict(r) for r in conn.execute(table.select()).mappings()]
            for name, table in source.tables.items()
            if name not in SKIPPED
        }
    mitra.close()
    return {name: found for name, found in rows.items() if found}


def table_snapshot(
    engine: sa.Engine, columns: dict[str, list[str]]
) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            table: [
                tuple(r)
                for r in conn.execute(sa.text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1"))
            ]
            for table, cols in columns.items()
        }


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_upgrading_a_populated_first_revision_journal_to_head_keeps_every_row(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    url = (
        request.getfixturevalue("pg_schema_url")
        if backend == "postgresql"
        else f"sqlite:///{tmp_path / 'old.db'}"
    )
    rows = demo_rows(tmp_path)
    engine = build_engine(url)
    migrate(engine, "0001")
    old_tables = set(sa.inspect(engine).get_table_names())
    columns: dict[str, list[str]] = {}
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        for name in [t.name for t in metadata.sorted_tables if t.name in rows]:
            table = metadata.tables[name]
            columns[name] = [c.name for c in table.columns]
            conn.execute(table.insert(), [{c: r[c] for c in columns[name]} for r in rows[name]])
    if backend == "postgresql":
        with engine.begin() as conn:
            for name in [n for n in columns if "id" in columns[n]]:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
    before = table_snapshot(engine, columns)
    migrate(engine)
    after = table_snapshot(engine, columns)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    total = sum(len(v) for v in before.values())
    figure(
        f"{backend}: 0001 -> {head_revision()}: {total} rows in {len(columns)} tables "
        f"({len(old_tables)} tables at 0001), {total - sum(len(v) for v in after.values())} lost"
    )
    assert {t: len(v) for t, v in after.items()} == {t: len(v) for t, v in before.items()}
    assert after == before
    assert total > 500


def logical_checksums(path: Path) -> dict[str, str]:
    """sha256 of every row of every table (primary-key order), independent of Mitra's code."""
    engine = sa.create_engine(f"sqlite:///{path}")
    sums: dict[str, str] = {}
    with engine.connect() as conn:
        for name in sorted(set(sa.inspect(conn).get_table_names()) - SKIPPED):
            digest = hashlib.sha256()
            for row in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
            sums[name] = digest.hexdigest()
    engine.dispose()
    return sums


def preferences_but_evaluated(path: Path) -> list[tuple[object, ...]]:
    """Every preference but the time of the last full safety evaluation (a restore runs one)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT * FROM preferences WHERE key != 'safety_evaluated_at' ORDER BY 1")
        )
        found = [tuple(row) for row in rows]
    engine.dispose()
    return found


def stable_alerts(path: Path) -> list[tuple[object, ...]]:
    """Every stored alert without its last_seen time (which a re-evaluation moves)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, rule_id, key, severity, because, first_seen, acknowledged_at, "
                "resolved_at, times_raised FROM alerts ORDER BY id"
            )
        )
        found = [tuple(row) for row in rows]
    engine.dispose()
    return found


def mitra_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MITRA_DATA_DIR": str(data_dir), "MITRA_TIMEZONE": "Europe/London", "PATH": "/usr/bin"}
    return subprocess.run(
        [sys.executable, "-m", "mitra", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_backup_then_restore_into_a_fresh_journal_keeps_every_table_identical(
    tmp_path: Path, figure: Callable[[str], None]
) -> None:
    source, target, file = tmp_path / "a", tmp_path / "b", tmp_path / "backup.db"
    assert mitra_cli(source, "demo", "--days", "200").returncode == 0
    assert mitra_cli(source, "checkin", "--mood", "5", "--note", "é ü <b>&").returncode == 0
    made = mitra_cli(source, "backup", "--output", str(file))
    if made.returncode != 0 and "No such command" in made.stderr:
        pytest.skip("`mitra backup` does not exist yet")
    assert made.returncode == 0, made.stderr
    restored = mitra_cli(target, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    original = logical_checksums(source / "mitra.db")
    copy = logical_checksums(target / "mitra.db")
    # Restore evaluates safety before it reports success, so each alert's last_seen moves to the
    # restore's time; everything else about every alert must survive, and every other table is
    # identical row for row.
    alerts = (original.pop("alerts", None), copy.pop("alerts", None))
    # The journals table names the journal the migration made (its creation time is the
    # target's own), and the restore's full evaluation records when it ran among the
    # preferences; every other preference must survive.
    for made_here in ("journals", "preferences"):
        original.pop(made_here), copy.pop(made_here)
    assert preferences_but_evaluated(target / "mitra.db") == preferences_but_evaluated(
        source / "mitra.db"
    )
    figure(f"backup -> restore: {len(original)} tables, checksums equal: {original == copy}")
    assert copy == original
    assert len(original) >= 6
    assert alerts[0] is not None and alerts[1] is not None
    assert stable_alerts(target / "mitra.db") == stable_alerts(source / "mitra.db")
