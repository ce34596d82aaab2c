"""questionnaire responses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:00:00

One row per administered questionnaire: the answers as given, and the score as computed then
(total, band, sub-scores, flags with their reasons, completeness), so a result never changes when
Mitra's knowledge files do. Schedules and the onboarding profile live in `preferences`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "questionnaire_responses"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=32), nullable=False),
        sa.Column("instrument_version", sa.String(length=200), nullable=False),
        sa.Column("taken_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("band_code", sa.String(length=40), nullable=True),
        sa.Column("band_label", sa.String(length=200), nullable=True),
        sa.Column("subscores", sa.JSON(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("missing_items", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_responses")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_responses_instrument_id"), ["instrument_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_questionnaire_responses_taken_at"), ["taken_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_responses_taken_at"))
        batch_op.drop_index(batch_op.f("ix_questionnaire_responses_instrument_id"))
    op.drop_table(TABLE)
