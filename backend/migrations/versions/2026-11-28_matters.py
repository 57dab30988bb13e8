"""事项报告: matters and their timeline

Revision ID: 0023
Revises: 0025
Create Date: 2026-11-28 07:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0023"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("flow", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("passport_tail", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("depart_on", sa.Date(), nullable=True),
        sa.Column("return_on", sa.Date(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("submitted_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("due_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("sign_note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("decided_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("to_province", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["signed_by_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["decided_by_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_matter_retiree_id", "matter", ["retiree_id"])
    op.create_index("ix_matter_unit_id", "matter", ["unit_id"])
    op.create_index("ix_matter_submitted_at", "matter", ["submitted_at"])
    op.create_index("ix_matter_due_at", "matter", ["due_at"])
    op.create_index("ix_matter_decided_at", "matter", ["decided_at"])
    op.create_index("ix_matter_unit_status", "matter", ["unit_id", "status"])
    op.create_index("ix_matter_abroad", "matter", ["kind", "depart_on", "returned_on"])
    op.create_table(
        "matter_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["matter_id"], ["matter.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_matter_event_matter_id", "matter_event", ["matter_id"])


def downgrade() -> None:
    op.drop_index("ix_matter_event_matter_id", table_name="matter_event")
    op.drop_table("matter_event")
    for name in (
        "ix_matter_abroad",
        "ix_matter_unit_status",
        "ix_matter_decided_at",
        "ix_matter_due_at",
        "ix_matter_submitted_at",
        "ix_matter_unit_id",
        "ix_matter_retiree_id",
    ):
        op.drop_index(name, table_name="matter")
    op.drop_table("matter")
