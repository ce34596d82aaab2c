"""clinician in the loop (issue #21): roles, consents and their versions, the audit chain,
questionnaire requests

`accounts.roles` holds the roles beyond "person" (clinician, clinic_admin, server_admin). A
consent joins a person's account to a clinician's (pending until the clinician enters its code);
`consent_versions` keeps every version of its terms, append-only. `audit_events` is the
hash-chained record of every look at a journal by someone other than its person.
`questionnaire_requests` are a clinician's asks, shown as due on the person's Home.
On PostgreSQL the app role may read and write them (as 0009); none of them is a journal table.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC = mitra.adapters.store.tables.UTCDateTime
TABLES = ("consents", "consent_versions", "audit_events", "questionnaire_requests")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), sa.Identity(), nullable=False)


def _account(name: str, table: str, *, nullable: bool = False) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column(name, sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint(
            [name], ["accounts.id"], name=op.f(f"fk_{table}_{name}_accounts"), ondelete="CASCADE"
        ),
    ]


def _schema() -> str:
    """The schema the tables are made in (public, or the search_path's first): grants follow it."""
    return str(op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("roles", sa.String(length=100), server_default="person", nullable=False)
        )
    op.create_table(
        "consents",
        _id(),
        *_account("person_account_id", "consents"),
        *_account("clinician_account_id", "consents", nullable=True),
        sa.Column("code_digest", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
        sa.UniqueConstraint("code_digest", name=op.f("uq_consents_code_digest")),
        sqlite_autoincrement=True,
    )
    for column in ("person_account_id", "clinician_account_id"):
        op.create_index(op.f(f"ix_consents_{column}"), "consents", [column], unique=False)
    op.create_table(
        "consent_versions",
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_consent_versions_consent_id_consents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consent_id", "version", name=op.f("pk_consent_versions")),
    )
    op.create_table(
        "audit_events",
        _id(),
        sa.Column("recorded_at", UTC(), nullable=False),
        sa.Column("actor_account_id", sa.Integer(), nullable=False),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("subject_account_id", sa.Integer(), nullable=False),
        sa.Column("subject_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=2), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_audit_events_subject_account_id"),
        "audit_events",
        ["subject_account_id"],
        unique=False,
    )
    op.create_table(
        "questionnaire_requests",
        _id(),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        *_account("person_account_id", "questionnaire_requests"),
        sa.Column("instrument_id", sa.String(length=20), nullable=False),
        sa.Column("requested_at", UTC(), nullable=False),
        sa.Column("answered_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_questionnaire_requests_consent_id_consents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_requests")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_questionnaire_requests_person_account_id"),
        "questionnaire_requests",
        ["person_account_id"],
        unique=False,
    )
    if op.get_bind().dialect.name != "sqlite":
        for name in TABLES:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO mitra_app")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema()} TO mitra_app"
        )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_questionnaire_requests_person_account_id"), table_name="questionnaire_requests"
    )
    op.drop_table("questionnaire_requests")
    op.drop_index(op.f("ix_audit_events_subject_account_id"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("consent_versions")
    for column in ("person_account_id", "clinician_account_id"):
        op.drop_index(op.f(f"ix_consents_{column}"), table_name="consents")
    op.drop_table("consents")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("roles")
