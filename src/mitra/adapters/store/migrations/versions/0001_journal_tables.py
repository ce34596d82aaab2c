"""journal tables

Revision ID: 0001
Revises:
Create Date: 2026-11-25 07:44:59.534262
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adverse_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("effect", sa.String(length=30), nullable=False),
        sa.Column("other_text", sa.String(length=200), server_default="", nullable=False),
        sa.Column("severity", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "severity BETWEEN 0 AND 10", name=op.f("ck_adverse_effects_severity_0_10")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_effects")),
    )
    with op.batch_alter_table("adverse_effects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adverse_effects_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("mood", sa.SmallInteger(), nullable=True),
        sa.Column("anxiety", sa.SmallInteger(), nullable=True),
        sa.Column("pain", sa.SmallInteger(), nullable=True),
        sa.Column("sleep", sa.SmallInteger(), nullable=True),
        sa.Column("craving", sa.SmallInteger(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.CheckConstraint("mood BETWEEN 0 AND 10", name=op.f("ck_checkins_mood_0_10")),
        sa.CheckConstraint("anxiety BETWEEN 0 AND 10", name=op.f("ck_checkins_anxiety_0_10")),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name=op.f("ck_checkins_pain_0_10")),
        sa.CheckConstraint("sleep BETWEEN 0 AND 10", name=op.f("ck_checkins_sleep_0_10")),
        sa.CheckConstraint("craving BETWEEN 0 AND 10", name=op.f("ck_checkins_craving_0_10")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_recorded_at"), ["recorded_at"], unique=False)

    op.create_table(
        "medications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dose_text", sa.String(length=200), server_default="", nullable=False),
        sa.Column("schedule", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medications")),
    )
    op.create_table(
        "preferences",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_preferences")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vendor", sa.String(length=200), server_default="", nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("mitragynine_mg_per_g", sa.Float(), nullable=True),
        sa.Column("mitragynine_mg_per_unit", sa.Float(), nullable=True),
        sa.Column("seven_oh_mg_per_unit", sa.Float(), nullable=True),
        sa.Column("serving_unit", sa.String(length=10), nullable=True),
        sa.Column("custom_units", sa.JSON(), nullable=False),
        sa.Column("lot", sa.String(length=200), server_default="", nullable=False),
        sa.Column("coa_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_table(
        "vitals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measured_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("heart_rate", sa.SmallInteger(), nullable=True),
        sa.Column("systolic", sa.SmallInteger(), nullable=True),
        sa.Column("diastolic", sa.SmallInteger(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vitals")),
    )
    with op.batch_alter_table("vitals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vitals_measured_at"), ["measured_at"], unique=False)

    op.create_table(
        "use_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("grams_product", sa.Float(), nullable=True),
        sa.Column("grams_leaf", sa.Float(), nullable=True),
        sa.Column("mg_mitragynine", sa.Float(), nullable=True),
        sa.Column("mg_7oh", sa.Float(), nullable=True),
        sa.Column("conversion_note", sa.Text(), server_default="", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_use_events_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_use_events_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_events")),
    )
    with op.batch_alter_table("use_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_use_events_taken_at"), ["taken_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("use_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_use_events_taken_at"))

    op.drop_table("use_events")
    with op.batch_alter_table("vitals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vitals_measured_at"))

    op.drop_table("vitals")
    op.drop_table("products")
    op.drop_table("preferences")
    op.drop_table("medications")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_recorded_at"))

    op.drop_table("checkins")
    with op.batch_alter_table("adverse_effects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adverse_effects_occurred_at"))

    op.drop_table("adverse_effects")
