"""a sign-in code is accepted once (RFC 6238 section 5.2)

`accounts.totp_last_step`: the 30-second time step of the last sign-in code accepted for the
account (null: none yet). A code is accepted only for a later step, so a code seen over
someone's shoulder cannot be used again within its window. A new column of an existing table:
the app role's grants on `accounts` (migration 0009) cover it.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("totp_last_step")
