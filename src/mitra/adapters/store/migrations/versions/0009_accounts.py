"""accounts, sessions, API tokens and invitations for server mode (issue #20)

Each account owns one journal. Sessions, API tokens and invitation links are stored only as
SHA-256 digests of their random secrets; passwords as argon2id hashes. On PostgreSQL the app
role (`mitra_app`, migration 0008) may read and write them (its default privileges cover new
tables; the grant is repeated here for databases migrated by another user).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC = mitra.adapters.store.tables.UTCDateTime
TABLES = ("accounts", "sessions", "api_tokens", "invitations")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), sa.Identity(), nullable=False)


def _owner() -> sa.Column[int]:
    return sa.Column("account_id", sa.Integer(), nullable=False)


def _schema() -> str:
    """The schema the tables are made in (public, or the search_path's first): grants follow it."""
    return str(op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def upgrade() -> None:
    op.create_table(
        "accounts",
        _id(),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("disabled_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_accounts_journal_id_journals"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("journal_id", name=op.f("uq_accounts_journal_id")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
        sqlite_autoincrement=True,
    )
    for name, extra in (
        (
            "sessions",
            [
                sa.Column("csrf", sa.String(length=64), nullable=False),
                sa.Column("created_at", UTC(), nullable=False),
                sa.Column("last_seen", UTC(), nullable=False),
            ],
        ),
        (
            "api_tokens",
            [
                sa.Column("label", sa.String(length=100), server_default="", nullable=False),
                sa.Column("created_at", UTC(), nullable=False),
                sa.Column("last_used", UTC(), nullable=True),
            ],
        ),
    ):
        op.create_table(
            name,
            _id(),
            sa.Column("digest", sa.String(length=64), nullable=False),
            _owner(),
            *extra,
            sa.ForeignKeyConstraint(
                ["account_id"],
                ["accounts.id"],
                name=op.f(f"fk_{name}_account_id_accounts"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint("digest", name=op.f(f"uq_{name}_digest")),
            sqlite_autoincrement=True,
        )
        op.create_index(op.f(f"ix_{name}_account_id"), name, ["account_id"], unique=False)
    op.create_table(
        "invitations",
        _id(),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("digest", name=op.f("uq_invitations_digest")),
        sqlite_autoincrement=True,
    )
    if op.get_bind().dialect.name != "sqlite":
        for name in TABLES:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO mitra_app")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema()} TO mitra_app"
        )


def downgrade() -> None:
    for name in ("api_tokens", "sessions"):
        op.drop_index(op.f(f"ix_{name}_account_id"), table_name=name)
    for name in reversed(TABLES):
        op.drop_table(name)
