"""visits: 定人包户 assignments, visit frequencies per unit, visit records and follow-ups,
visit tasks (住院, 家庭变故, 回电话) and festival visit campaigns

Revision ID: 0018
Revises: 0019
Create Date: 2026-11-28 04:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from backend.core.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "visit_assignment",
        sa.Column("retiree_id", sa.Integer(), sa.ForeignKey("retiree.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=False),
        sa.Column("assigned_at", UTCDateTime(), nullable=False),
        sa.Column(
            "assigned_by_staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=True
        ),
    )
    op.create_index("ix_visit_assignment_unit_id", "visit_assignment", ["unit_id"])
    op.create_index("ix_visit_assignment_staff_id", "visit_assignment", ["staff_id"])
    op.create_table(
        "visit_frequency",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("flag", _str(length=10), nullable=False),
        sa.Column("every_months", sa.Integer(), nullable=False),
        sa.Column("at_home", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("unit_id", "flag", name="uq_visit_frequency_unit_flag"),
    )
    op.create_table(
        "visit_campaign",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("festival", _str(length=10), nullable=False),
        sa.Column("title", _str(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "created_by_staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=False
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_visit_campaign_unit_id", "visit_campaign", ["unit_id"])
    op.create_table(
        "visit_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("retiree_id", sa.Integer(), sa.ForeignKey("retiree.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("kind", _str(length=4), nullable=False),
        sa.Column("visited_at", UTCDateTime(), nullable=False),
        sa.Column("visitors", _str(length=100), nullable=False),
        sa.Column("met", _str(length=100), nullable=False),
        sa.Column("health", _str(length=300), nullable=True),
        sa.Column("mood", _str(length=300), nullable=True),
        sa.Column("family", _str(length=300), nullable=True),
        sa.Column("activities", _str(length=300), nullable=True),
        sa.Column("needs", _str(length=500), nullable=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("visit_campaign.id"), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_visit_record_unit_id", "visit_record", ["unit_id"])
    op.create_index("ix_visit_record_retiree_at", "visit_record", ["retiree_id", "visited_at"])
    op.create_table(
        "visit_task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("retiree_id", sa.Integer(), sa.ForeignKey("retiree.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("reason", _str(length=10), nullable=False),
        sa.Column("detail", _str(length=300), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=True),
        sa.Column("reported_by", _str(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visit_record.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_visit_task_retiree_id", "visit_task", ["retiree_id"])
    op.create_index("ix_visit_task_staff_id", "visit_task", ["staff_id"])
    op.create_index("ix_visit_task_unit_status", "visit_task", ["unit_id", "status"])
    op.create_table(
        "visit_follow_up",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visit_record.id"), nullable=False),
        sa.Column("retiree_id", sa.Integer(), sa.ForeignKey("retiree.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("text", _str(length=200), nullable=False),
        sa.Column(
            "owner_staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=False
        ),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("close_note", _str(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column(
            "closed_by_staff_id", sa.Integer(), sa.ForeignKey("staff_account.id"), nullable=True
        ),
    )
    op.create_index("ix_visit_follow_up_visit_id", "visit_follow_up", ["visit_id"])
    op.create_index("ix_visit_follow_up_retiree_id", "visit_follow_up", ["retiree_id"])
    op.create_index(
        "ix_visit_follow_up_owner_status", "visit_follow_up", ["owner_staff_id", "status"]
    )


def downgrade() -> None:
    op.drop_table("visit_follow_up")
    op.drop_table("visit_task")
    op.drop_table("visit_record")
    op.drop_table("visit_campaign")
    op.drop_table("visit_frequency")
    op.drop_table("visit_assignment")
