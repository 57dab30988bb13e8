"""报平安: plans, pauses and one row per retiree per day

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-28 04:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safecheck_plan",
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("due_minute", sa.Integer(), nullable=False),
        sa.Column("quiet_start_minute", sa.Integer(), nullable=False),
        sa.Column("quiet_end_minute", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.PrimaryKeyConstraint("retiree_id"),
    )
    op.create_index("ix_safecheck_plan_enabled", "safecheck_plan", ["enabled"])
    op.create_table(
        "safecheck_pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safecheck_pause_retiree_days", "safecheck_pause", ["retiree_id", "starts_on"]
    )
    op.create_table(
        "safecheck_day",
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("checked_in_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("reminded_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.PrimaryKeyConstraint("retiree_id", "day"),
    )
    op.create_index("ix_safecheck_day_day", "safecheck_day", ["day"])


def downgrade() -> None:
    op.drop_index("ix_safecheck_day_day", table_name="safecheck_day")
    op.drop_table("safecheck_day")
    op.drop_index("ix_safecheck_pause_retiree_days", table_name="safecheck_pause")
    op.drop_table("safecheck_pause")
    op.drop_index("ix_safecheck_plan_enabled", table_name="safecheck_plan")
    op.drop_table("safecheck_plan")
