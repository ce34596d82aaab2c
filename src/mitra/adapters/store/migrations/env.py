"""Alembic environment: always run with a connection handed in by mitra.adapters.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from mitra.adapters.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - guarded by migrate.py
    raise RuntimeError("run migrations through `mitra migrate`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
