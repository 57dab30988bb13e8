"""activities: series with term enrolment, photo, attendance per session

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 11:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("photo_path", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
    op.create_table(
        "activity_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_session_activity_start", ["activity_id", "starts_at"], unique=False
        )
    op.create_table(
        "session_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("marked_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("marked_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"]),
        sa.ForeignKeyConstraint(["marked_by_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["activity_session.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "booking_id", name="uq_session_attendance"),
    )
    with op.batch_alter_table("session_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_attendance_booking_id"), ["booking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_attendance_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("session_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_session_attendance_booking_id"))
    op.drop_table("session_attendance")
    with op.batch_alter_table("activity_session", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_session_activity_start")
    op.drop_table("activity_session")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("photo_path")
