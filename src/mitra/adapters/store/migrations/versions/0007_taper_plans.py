"""taper plans and their events (issue 19): a plan keeps its baseline, pace and measure; every
state change, hold, slower pace, step back and clinician agreement is an event with who and why

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taper_plans",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("pace_id", sa.String(length=40), nullable=False),
        sa.Column("pace_name", sa.String(length=200), nullable=False),
        sa.Column("pace_kind", sa.String(length=20), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("grams", sa.Float(), nullable=True),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("ceiling_percent", sa.Float(), nullable=False),
        sa.Column("unit", sa.Float(), nullable=False),
        sa.Column("capsules", sa.Boolean(), nullable=False),
        sa.Column("axis", sa.String(length=20), nullable=False),
        sa.Column("min_doses", sa.SmallInteger(), nullable=False),
        sa.Column("stop_from", sa.Float(), nullable=True),
        sa.Column("baseline_grams", sa.Float(), nullable=False),
        sa.Column("baseline_doses", sa.Float(), nullable=False),
        sa.Column("baseline_mg", sa.Float(), nullable=True),
        sa.Column("baseline_first", sa.Date(), nullable=False),
        sa.Column("baseline_last", sa.Date(), nullable=False),
        sa.Column("baseline_detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taper_plans")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "taper_events",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(length=20), nullable=False),
        sa.Column("why", sa.Text(), server_default="", nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("clinician", sa.String(length=200), server_default="", nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["taper_plans.id"],
            name=op.f("fk_taper_events_plan_id_taper_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taper_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("taper_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taper_events_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("taper_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taper_events_plan_id"))
    op.drop_table("taper_events")
    op.drop_table("taper_plans")
