"""Bereavement: funeral checklists (tasks, benefits, documents) and survivors

Revision ID: 0028
Revises: 0021
Create Date: 2026-11-28 07:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0028"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funeral_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("died_on", sa.Date(), nullable=False),
        sa.Column("obituary", sa.Text(), nullable=True),
        sa.Column("biography", sa.Text(), nullable=True),
        sa.Column("opened_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["retiree_id"],
            ["retiree.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("retiree_id"),
    )
    op.create_index("ix_funeral_case_completed_at", "funeral_case", ["completed_at"])
    op.create_index("ix_funeral_case_unit_id", "funeral_case", ["unit_id"])

    op.create_table(
        "funeral_benefit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("reviewed_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paid_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["funeral_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "kind", name="uq_funeral_benefit_kind"),
    )
    op.create_index("ix_funeral_benefit_case_id", "funeral_benefit", ["case_id"])

    op.create_table(
        "funeral_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_staff_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["funeral_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_staff_id"],
            ["staff_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "kind", name="uq_funeral_task_kind"),
    )
    op.create_index("ix_funeral_task_case_id", "funeral_task", ["case_id"])

    op.create_table(
        "survivor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("without_income", sa.Boolean(), nullable=False),
        sa.Column("subsidy_fen_month", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["funeral_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survivor_case_id", "survivor", ["case_id"])

    op.create_table(
        "funeral_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("benefit_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uploaded_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["benefit_id"],
            ["funeral_benefit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_funeral_document_benefit_id", "funeral_document", ["benefit_id"])


def downgrade() -> None:
    op.drop_index("ix_funeral_document_benefit_id", table_name="funeral_document")

    op.drop_table("funeral_document")
    op.drop_index("ix_survivor_case_id", table_name="survivor")

    op.drop_table("survivor")
    op.drop_index("ix_funeral_task_case_id", table_name="funeral_task")

    op.drop_table("funeral_task")
    op.drop_index("ix_funeral_benefit_case_id", table_name="funeral_benefit")

    op.drop_table("funeral_benefit")
    op.drop_index("ix_funeral_case_unit_id", table_name="funeral_case")
    op.drop_index("ix_funeral_case_completed_at", table_name="funeral_case")

    op.drop_table("funeral_case")
