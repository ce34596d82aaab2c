"""journals: every journal table carries its journal's id; row-level security on PostgreSQL

Server mode (issue #20) keeps many people's journals in one database. This adds the `journals`
table (journal 1 is the personal journal: every existing row goes to it) and a `journal_id` on
every journal table. Values that were unique in the one journal are now unique per journal
(preferences' key, alerts' key, the offline client ids).

On PostgreSQL every journal table gets row-level security, enabled and forced, with one policy:
a row is visible and writable only when its journal is the transaction's `mitra.journal_id`
setting (unset: no rows). The app runs its transactions as the role `mitra_app` (created here
when missing, NOLOGIN, given to the migrating user), because a superuser, which the connecting
user may be, is never subject to row-level security.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import mitra.adapters.store.tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WITH_IDS = (
    "products",
    "use_events",
    "checkins",
    "medications",
    "adverse_effects",
    "vitals",
    "questionnaire_responses",
    "activity",
    "alerts",
    "taper_plans",
    "taper_events",
)
TABLES = (*WITH_IDS, "preferences")
APP_ROLE = "mitra_app"
POLICY = "journal_isolation"
JOURNAL_SETTING = "NULLIF(current_setting('mitra.journal_id', true), '')::integer"


def _is_sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def _journal_column() -> sa.Column[int]:
    return sa.Column("journal_id", sa.Integer(), server_default="1", nullable=False)


def _schema() -> str:
    """The schema the tables are made in (public, or the search_path's first): grants follow it."""
    return str(op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def upgrade() -> None:
    op.create_table(
        "journals",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("label", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", mitra.adapters.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journals")),
        sqlite_autoincrement=True,
    )
    op.execute(
        "INSERT INTO journals (id, label, created_at) VALUES (1, 'personal', CURRENT_TIMESTAMP)"
    )
    if not _is_sqlite():
        op.execute("SELECT setval(pg_get_serial_sequence('journals', 'id'), 2, false)")
    for name in TABLES:
        _add_journal(name)
    if not _is_sqlite():
        _row_level_security()


def _high_water(name: str) -> int | None:
    """SQLite: the largest id AUTOINCREMENT ever gave in `name` (a rebuild would forget it)."""
    if not _is_sqlite() or name not in WITH_IDS:
        return None
    found = (
        op.get_bind()
        .exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,))
        .scalar()
    )
    return None if found is None else int(found)


def _keep_high_water(name: str, seq: int | None) -> None:
    if seq is not None:
        op.get_bind().exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (seq, name)
        )
        op.get_bind().exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (name, seq, name),
        )


def _batch(name: str) -> Any:
    kwargs = {"sqlite_autoincrement": True} if name in WITH_IDS else {}
    return op.batch_alter_table(name, recreate="auto", table_kwargs=kwargs)


def _add_journal(name: str) -> None:
    fk = op.f(f"fk_{name}_journal_id_journals")
    seq = _high_water(name)
    with _batch(name) as batch:
        batch.add_column(_journal_column())
        batch.create_foreign_key(fk, "journals", ["journal_id"], ["id"], ondelete="CASCADE")
        if name == "preferences":
            batch.drop_constraint("pk_preferences", type_="primary")
            batch.create_primary_key("pk_preferences", ["journal_id", "key"])
        else:
            batch.create_index(op.f(f"ix_{name}_journal_id"), ["journal_id"], unique=False)
        if name in ("use_events", "checkins"):
            batch.drop_index(f"ix_{name}_client_id")
            batch.create_index(
                f"ix_{name}_journal_client_id", ["journal_id", "client_id"], unique=True
            )
        if name == "alerts":
            batch.drop_constraint("uq_alerts_key", type_="unique")
            batch.create_index("ix_alerts_journal_key", ["journal_id", "key"], unique=True)
    _keep_high_water(name, seq)
    if not _is_sqlite():
        # a row written without a journal id (raw SQL) goes to the transaction's journal;
        # with no journal set (a tool on the bare database, as on SQLite) to the personal one
        op.execute(
            f"ALTER TABLE {name} ALTER COLUMN journal_id SET DEFAULT COALESCE({JOURNAL_SETTING}, 1)"
        )


def _row_level_security() -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- another migration created it meanwhile
        END
        $$
        """
    )
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT pg_has_role(current_user, '{APP_ROLE}', 'MEMBER') THEN
                EXECUTE format('GRANT {APP_ROLE} TO %I', current_user);
            END IF;
        END
        $$
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA {_schema()} TO {APP_ROLE}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_schema()} TO {APP_ROLE}"
    )
    op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema()} TO {APP_ROLE}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_schema()} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_schema()} "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {APP_ROLE}"
    )
    for name in TABLES:
        op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {name} "
            f"USING (journal_id = {JOURNAL_SETTING}) "
            f"WITH CHECK (journal_id = {JOURNAL_SETTING})"
        )


def downgrade() -> None:
    for name in TABLES:
        if not _is_sqlite():
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
            op.execute(f"ALTER TABLE {name} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {name} DISABLE ROW LEVEL SECURITY")
        op.execute(f"DELETE FROM {name} WHERE journal_id <> 1")
        seq = _high_water(name)
        with _batch(name) as batch:
            if name in ("use_events", "checkins"):
                batch.drop_index(f"ix_{name}_journal_client_id")
                batch.create_index(f"ix_{name}_client_id", ["client_id"], unique=True)
            if name == "alerts":
                batch.drop_index("ix_alerts_journal_key")
                batch.create_unique_constraint("uq_alerts_key", ["key"])
            if name == "preferences":
                batch.drop_constraint("pk_preferences", type_="primary")
                batch.create_primary_key("pk_preferences", ["key"])
            else:
                batch.drop_index(op.f(f"ix_{name}_journal_id"))
            batch.drop_constraint(op.f(f"fk_{name}_journal_id_journals"), type_="foreignkey")
            batch.drop_column("journal_id")
        _keep_high_water(name, seq)
    op.drop_table("journals")
