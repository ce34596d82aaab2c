"""The journal as a whole: backup (SQLite online backup API), restore (checked, checksummed) and
erase (every row removed, then the file compacted so no deleted text remains in it).

Each leaves an activity record of its outcome; an erase's record holds only the counts removed.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from mitra.adapters.store import snapshot
from mitra.adapters.store.engine import Store, build_engine, is_sqlite
from mitra.adapters.store.migrate import alembic_config, migrate
from mitra.domain.activity import Status
from mitra.errors import ConflictError, InvalidInputError, MitraError, StorageError
from mitra.services import activity
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded

Progress = Callable[[int, int], None]
PAGES_PER_STEP = 256
PG_GUIDANCE = (
    "this journal is on PostgreSQL; back it up with the server's own tool instead: "
    "`pg_dump --format=custom --file=mitra.dump DATABASE` (and restore it with "
    "`pg_restore --clean --dbname=DATABASE mitra.dump`). Nothing was written."
)


class UnsupportedBackendError(MitraError):
    """`mitra backup` copies SQLite files only; PostgreSQL has pg_dump."""

    status = 400


@dataclass(frozen=True)
class Copied:
    """A backup or restore: the rows per table and each table's logical checksum."""

    counts: dict[str, int]
    checksums: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _summary(engine_url: str) -> Copied:
    engine = build_engine(engine_url)
    try:
        with Store(engine).read() as conn:
            return Copied(snapshot.counts(conn), snapshot.checksums(conn))
    finally:
        engine.dispose()


def _create_private(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise ConflictError(f"{path} already exists; choose a new file name") from None
    os.close(descriptor)


def _sqlite_copy(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=PAGES_PER_STEP, progress=step)
    finally:
        destination.close()


def backup(mitra: Mitra, path: Path, progress: Progress | None = None) -> Copied:
    """A consistent copy of a running SQLite journal, made with SQLite's online backup API."""

    def work() -> Copied:
        engine = mitra.store.engine
        if not is_sqlite(engine):
            raise UnsupportedBackendError(PG_GUIDANCE)
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            if isinstance(driver, sqlite3.Connection):
                _create_private(path)
                _sqlite_copy(driver, path, progress)
            else:  # an encrypted (SQLCipher) journal: its copy stays encrypted with its key
                from mitra.adapters.store.engine import backup_to

                backup_to(engine, path)
                return Copied({}, {})
        finally:
            raw.close()
        return _summary(f"sqlite:///{path}")

    return recorded(mitra, "backup", work, lambda done: done.counts)


# --- restore ---------------------------------------------------------------------------------


def _known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in scripts.walk_revisions()}


def _checked_source(path: Path) -> sqlite3.Connection:
    """The backup opened read-only, refused unless it is a Mitra journal at a known revision."""
    if not path.is_file():
        raise InvalidInputError.one("file", f"{path} does not exist")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = source.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        source.close()
        raise InvalidInputError.one("file", "is not a Mitra journal (no schema revision)") from None
    revision = rows[0][0] if rows else None
    if revision not in _known_revisions():
        source.close()
        raise InvalidInputError.one(
            "file", f"is at schema revision {revision!r}, which this Mitra does not know"
        )
    return source


def _source_rows(path: Path, progress: Progress | None) -> tuple[dict[str, list[Any]], Copied]:
    """Every row of the backup, brought to the current schema in a private temporary copy."""
    source = _checked_source(path)
    with tempfile.TemporaryDirectory(prefix="mitra-restore-") as folder:
        copy = Path(folder) / "journal.db"
        try:
            _sqlite_copy(source, copy, progress)
        finally:
            source.close()
        engine = build_engine(f"sqlite:///{copy}")
        try:
            migrate(engine)
            with Store(engine).read() as conn:
                rows = {t.name: list(snapshot.read_rows(conn, t)) for t in snapshot.user_tables()}
                summary = Copied(snapshot.counts(conn), snapshot.checksums(conn))
        finally:
            engine.dispose()
    return rows, summary


def restore(
    mitra: Mitra, path: Path, *, force: bool = False, progress: Progress | None = None
) -> Copied:
    """Replace the journal with a backup, all or nothing; every table's checksum must match."""

    def work() -> Copied:
        rows, source = _source_rows(path, progress)
        with mitra.store.write() as conn:
            if not snapshot.is_empty(conn) and not force:
                raise ConflictError(
                    "this journal already has entries; restoring would replace them. "
                    "Use --force if you mean to, after exporting or backing it up."
                )
            snapshot.delete_all(conn)
            for table in snapshot.user_tables():
                snapshot.insert_rows(conn, table, rows[table.name])
            snapshot.reset_sequences(conn)
            restored = Copied(snapshot.counts(conn), snapshot.checksums(conn))
            differing = [
                n for n, digest in source.checksums.items() if restored.checksums[n] != digest
            ]
            if differing:
                raise StorageError(
                    f"restore checksum mismatch in {', '.join(differing)}; nothing was changed"
                )
        return restored

    return recorded(mitra, "restore", work, lambda done: done.counts)


# --- erase -----------------------------------------------------------------------------------


def erase(mitra: Mitra) -> dict[str, int]:
    """Delete every row of the person's data, record the counts, then compact the storage (after
    the record, so the compacted file and its emptied WAL are the last things written)."""

    def work() -> dict[str, int]:
        with mitra.store.write() as conn:
            return snapshot.delete_all(conn)

    removed = recorded(mitra, "erase", work, lambda counts: counts)
    try:
        snapshot.compact(mitra.store.engine)
    except StorageError as exc:
        activity.record(mitra, "erase", Status.FAILED, "rows deleted; compacting the file failed")
        raise StorageError(
            "every row was deleted, but the file could not be compacted (is another program "
            "using the journal?); run `mitra erase --yes-delete-everything` again"
        ) from exc
    return removed
