"""alerts: the safety engine's alerts, stored before they are shown, resolved but never deleted

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("because", sa.Text(), nullable=False),
        sa.Column("what_to_do", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("evidence_at", mitra.adapters.store.tables.UTCDateTime(), nullable=True),
        sa.Column("first_seen", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("last_seen", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", mitra.adapters.store.tables.UTCDateTime(), nullable=True),
        sa.Column("resolved_at", mitra.adapters.store.tables.UTCDateTime(), nullable=True),
        sa.Column("times_raised", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("key", name=op.f("uq_alerts_key")),
    )


def downgrade() -> None:
    op.drop_table("alerts")
