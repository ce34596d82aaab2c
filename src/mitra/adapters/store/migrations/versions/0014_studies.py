"""studies published on a server-mode Mitra, and the packages people give them (issue #22)

`studies`: a researcher's published study declaration (the study.yaml as published, its consent
version). `study_donations`: one person's de-identified package for one study, and when they
withdrew. Neither is a journal table (as 0012); on PostgreSQL the app role may read and write
them. The secret date shift stays in the person's journal (`research_donations`, 0010).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC = mitra.adapters.store.tables.UTCDateTime


def _schema() -> str:
    """The schema the tables are made in (public, or the search_path's first): grants follow it."""
    return str(op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def upgrade() -> None:
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("researcher_account_id", sa.Integer(), nullable=False),
        sa.Column("study_key", sa.String(length=63), nullable=False),
        sa.Column("declaration", sa.Text(), nullable=False),
        sa.Column("consent_version", sa.String(length=200), nullable=False),
        sa.Column("published_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["researcher_account_id"],
            ["accounts.id"],
            name=op.f("fk_studies_researcher_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studies")),
        sa.UniqueConstraint("study_key", name=op.f("uq_studies_study_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_studies_researcher_account_id"),
        "studies",
        ["researcher_account_id"],
        unique=False,
    )
    op.create_table(
        "study_donations",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("person_account_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(length=40), nullable=False),
        sa.Column("consent_version", sa.String(length=200), nullable=False),
        sa.Column("package", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("joined_at", UTC(), nullable=False),
        sa.Column("withdrawn_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_study_donations_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_account_id"],
            ["accounts.id"],
            name=op.f("fk_study_donations_person_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_donations")),
        sa.UniqueConstraint("participant", name=op.f("uq_study_donations_participant")),
        sa.UniqueConstraint(
            "study_id", "person_account_id", name=op.f("uq_study_donations_study_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_study_donations_person_account_id"),
        "study_donations",
        ["person_account_id"],
        unique=False,
    )
    if op.get_bind().dialect.name != "sqlite":
        for name in ("studies", "study_donations"):
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO mitra_app")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema()} TO mitra_app"
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_study_donations_person_account_id"), table_name="study_donations")
    op.drop_table("study_donations")
    op.drop_index(op.f("ix_studies_researcher_account_id"), table_name="studies")
    op.drop_table("studies")
