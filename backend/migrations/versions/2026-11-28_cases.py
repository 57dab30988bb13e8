"""cases: 信访 and suggestions (one case one file), and each unit's working days per kind

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-28 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.types

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("handler_staff_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("replied_at", UTC(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("rating", sa.String(length=10), nullable=True),
        sa.Column("rated_at", UTC(), nullable=True),
        sa.Column("closed_at", UTC(), nullable=True),
        sa.Column("escalated_for", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["handler_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", name="uq_case_number"),
    )
    op.create_index("ix_case_unit_status_due", "case_file", ["unit_id", "status", "due_on"])
    for column in (
        "retiree_id",
        "unit_id",
        "created_at",
        "handler_staff_id",
        "due_on",
        "closed_at",
    ):
        op.create_index(f"ix_case_file_{column}", "case_file", [column])
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("attachment_path", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_event_case_id", "case_event", ["case_id"])
    op.create_table(
        "case_due_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "kind", name="uq_case_due_setting"),
    )


def downgrade() -> None:
    op.drop_table("case_due_setting")
    op.drop_index("ix_case_event_case_id", table_name="case_event")
    op.drop_table("case_event")
    for column in (
        "retiree_id",
        "unit_id",
        "created_at",
        "handler_staff_id",
        "due_on",
        "closed_at",
    ):
        op.drop_index(f"ix_case_file_{column}", table_name="case_file")
    op.drop_index("ix_case_unit_status_due", table_name="case_file")
    op.drop_table("case_file")
