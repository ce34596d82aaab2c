"""The journals of a server: made and removed outside any one journal's transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mitra.adapters.store import tables as t
from mitra.errors import ConflictError


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


def count(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(t.journals)).scalar_one())


def refuse_original_ids_when_shared(conn: Connection, what: str) -> None:
    """Restore and the Mitra JSON import write rows with the ids they had. Ids are shared by
    every journal of a store, so on a store with more than one journal (server mode) one of them
    could name another journal's row (a clash, or a use pointing at another journal's product):
    refused there. A personal store holds one journal."""
    if count(conn) > 1:
        raise ConflictError(
            f"{what} keeps every entry's original id, which can clash with another journal's on "
            "a store with several journals (server mode); it is refused here. Use it on a "
            "personal Mitra, or add the entries through the API"
        )
