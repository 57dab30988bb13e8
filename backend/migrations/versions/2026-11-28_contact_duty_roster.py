"""contact: units' other phones and the duty roster (值班表)

Revision ID: 0016
Revises: 0017
Create Date: 2026-11-28 04:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0016"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.types.UTCDateTime


def _str(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "contact_unit_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("label", _str(20), nullable=False),
        sa.Column("phone", _str(30), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_contact_unit_phone_unit_id"), "contact_unit_phone", ["unit_id"], unique=False
    )
    op.create_table(
        "contact_duty_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC(timezone=True), nullable=False),
        sa.Column("ends_at", UTC(timezone=True), nullable=False),
        sa.Column("phone", _str(30), nullable=False),
        sa.Column("note", _str(60), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="ck_contact_duty_shift_window"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contact_duty_shift_unit_time", "contact_duty_shift", ["unit_id", "starts_at"]
    )
    op.create_index(
        "ix_contact_duty_shift_staff_time", "contact_duty_shift", ["staff_id", "starts_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_contact_duty_shift_staff_time", table_name="contact_duty_shift")
    op.drop_index("ix_contact_duty_shift_unit_time", table_name="contact_duty_shift")
    op.drop_table("contact_duty_shift")
    op.drop_index(op.f("ix_contact_unit_phone_unit_id"), table_name="contact_unit_phone")
    op.drop_table("contact_unit_phone")
