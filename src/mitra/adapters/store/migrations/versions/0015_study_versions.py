"""a study's consent versions, and closing a study (issue #22)

`study_versions`: every declaration a study was published with, one row per consent version (the
first one copied from `studies`), so what each person agreed to stays readable after the
researcher publishes a new consent text. `studies.closed_at`: when the researcher closed the study
to new people (donations already given are kept until each person withdraws).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UTC = mitra.adapters.store.tables.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("studies") as batch:
        batch.add_column(sa.Column("closed_at", UTC(), nullable=True))
    op.create_table(
        "study_versions",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("consent_version", sa.String(length=200), nullable=False),
        sa.Column("declaration", sa.Text(), nullable=False),
        sa.Column("published_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_study_versions_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_versions")),
        sa.UniqueConstraint("study_id", "consent_version", name=op.f("uq_study_versions_study_id")),
        sqlite_autoincrement=True,
    )
    op.execute(
        "INSERT INTO study_versions (study_id, consent_version, declaration, published_at) "
        "SELECT id, consent_version, declaration, published_at FROM studies ORDER BY id"
    )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON study_versions TO mitra_app")
        schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar()
        op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO mitra_app")


def downgrade() -> None:
    op.drop_table("study_versions")
    with op.batch_alter_table("studies") as batch:
        batch.drop_column("closed_at")
