"""client ids on uses and check-ins, so an offline replay is stored once

A phone that logged a dose or a check-in while offline sends it again when the server can be
reached, and may send it twice (a lost answer, two open tabs). Each such entry carries the id the
browser gave it; a unique index refuses a second row with the same id, and the service answers a
repeat with the entry already stored (issue #17). Entries made without one keep NULL, which a
unique index allows any number of times on both SQLite and PostgreSQL.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("use_events", "checkins")


def upgrade() -> None:
    for name in TABLES:
        op.add_column(name, sa.Column("client_id", sa.String(64), nullable=True))
        op.create_index(f"ix_{name}_client_id", name, ["client_id"], unique=True)


def downgrade() -> None:
    for name in TABLES:
        op.drop_index(f"ix_{name}_client_id", table_name=name)
        with op.batch_alter_table(name) as batch:
            batch.drop_column("client_id")
