"""health record: entries and reads; the family's 看健康档案 right; staff's medical flag

Revision ID: 0031
Revises: 0029
Create Date: 2026-11-28 12:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.types

revision: str = "0031"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    for table in ("family_binding", "family_invite"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("can_see_health", sa.Boolean(), nullable=False, server_default=sa.false())
            )
    with op.batch_alter_table("staff_account") as batch:
        batch.add_column(
            sa.Column("is_medical", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "health_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("report_path", sa.String(length=200), nullable=True),
        sa.Column("discharged_on", sa.Date(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("updated_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_health_entry_retiree_on", "health_entry", ["retiree_id", "happened_on"])
    op.create_index("ix_health_entry_unit_id", "health_entry", ["unit_id"])
    op.create_index("ix_health_entry_activity_id", "health_entry", ["activity_id"])
    op.create_table(
        "health_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("reader", sa.String(length=60), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_health_read_retiree_at", "health_read", ["retiree_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_health_read_retiree_at", table_name="health_read")
    op.drop_table("health_read")
    op.drop_index("ix_health_entry_activity_id", table_name="health_entry")
    op.drop_index("ix_health_entry_unit_id", table_name="health_entry")
    op.drop_index("ix_health_entry_retiree_on", table_name="health_entry")
    op.drop_table("health_entry")
    with op.batch_alter_table("staff_account") as batch:
        batch.drop_column("is_medical")
    for table in ("family_invite", "family_binding"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("can_see_health")
