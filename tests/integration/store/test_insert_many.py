"""insert_many (one compiled INSERT per table, values converted once) stores exactly what
SQLAlchemy's own `table.insert()` executemany stores, on SQLite and PostgreSQL (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from tests.conftest import NOW

from mitra.adapters.store import tables as t
from mitra.adapters.store.repositories import insert_many
from mitra.services.context import Mitra


def _vitals(start: datetime, note: str) -> list[dict[str, Any]]:
    return [
        {
            "measured_at": start + timedelta(hours=i),
            "tz": "Europe/London",
            "heart_rate": 60 + i if i % 3 else None,
            "systolic": None,
            "diastolic": None,
            "note": f"{note} {i} — ünïcode",
            "created_at": NOW,
        }
        for i in range(5)
    ]


def test_insert_many_stores_what_sqlalchemy_stores(mitra: Mitra) -> None:
    london = datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    with mitra.store.write() as conn:
        insert_many(conn, t.vitals, _vitals(london, "fast"))
        conn.execute(t.vitals.insert(), _vitals(london, "slow"))
    with mitra.store.read() as conn:
        rows = conn.execute(sa.select(t.vitals).order_by(t.vitals.c.id)).mappings().all()
    fast = [{k: v for k, v in r.items() if k not in ("id", "note")} for r in rows[:5]]
    slow = [{k: v for k, v in r.items() if k not in ("id", "note")} for r in rows[5:]]
    assert fast == slow
    assert rows[0]["measured_at"] == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # BST -> UTC
    assert [r["heart_rate"] for r in rows[:5]] == [None, 61, 62, None, 64]
    assert rows[4]["note"] == "fast 4 — ünïcode"


def test_rows_naming_different_columns_are_refused_as_sqlalchemy_refuses_them(
    mitra: Mitra,
) -> None:
    rows = _vitals(NOW, "mixed")
    del rows[1]["note"]
    with pytest.raises(StatementError, match="A value is required for bind parameter 'note'"):
        with mitra.store.write() as conn:
            insert_many(conn, t.vitals, rows)
    with mitra.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.vitals)).scalar() == 0
