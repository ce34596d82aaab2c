"""a clinician's reviews of a person's taper plan, and clinic invitations (issue #21)

`taper_reviews`: a clinician's comment on, approval of, or proposed change to (slower, hold,
step back) a person's taper plan, under a consent that shares the plan, and the person's answer.
`clinic_invitations`: a clinician's one-time code a person enters to share with them (the
person still chooses the scope). Like `questionnaire_requests` neither is a journal table; on
PostgreSQL the app role may read and write them (as 0012).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UTC = mitra.adapters.store.tables.UTCDateTime


def _schema() -> str:
    """The schema the tables are made in (public, or the search_path's first): grants follow it."""
    return str(op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def upgrade() -> None:
    op.create_table(
        "taper_reviews",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("person_account_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("clinician_name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("made_at", UTC(), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=True),
        sa.Column("answered_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_taper_reviews_consent_id_consents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_account_id"],
            ["accounts.id"],
            name=op.f("fk_taper_reviews_person_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taper_reviews")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_taper_reviews_person_account_id"),
        "taper_reviews",
        ["person_account_id"],
        unique=False,
    )
    op.create_table(
        "clinic_invitations",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("clinician_account_id", sa.Integer(), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("made_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_account_id"],
            ["accounts.id"],
            name=op.f("fk_clinic_invitations_clinician_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_invitations")),
        sa.UniqueConstraint("code_digest", name=op.f("uq_clinic_invitations_code_digest")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_clinic_invitations_clinician_account_id"),
        "clinic_invitations",
        ["clinician_account_id"],
        unique=False,
    )
    if op.get_bind().dialect.name != "sqlite":
        for name in ("taper_reviews", "clinic_invitations"):
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO mitra_app")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema()} TO mitra_app"
        )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_clinic_invitations_clinician_account_id"), table_name="clinic_invitations"
    )
    op.drop_table("clinic_invitations")
    op.drop_index(op.f("ix_taper_reviews_person_account_id"), table_name="taper_reviews")
    op.drop_table("taper_reviews")
