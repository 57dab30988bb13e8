"""lost contact cases: the 失联 case (Jilin 第十五条) and its timeline

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-28 04:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "lost_contact_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("report_unit_id", sa.Integer(), nullable=True),
        sa.Column("open_retiree_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("last_contact_at", _UTC(timezone=True), nullable=False),
        sa.Column("lost_on", sa.Date(), nullable=False),
        sa.Column("opened_at", _UTC(timezone=True), nullable=False),
        sa.Column("investigator_staff_id", sa.Integer(), nullable=True),
        sa.Column("investigation_due", sa.Date(), nullable=False),
        sa.Column("pause_decision", sa.String(length=12), nullable=True),
        sa.Column("pause_reason", _STR(length=300), nullable=True),
        sa.Column("pause_decided_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("pause_decided_at", _UTC(timezone=True), nullable=True),
        sa.Column("restored_how", _STR(length=10), nullable=True),
        sa.Column("restored_on", sa.Date(), nullable=True),
        sa.Column("close_note", _STR(length=300), nullable=True),
        sa.Column("closed_at", _UTC(timezone=True), nullable=True),
        sa.Column("closed_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["report_unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["investigator_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["pause_decided_by_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["closed_by_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_retiree_id"),
    )
    op.create_index("ix_lost_contact_case_retiree_id", "lost_contact_case", ["retiree_id"])
    op.create_index("ix_lost_contact_case_unit_id", "lost_contact_case", ["unit_id"])
    op.create_index("ix_lost_contact_case_report_unit_id", "lost_contact_case", ["report_unit_id"])
    op.create_table(
        "lost_contact_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", _UTC(timezone=True), nullable=False),
        sa.Column("kind", _STR(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["lost_contact_case.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lost_contact_event_case_id", "lost_contact_event", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_lost_contact_event_case_id", table_name="lost_contact_event")
    op.drop_table("lost_contact_event")
    op.drop_index("ix_lost_contact_case_report_unit_id", table_name="lost_contact_case")
    op.drop_index("ix_lost_contact_case_unit_id", table_name="lost_contact_case")
    op.drop_index("ix_lost_contact_case_retiree_id", table_name="lost_contact_case")
    op.drop_table("lost_contact_case")
