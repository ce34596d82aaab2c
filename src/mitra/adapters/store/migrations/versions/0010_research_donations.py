"""research donations (issue 22): which studies this journal donated to, under which random
participant number and consent version, the person's secret whole-week date shift, and when they
joined or withdrew

Revision ID: 0010
Revises: 0007 (re-chained after server mode's 0008/0009 at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0010"
down_revision = "0009"  # after server mode (0008, 0009); see 0011
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "research_donations",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("study_id", sa.String(length=63), nullable=False),
        sa.Column("participant", sa.String(length=40), nullable=False),
        sa.Column("consent_version", sa.String(length=200), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("shift_weeks", sa.Integer(), nullable=False),
        sa.Column("joined_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", mitra.adapters.store.tables.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_donations")),
        sa.UniqueConstraint("participant", name=op.f("uq_research_donations_participant")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("research_donations")
