"""The journal as a whole: backup (a consistent copy, verified against the journal), restore
(checked, checksummed; an encrypted backup is opened with its passphrase) and erase (every row
removed, then the file compacted so no deleted text remains in it).

Each leaves an activity record of its outcome; an erase's record holds only the counts removed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from mitra.adapters.export.codec import encode_row
from mitra.adapters.files import create_private, write_private
from mitra.adapters.store import cipher, journals, snapshot
from mitra.adapters.store.engine import Store, build_engine, is_sqlite, sqlite_path
from mitra.adapters.store.migrate import known_revisions, migrate
from mitra.domain.activity import Status
from mitra.errors import (
    ConflictError,
    DamagedJournalError,
    InvalidInputError,
    LockedError,
    MitraError,
    StorageError,
)
from mitra.services import activity, safety
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded

Progress = Callable[[int, int], None]
ERASE_MARKER_SUFFIX = ".erasing"
PG_GUIDANCE = (
    "this journal is on PostgreSQL; back it up with the server's own tool instead: "
    "`pg_dump --format=custom --file=mitra.dump DATABASE` (and restore it with "
    "`pg_restore --clean --dbname=DATABASE mitra.dump`). Nothing was written."
)
SQLITE_ERASE_NOTE = (
    "The journal file was compacted and its write-ahead log emptied, so the deleted text is no "
    "longer in it."
)
PG_ERASE_NOTE = (
    "PostgreSQL vacuumed the tables, but the server's write-ahead log, its backups and any "
    "replicas can keep the deleted data until they are rotated or expire; ask whoever runs the "
    "server."
)


class UnsupportedBackendError(MitraError):
    """`mitra backup` copies SQLite files only; PostgreSQL has pg_dump."""

    status = 400


@dataclass(frozen=True)
class Copied:
    """A backup or restore: the rows per table and each table's checksum."""

    counts: dict[str, int]
    checksums: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _summary(conn: Connection) -> Copied:
    return Copied(snapshot.counts(conn), checksums(conn))


def _sqlite_copy(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """SQLite's online backup API, in one step (inside the caller's read transaction, if any)."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=-1, progress=step)
    finally:
        destination.close()


def _copy_and_check(conn: Connection, path: Path, progress: Progress | None) -> Copied:
    """Copy the journal into the (empty, private) file `path` in one transaction, so the copy
    and the checksums of the journal see the same moment; then read the copy back through the
    same connection (an encrypted journal's copy is attached with the journal's own key) and
    compare every table's rows and checksum."""
    driver: Any = conn.connection.driver_connection
    encrypted = not isinstance(driver, sqlite3.Connection)
    if encrypted:
        driver.execute("ATTACH DATABASE ? AS copy", (str(path),))
    try:
        with conn.begin():
            live = _summary(conn)
            if encrypted:
                driver.execute("SELECT sqlcipher_export('copy')").fetchall()
            else:
                _sqlite_copy(driver, path, progress)
        if not encrypted:
            driver.execute("ATTACH DATABASE ? AS copy", (str(path),))
        with conn.begin():
            copied = _summary(conn.execution_options(schema_translate_map={None: "copy"}))
    finally:
        driver.execute("DETACH DATABASE copy")
    if progress is not None and encrypted:
        progress(1, 1)
    if copied != live:
        raise StorageError("the backup did not match the journal when read back")
    return copied


def backup(mitra: Mitra, path: Path, progress: Progress | None = None) -> Copied:
    """A consistent copy of a running SQLite journal (encrypted with the journal's key when the
    journal is encrypted), read back and compared with the journal table by table."""

    def work() -> Copied:
        engine = mitra.store.engine
        if not is_sqlite(engine):
            raise UnsupportedBackendError(PG_GUIDANCE)
        create_private(path)
        try:
            with engine.connect() as conn:
                copied = _copy_and_check(conn, path, progress)
        except (StorageError, DBAPIError) as exc:
            path.unlink(missing_ok=True)
            raise StorageError(
                "the backup could not be written and checked; no backup was kept"
            ) from exc
        cipher.fsync_path(path)
        return copied

    return recorded(mitra, "backup", work, lambda done: done.counts)


# --- restore ---------------------------------------------------------------------------------


def is_encrypted_backup(path: Path) -> bool:
    """True when `path` is an encrypted backup, so restoring it needs its passphrase."""
    return path.is_file() and cipher.is_encrypted(path)


def _check_revision(conn: Any) -> None:
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except (sqlite3.DatabaseError, cipher.DBAPI.DatabaseError):
        raise InvalidInputError.one("file", "is not a Mitra journal (no schema revision)") from None
    revision = rows[0][0] if rows else None
    if revision not in known_revisions():
        raise InvalidInputError.one(
            "file", f"is at schema revision {revision!r}, which this Mitra does not know"
        )


@contextmanager
def _opened_backup(path: Path, passphrase: str | None) -> Iterator[tuple[Any, str | None]]:
    """The backup checked (a Mitra journal at a known revision, undamaged) and open, with the
    passphrase of a private temporary copy: the copy of an encrypted backup is encrypted too."""
    if not path.is_file():
        raise InvalidInputError.one("file", f"{path} does not exist")
    try:
        if cipher.is_encrypted(path):
            if passphrase is None:
                raise LockedError("this backup is encrypted: give its passphrase to restore it")
            with cipher.opened(path, cipher.key_for(path, passphrase)) as conn:
                _check_revision(conn)
                yield conn, secrets.token_hex(16)
            return
        cipher.check_plain(path)
    except DamagedJournalError:
        raise InvalidInputError.one("file", "is damaged (fails SQLite's checks)") from None
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _check_revision(source)
        yield source, None
    finally:
        source.close()


def _source_rows(
    path: Path, passphrase: str | None, progress: Progress | None
) -> tuple[dict[str, list[Any]], Copied]:
    """Every row of the backup, brought to the current schema in a private temporary copy."""
    with tempfile.TemporaryDirectory(prefix="mitra-restore-") as folder:
        copy = Path(folder) / "journal.db"
        with _opened_backup(path, passphrase) as (source, copy_passphrase):
            if copy_passphrase is None:
                _sqlite_copy(source, copy, progress)
            else:
                cipher.export(source, copy, cipher.new_key(copy_passphrase))
        engine = build_engine(f"sqlite:///{copy}", copy_passphrase)
        try:
            migrate(engine)
            with Store(engine).read() as conn:
                rows = {t.name: list(snapshot.read_rows(conn, t)) for t in snapshot.user_tables()}
                summary = Copied(snapshot.counts(conn), checksums(conn))
        finally:
            engine.dispose()
    return rows, summary


def restore(
    mitra: Mitra,
    path: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    passphrase: str | None = None,
) -> Copied:
    """Replace the journal with a backup, all or nothing; every table's checksum must match.
    An encrypted backup needs its own passphrase (it may differ from the journal's)."""

    def work() -> Copied:
        rows, source = _source_rows(path, passphrase, progress)
        with mitra.store.write() as conn:
            journals.refuse_original_ids_when_shared(conn, "restoring a backup")
            if not snapshot.is_empty(conn) and not force:
                raise ConflictError(
                    "this journal already has entries; restoring would replace them. "
                    "Use --force if you mean to, after exporting or backing it up."
                )
            snapshot.delete_all(conn)
            for table in snapshot.user_tables():
                snapshot.insert_rows(conn, table, rows[table.name])
            snapshot.reset_sequences(conn)
            restored = Copied(snapshot.counts(conn), checksums(conn))
            differing = [
                n for n, digest in source.checksums.items() if restored.checksums[n] != digest
            ]
            if differing:
                raise StorageError(
                    f"restore checksum mismatch in {', '.join(differing)}; nothing was changed"
                )
            safety.evaluate_and_store(mitra, conn)  # alerts stored before success is reported
        return restored

    return recorded(mitra, "restore", work, lambda done: done.counts)


# --- erase -----------------------------------------------------------------------------------


def _erase_marker(mitra: Mitra) -> Path | None:
    path = sqlite_path(mitra.settings.resolved_database_url)
    return path.with_name(path.name + ERASE_MARKER_SUFFIX) if path is not None else None


def erase_note(mitra: Mitra) -> str:
    """What an erase leaves behind outside Mitra's reach, in plain words."""
    return SQLITE_ERASE_NOTE if is_sqlite(mitra.store.engine) else PG_ERASE_NOTE


def erase(mitra: Mitra) -> dict[str, int]:
    """Delete every row of the person's data, record the counts, then compact the storage (after
    the record, so the compacted file and its emptied WAL are the last things written).

    A marker file written first and removed last lets the next start finish an erase that was
    killed half-way (`finish_interrupted_erase`)."""

    def work() -> dict[str, int]:
        with mitra.store.write() as conn:
            return snapshot.delete_all(conn)

    marker = _erase_marker(mitra)
    if marker is not None:
        write_private(marker, b"an erase was started; the next start finishes it\n")
        cipher.fsync_path(marker.parent)
    try:
        removed = recorded(mitra, "erase", work, lambda counts: counts)
    except BaseException:
        if marker is not None:  # rolled back: nothing was deleted, nothing to finish
            marker.unlink(missing_ok=True)
        raise
    try:
        snapshot.compact(mitra.store.engine)
    except StorageError as exc:
        activity.record(mitra, "erase", Status.FAILED, "rows deleted; compacting the file failed")
        raise StorageError(
            "every row was deleted, but the file could not be compacted (is another program "
            "using the journal?); run `mitra erase --yes-delete-everything` again"
        ) from exc
    if marker is not None:
        marker.unlink(missing_ok=True)
    return removed


def finish_interrupted_erase(mitra: Mitra) -> bool:
    """If an erase was killed before it finished, finish it now; True when one was finished."""
    marker = _erase_marker(mitra)
    if marker is None or not marker.exists():
        return False
    erase(mitra)
    return True


def checksums(conn: Connection) -> dict[str, str]:
    """A SHA-256 per table over its rows in key order, each row as canonical JSON of its values
    (the export codec's). Logical, not physical: the same data gives the same checksum on SQLite
    and PostgreSQL."""
    result: dict[str, str] = {}
    for table in snapshot.user_tables():
        digest = hashlib.sha256()
        for row in snapshot.read_rows(conn, table):
            encoded = encode_row(table, row)
            digest.update(json.dumps(encoded, sort_keys=True, ensure_ascii=False).encode())
            digest.update(b"\n")
        result[table.name] = digest.hexdigest()
    return result
