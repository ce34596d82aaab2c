"""One patient-year of demo entries (generated beforehand) through the service layer, versus
raw sqlite3.executemany of the very same rows into the same schema (same pragmas, one
transaction). Target (issue 16): <= 2x."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.timing import best_of, report
from mitra.adapters.store.engine import build_engine
from mitra.adapters.store.migrate import migrate
from mitra.adapters.store.tables import JOURNAL_TABLES
from mitra.domain.demo import DemoKnobs, generate
from mitra.services.context import open_mitra
from mitra.services.demo import ingest_demo
from mitra.settings import load_settings

DAYS = 365
TABLE_ORDER = ("products", "medications", "use_events", "checkins", "adverse_effects", "vitals")


def _template(folder: Path) -> Path:
    path = folder / "template.db"
    engine = build_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


def _fresh(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)


def _rows(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    with sqlite3.connect(path) as conn:
        out = {}
        for table in TABLE_ORDER:
            cursor = conn.execute(f"SELECT * FROM {table}")
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        return out


def _raw_insert(path: Path, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN IMMEDIATE")
    for table in TABLE_ORDER:
        columns, values = rows[table]
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    conn.execute("COMMIT")
    conn.close()


def run() -> None:
    assert set(TABLE_ORDER) <= {t.name for t in JOURNAL_TABLES}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = _template(folder)
        service_db = folder / "data" / "mitra.db"
        service_db.parent.mkdir()
        settings = load_settings(data_dir=folder / "data", timezone="UTC")

        demo = generate(DemoKnobs(days=DAYS, seed=1, tz="UTC"), datetime.now(UTC))

        def through_services() -> None:
            mitra = open_mitra(settings, run_migrations=False)
            ingest_demo(mitra, demo)
            mitra.close()

        service = best_of(5, through_services, lambda: _fresh(template, service_db))
        rows = _rows(service_db)
        raw_db = folder / "raw.db"
        raw = best_of(5, lambda: _raw_insert(raw_db, rows), lambda: _fresh(template, raw_db))
        count = sum(len(values) for _, values in rows.values())
        report(
            f"ingest one patient-year ({count} rows): service layer vs raw executemany",
            service,
            raw,
            target=2.0,
        )
