"""Reading and writing stored safety alerts (one row per condition key)."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.adapters.store.repositories import RowMap, check_id
from mitra.domain.safety import Alert, Severity, StoredAlert
from mitra.errors import NotFoundError


def to_row(stored: StoredAlert) -> dict[str, Any]:
    a = stored.alert
    return {
        "rule_id": a.rule_id,
        "key": a.key,
        "severity": a.severity.value,
        "title": a.title,
        "because": a.because,
        "what_to_do": a.what_to_do,
        "sources": list(a.sources),
        "evidence_at": a.evidence_at,
        "first_seen": stored.first_seen,
        "last_seen": stored.last_seen,
        "acknowledged_at": stored.acknowledged_at,
        "resolved_at": stored.resolved_at,
        "times_raised": stored.times_raised,
    }


def from_row(row: RowMap) -> StoredAlert:
    alert = Alert(
        rule_id=row["rule_id"],
        severity=Severity(row["severity"]),
        title=row["title"],
        because=row["because"],
        what_to_do=row["what_to_do"],
        sources=tuple(row["sources"]),
        key=row["key"],
        evidence_at=row["evidence_at"],
    )
    return StoredAlert(
        alert,
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        acknowledged_at=row["acknowledged_at"],
        resolved_at=row["resolved_at"],
        times_raised=row["times_raised"],
        id=row["id"],
    )


def all_alerts(conn: Connection) -> list[StoredAlert]:
    rows = conn.execute(t.alerts.select().order_by(t.alerts.c.id)).mappings()
    return [from_row(row) for row in rows]


def get(conn: Connection, alert_id: int) -> StoredAlert:
    check_id(alert_id, "alert")
    row = conn.execute(t.alerts.select().where(t.alerts.c.id == alert_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no alert with id {alert_id}")
    return from_row(row)


def add(conn: Connection, stored: StoredAlert) -> StoredAlert:
    new_id = conn.execute(t.alerts.insert().values(to_row(stored))).inserted_primary_key
    assert new_id is not None
    return dataclasses.replace(stored, id=new_id[0])


def update(conn: Connection, stored: StoredAlert) -> None:
    update_many(conn, [stored])


def update_many(conn: Connection, changed: list[StoredAlert]) -> None:
    """Rewrite several stored alerts with one executemany statement."""
    if not changed:
        return
    statement = t.alerts.update().where(t.alerts.c.id == sa.bindparam("alert_id"))
    conn.execute(statement, [{**to_row(s), "alert_id": s.id} for s in changed])


def count(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(t.alerts)).scalar_one())
