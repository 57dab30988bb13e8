"""The date of death staff enter when marking a retiree 去世

Revision ID: 0030
Revises: 0023
Create Date: 2026-11-28 08:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("retiree") as batch:
        batch.add_column(sa.Column("died_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("retiree") as batch:
        batch.drop_column("died_on")
