"""Schema migrations, run in-process through Alembic with the package's own scripts.

The app migrates on start; a database stamped by a newer Mitra is refused, never touched. A
journal already at `HEAD` (every open after the first) is recognised by one plain query, without
importing Alembic (most of a CLI command's start-up time); `HEAD` is pinned to the newest script by
tests/integration/test_migrations.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from mitra.adapters.store.engine import _storage_message, is_sqlite
from mitra.adapters.store.tables import metadata
from mitra.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "mitra.adapters.store:migrations"
HEAD = "0016"  # the newest migration's revision


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    """Every revision of the package's migration scripts."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in scripts.walk_revisions()}


def check_version(engine: Engine) -> str | None:
    """The database's revision; StorageError if a newer Mitra wrote it."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise StorageError(
            f"this journal was written by a newer version of Mitra (schema {current}); "
            "upgrade Mitra to open it. Nothing was changed."
        )
    return current


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` (default: the newest), in one transaction per step.

    A journal that cannot be opened or written (read-only, locked, disk full) is a StorageError
    with a plain message, as in every other use case."""
    if target == "head" and _stored_revision(engine) == HEAD:
        return
    from alembic import command

    try:
        check_version(engine)
        with _schema_transaction(engine) as conn:
            command.upgrade(alembic_config(conn), target)
    except OperationalError as exc:
        raise StorageError(_storage_message(exc)) from exc


def _stored_revision(engine: Engine) -> str | None:
    """The revision the journal is stamped with, by one plain query; None when it cannot be read
    (no schema yet, or anything else: then Alembic's full path decides, with its own errors)."""
    try:
        with engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except DBAPIError:
        return None
    return found[0] if len(found) == 1 else None


def downgrade(engine: Engine, target: str = "base") -> None:
    from alembic import command

    with _schema_transaction(engine) as conn:
        command.downgrade(alembic_config(conn), target)


@contextmanager
def _schema_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for all steps. On SQLite, foreign-key enforcement is off meanwhile (SQLite's
    documented procedure for rebuilding a table that others refer to: the pragma cannot change
    inside a transaction), and `PRAGMA foreign_key_check` must find nothing before the commit."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if is_sqlite(engine) else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(
                            f"the migration would leave {len(broken)} row(s) pointing at missing "
                            "rows; nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def pending_changes(engine: Engine) -> list[object]:
    """Differences between the migrated database and the tables module (should be none)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def make_revision(engine: Engine, message: str) -> None:  # pragma: no cover - developer tool
    from alembic import command

    with engine.begin() as conn:
        command.revision(alembic_config(conn), message=message, autogenerate=True)
