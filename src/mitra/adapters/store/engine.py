"""Building the engine and running transactions: the only place that knows SQLite's pragmas.

SQLite is driven in explicit-transaction mode (the pysqlite driver's own BEGIN handling is turned
off and we emit BEGIN ourselves), so every use case is one real transaction; writes take the write
lock up front with BEGIN IMMEDIATE, so concurrent writers queue on busy_timeout instead of failing.

Plain and encrypted (SQLCipher) journal files go through the same engine, pragmas and transactions:
an encrypted one only differs in how a connection is made (`cipher.connect` keys it first).
Every connection runs with `secure_delete=ON`, so deleted text is overwritten with zeros rather than
left in free pages. Opening a journal file first checks it (damage is reported as damage, never as
a wrong passphrase), makes it private (0600) and removes a rewrite copy a killed run left behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from mitra.adapters.files import create_private, make_private
from mitra.adapters.store import cipher
from mitra.adapters.store.scope import APP_ROLE, scope_sqlite_statement
from mitra.adapters.store.tables import (
    FILTER_OPTION,
    JOURNAL_OPTION,
    NO_JOURNAL,
    PERSONAL_JOURNAL,
)
from mitra.errors import (
    ConfigurationError,
    ConflictError,
    DamagedJournalError,
    LockedError,
    StorageError,
)

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 10_000
WRITER_WAIT_S = 60.0  # how long a write waits for this process's other writers
WRITER_LOCK_SPACE = 0x4D49  # PostgreSQL advisory locks: (this, journal id) = a journal's writer


def sqlite_path(url: str) -> Path | None:
    """The journal file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite" or sa_url.database in (None, "", ":memory:"):
        return None
    return Path(sa_url.database)


def build_engine(url: str, passphrase: str | None = None) -> Engine:
    """An engine for `url`; for SQLite, makes the folder and sets WAL, FULL sync, foreign keys.

    With a passphrase the SQLite file is encrypted with SQLCipher (created so when new); a wrong
    passphrase raises WrongPassphraseError before anything is opened. An encrypted file without
    a passphrase raises LockedError.
    """
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        if passphrase is not None:
            raise ConfigurationError(
                "passphrase encryption is for SQLite journals; protect a PostgreSQL server "
                "with disk or server encryption"
            )
        return sa.create_engine(sa_url, pool_pre_ping=True)
    path = sqlite_path(url)
    if path is not None:
        _prepare_file(path)
    if passphrase is not None:
        engine = _encrypted_engine(sa_url, path, passphrase)
    elif path is not None and cipher.is_encrypted(path):
        raise LockedError("this journal is encrypted: give its passphrase to open it")
    else:
        if path is not None:
            cipher.check_plain(path)
        engine = sa.create_engine(sa_url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "before_execute", scope_sqlite_statement, retval=True)
    return engine


def _prepare_file(path: Path) -> None:
    """The folder exists; the journal file exists, readable by this user only (SQLite gives its
    -wal and -shm files the journal's mode); no stale rewrite copy lies beside it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        cipher.remove_stale_rewrite(path)
        if path.exists():
            make_private(path)
        elif not path.is_symlink():
            create_private(path)
    except (OSError, ConflictError):
        pass  # a read-only disk, a dangling link, a file not ours: SQLite's open reports it


def _encrypted_engine(sa_url: sa.URL, path: Path | None, passphrase: str) -> Engine:
    if path is None:
        raise ConfigurationError("an in-memory journal cannot be encrypted")
    if path.exists() and path.stat().st_size > 0 and not cipher.is_encrypted(path):
        raise ConflictError("this journal is not encrypted; protect it with `mitra lock encrypt`")
    if cipher.is_encrypted(path):
        key = cipher.check_passphrase(path, passphrase)
    else:
        key = cipher.key_for(path, passphrase)
    timeout = BUSY_TIMEOUT_MS / 1000
    engine = sa.create_engine(
        sa_url, module=cipher.DBAPI, creator=lambda: cipher.connect(path, key, timeout)
    )
    event.listen(engine, "engine_disposed", lambda _engine: key.wipe())
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "secure_delete=ON",
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
    """One journal's storage: an engine, and one transaction per use case.

    Every transaction belongs to `journal_id` (the personal journal unless `for_journal` chose
    another): rows written are stamped with it, and reads, updates and deletes see only its rows
    — on SQLite because every statement gets the filter (`scope.scope_sqlite_statement`), on
    PostgreSQL by row-level security, the transaction running as the `mitra_app` role with the
    setting `mitra.journal_id` (both local to the transaction)."""

    def __init__(
        self,
        engine: Engine,
        journal_id: int = PERSONAL_JOURNAL,
        writers: threading.RLock | None = None,
    ) -> None:
        self.engine = engine
        self.journal_id = journal_id
        # SQLite has one writer at a time. Writers of this process queue here, in the order
        # they came, instead of polling SQLite's lock (its busy handler sleeps and retries, so
        # under many concurrent requests a writer could wait for seconds while newer ones win).
        # Reentrant, so a nested write on one thread still meets SQLite's busy timeout, as before.
        self._writers = writers if writers is not None else threading.RLock()

    def for_journal(self, journal_id: int) -> Store:
        """The same storage (engine and writer queue), for another journal's transactions."""
        return Store(self.engine, journal_id, self._writers)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        if not is_sqlite(self.engine):
            with self._connect(write=True) as conn, conn.begin():
                self._enter_journal(conn)
                # One writer per journal at a time, as SQLite has one writer: a use case reads,
                # decides and writes (a dose's safety alerts, a plan's step), and two at once
                # for one journal would both decide on what they read (two inserts of one alert
                # key: a unique violation, a 500). Other journals' writers do not wait.
                # Accounts' transactions (no journal) are not serialised: sessions and tokens are
                # rows of their own, and every request's session check is one of them.
                if self.journal_id != NO_JOURNAL:
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:space, :journal)"),
                        {"space": WRITER_LOCK_SPACE, "journal": self.journal_id},
                    )
                yield conn
            return
        if not self._writers.acquire(timeout=WRITER_WAIT_S):
            raise StorageError("the journal is busy (another write is still running); try again")
        try:
            with self._connect(write=True) as conn, conn.begin():
                self._decide_filter(conn)
                yield conn
        finally:
            self._writers.release()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._connect(write=False) as conn, conn.begin():
            if is_sqlite(self.engine):
                self._decide_filter(conn)
            else:
                self._enter_journal(conn)
            yield conn

    def _decide_filter(self, conn: Connection) -> None:
        """SQLite, as the transaction's first statement: filter unless every journal of the store
        is this transaction's own (see `scope`; the answer holds for the whole transaction)."""
        try:
            others = conn.exec_driver_sql(
                "SELECT EXISTS (SELECT 1 FROM journals WHERE id != ?)", (self.journal_id,)
            ).scalar()
        except OperationalError:  # no journals table (a store not migrated yet): filter
            others = True
        conn.execution_options(**{FILTER_OPTION: bool(others)})

    def _enter_journal(self, conn: Connection) -> None:
        """PostgreSQL: this transaction runs as the app role, for this journal only (both
        settings end with the transaction, so a pooled connection keeps neither)."""
        conn.execute(
            sa.text(
                "SELECT set_config('mitra.journal_id', :journal, true), "
                "set_config('role', :role, true)"
            ),
            {"journal": str(self.journal_id), "role": APP_ROLE},
        )

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[Connection]:
        with self._translated():
            conn = self.engine.connect()
        try:
            conn = conn.execution_options(**{JOURNAL_OPTION: self.journal_id})
            if write and is_sqlite(self.engine):
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with self._translated():
                yield conn
        finally:
            conn.close()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """The driver's storage errors as Mitra's: busy/read-only/full, and damage."""
        try:
            yield
        except OperationalError as exc:
            raise StorageError(_storage_message(exc)) from exc
        except DatabaseError as exc:
            if not _is_damage(exc):
                raise
            path = sqlite_path(str(self.engine.url))
            name = path.name if path is not None else "the journal"
            raise DamagedJournalError(cipher.DAMAGED.format(name=name)) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _is_damage(exc: DatabaseError) -> bool:
    text = str(exc.orig).lower()
    return "malformed" in text or "not a database" in text


def _storage_message(exc: OperationalError) -> str:
    text = str(exc.orig).lower()
    log.warning("storage error: %s", type(exc.orig).__name__)
    if "locked" in text or "busy" in text:
        return "the journal is busy (locked by another program); try again in a moment"
    if "readonly" in text or "read-only" in text:
        return "the journal file is read-only; check its permissions"
    if "disk" in text and "full" in text:
        return "the disk is full; free some space and try again — nothing was saved"
    if "unable to open" in text:
        return "the journal file could not be opened (is its folder read-only?); nothing was saved"
    return "the journal could not be reached; nothing was saved"
