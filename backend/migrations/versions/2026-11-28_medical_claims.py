"""medical: 医疗费补助 claims, receipts and the per-unit setting

Revision ID: 0029
Revises: 0030
Create Date: 2026-11-28 08:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0029"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "medical_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("accepted_total", sa.Integer(), nullable=False),
        sa.Column("subsidy", sa.Integer(), nullable=False),
        sa.Column("pay_on", sa.Date(), nullable=True),
        sa.Column("approved_at", UTC(timezone=True), nullable=True),
        sa.Column("approved_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["approved_by_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("retiree_id", "year", name="uq_medical_claim_year"),
    )
    op.create_index("ix_medical_claim_retiree_id", "medical_claim", ["retiree_id"])
    op.create_index("ix_medical_claim_unit_id", "medical_claim", ["unit_id"])
    op.create_table(
        "medical_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("photo_path", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("added_at", UTC(timezone=True), nullable=False),
        sa.Column("added_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("checked_at", UTC(timezone=True), nullable=True),
        sa.Column("checked_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["medical_claim.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["checked_by_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_medical_receipt_claim_id", "medical_receipt", ["claim_id"])
    op.create_index("ix_medical_receipt_unit_id", "medical_receipt", ["unit_id"])
    op.create_table(
        "medical_unit_setting",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("cover_other_categories", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("unit_id"),
    )


def downgrade() -> None:
    op.drop_table("medical_unit_setting")
    op.drop_index("ix_medical_receipt_unit_id", table_name="medical_receipt")
    op.drop_index("ix_medical_receipt_claim_id", table_name="medical_receipt")
    op.drop_table("medical_receipt")
    op.drop_index("ix_medical_claim_unit_id", table_name="medical_claim")
    op.drop_index("ix_medical_claim_retiree_id", table_name="medical_claim")
    op.drop_table("medical_claim")
