"""The working-day calendar, with the State Council's 2026 holidays and make-up days

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-28 07:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types
from backend.workdays import holidays_2026

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "work_calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    seeded_at = datetime(2026, 11, 28, tzinfo=UTC)
    op.bulk_insert(
        table,
        [
            {"day": d, "working": w, "name": n, "updated_by": "seed", "updated_at": seeded_at}
            for d, w, n in holidays_2026.rows()
        ],
    )


def downgrade() -> None:
    op.drop_table("work_calendar_day")
