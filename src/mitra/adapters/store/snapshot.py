"""Whole-journal operations on the store: read every table, insert rows keeping their ids, erase,
and compact the file.

Used by export/import, backup/restore and erase. "Every table" is the journal's tables
(`tables.JOURNAL_TABLES`) plus `preferences`, in an order where a row's foreign keys always point at
rows written before it; export and import add each registered kind's table
(`services/registry.stored_tables`). Storage knows no export format: the logical checksum of a
table (over its rows as JSON values) is the backup service's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from mitra.adapters.store import tables as t
from mitra.adapters.store.engine import is_sqlite
from mitra.errors import StorageError


def user_tables() -> list[sa.Table]:
    """Every table holding the person's data, parents before children (foreign keys)."""
    wanted = {table.name for table in (*t.JOURNAL_TABLES, t.preferences)}
    return [table for table in t.metadata.sorted_tables if table.name in wanted]


def table_named(name: str) -> sa.Table | None:
    return next((table for table in user_tables() if table.name == name), None)


def _order(table: sa.Table) -> list[sa.ColumnElement[Any]]:
    return [column for column in table.primary_key.columns if column.name != "journal_id"]


def read_rows(conn: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    """Every row of `table` in primary-key order, as column name -> Python value."""
    query = sa.select(*t.data_columns(table)).order_by(*_order(table))
    for row in conn.execute(query).mappings():
        yield dict(row)


def count_rows(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def counts(conn: Connection, tables: Sequence[sa.Table] | None = None) -> dict[str, int]:
    return {table.name: count_rows(conn, table) for table in tables or user_tables()}


def is_empty(
    conn: Connection,
    ignore: Iterable[str] = ("activity", "preferences"),
    tables: Sequence[sa.Table] | None = None,
) -> bool:
    """No journal entries (activity records and preferences such as the zone do not count)."""
    skipped = set(ignore)
    return all(
        count_rows(conn, tb) == 0 for tb in tables or user_tables() if tb.name not in skipped
    )


def insert_rows(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows exactly as given, ids included (used on an empty journal only)."""
    if rows:
        conn.execute(table.insert(), [dict(row) for row in rows])
    return len(rows)


def upsert_preferences(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    table = t.preferences
    for row in rows:
        conn.execute(table.delete().where(table.c.key == row["key"]))
        conn.execute(table.insert().values(key=row["key"], value=row["value"]))
    return len(rows)


def reset_sequences(conn: Connection, tables: Sequence[sa.Table] | None = None) -> None:
    """After inserting explicit ids on PostgreSQL, point each id sequence past the highest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables or user_tables():
        if "id" not in table.c:
            continue
        # never backwards: ids are shared by every journal of a server, and row-level
        # security shows this transaction only its own journal's highest id
        conn.exec_driver_sql(
            f"SELECT setval(seq, GREATEST(COALESCE((SELECT MAX(id) FROM {table.name}), 0), "
            "COALESCE(pg_sequence_last_value(seq), 0)) + 1, false) "
            f"FROM CAST(pg_get_serial_sequence('{table.name}', 'id') AS regclass) AS seq"
        )


def delete_all(conn: Connection) -> dict[str, int]:
    """Delete every row of the person's data, children first; returns rows removed per table."""
    removed: dict[str, int] = {}
    for table in reversed(user_tables()):
        removed[table.name] = conn.execute(table.delete()).rowcount
    return removed


def compact(engine: Engine) -> None:
    """Rewrite the storage so deleted rows leave no trace in the file: SQLite VACUUM, then a WAL
    checkpoint that truncates the -wal file to zero bytes; PostgreSQL plain VACUUM."""
    if is_sqlite(engine):
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()
            cursor.close()
        except engine.dialect.loaded_dbapi.Error as exc:
            raise StorageError("the journal file could not be compacted") from exc
        finally:
            raw.close()
        if busy and busy[0]:
            raise StorageError("the journal's WAL could not be emptied: another reader is open")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in user_tables():
            conn.exec_driver_sql(f"VACUUM {table.name}")
