"""Research donations (0010, chained after server mode's 0008-0009) belong to a journal:
`journal_id` (existing rows: the personal journal), its foreign key and index, and on PostgreSQL
the same row-level security as every other journal table (0008).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NAME = "research_donations"
POLICY = "journal_isolation"
JOURNAL_SETTING = "NULLIF(current_setting('mitra.journal_id', true), '')::integer"


def _is_sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def _high_water() -> int | None:
    if not _is_sqlite():
        return None
    found = (
        op.get_bind()
        .exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (NAME,))
        .scalar()
    )
    return None if found is None else int(found)


def _keep_high_water(seq: int | None) -> None:
    if seq is not None:
        op.get_bind().exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (seq, NAME)
        )
        op.get_bind().exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (NAME, seq, NAME),
        )


def upgrade() -> None:
    seq = _high_water()
    with op.batch_alter_table(
        NAME, recreate="auto", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.add_column(sa.Column("journal_id", sa.Integer(), server_default="1", nullable=False))
        batch.create_foreign_key(
            op.f(f"fk_{NAME}_journal_id_journals"),
            "journals",
            ["journal_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f(f"ix_{NAME}_journal_id"), ["journal_id"], unique=False)
    _keep_high_water(seq)
    if not _is_sqlite():
        op.execute(
            f"ALTER TABLE {NAME} ALTER COLUMN journal_id SET DEFAULT COALESCE({JOURNAL_SETTING}, 1)"
        )
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {NAME} TO mitra_app")
        op.execute(f"ALTER TABLE {NAME} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {NAME} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {NAME} "
            f"USING (journal_id = {JOURNAL_SETTING}) "
            f"WITH CHECK (journal_id = {JOURNAL_SETTING})"
        )


def downgrade() -> None:
    if not _is_sqlite():
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {NAME}")
        op.execute(f"ALTER TABLE {NAME} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {NAME} DISABLE ROW LEVEL SECURITY")
    seq = _high_water()
    with op.batch_alter_table(
        NAME, recreate="auto", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_index(op.f(f"ix_{NAME}_journal_id"))
        batch.drop_constraint(op.f(f"fk_{NAME}_journal_id_journals"), type_="foreignkey")
        batch.drop_column("journal_id")
    _keep_high_water(seq)
