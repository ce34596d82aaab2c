"""The journals of a server: made and removed outside any one journal's transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t


def add(conn: Connection, label: str, now: datetime) -> int:
    new_id = conn.execute(t.journals.insert().values(label=label, created_at=now))
    assert new_id.inserted_primary_key is not None
    return int(new_id.inserted_primary_key[0])


def remove(conn: Connection, journal_id: int) -> bool:
    """Remove the journal's row (its rows in journal tables must be deleted first)."""
    return bool(conn.execute(t.journals.delete().where(t.journals.c.id == journal_id)).rowcount)


def exists(conn: Connection, journal_id: int) -> bool:
    query = sa.select(t.journals.c.id).where(t.journals.c.id == journal_id)
    return conn.execute(query).scalar_one_or_none() is not None
