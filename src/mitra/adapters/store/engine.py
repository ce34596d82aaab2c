"""Building the engine and running transactions: the only place that knows SQLite's pragmas.

SQLite is driven in explicit-transaction mode (the pysqlite driver's own BEGIN handling is turned
off and we emit BEGIN ourselves), so every use case is one real transaction; writes take the write
lock up front with BEGIN IMMEDIATE, so concurrent writers queue on busy_timeout instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from mitra.errors import StorageError

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 10_000


def build_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite, makes the folder and sets WAL, FULL sync, foreign keys."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return sa.create_engine(sa_url, pool_pre_ping=True)
    if sa_url.database and sa_url.database != ":memory:":
        folder = Path(sa_url.database).parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = sa.create_engine(sa_url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Store:
    """The journal's storage: one engine, and one transaction per use case."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._connect(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._connect(write=False) as conn, conn.begin():
            yield conn

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[Connection]:
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise StorageError(_storage_message(exc)) from exc
        try:
            if write and is_sqlite(self.engine):
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            yield conn
        except OperationalError as exc:
            raise StorageError(_storage_message(exc)) from exc
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _storage_message(exc: OperationalError) -> str:
    text = str(exc.orig).lower()
    log.warning("storage error: %s", type(exc.orig).__name__)
    if "locked" in text or "busy" in text:
        return "the journal is busy (locked by another program); try again in a moment"
    if "readonly" in text or "read-only" in text:
        return "the journal file is read-only; check its permissions"
    if "disk" in text and "full" in text:
        return "the disk is full; free some space and try again — nothing was saved"
    return "the journal could not be reached; nothing was saved"
