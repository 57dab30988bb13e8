"""sos: emergency contacts, emergency alerts (一键求助) and the calls they ask staff to make

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-28 04:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = backend.core.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "emergency_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", TEXT(length=50), nullable=False),
        sa.Column("relation", TEXT(length=20), nullable=False),
        sa.Column("phone", TEXT(length=30), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("updated_by", TEXT(length=60), nullable=False),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("retiree_id", "position", name="uq_emergency_contact"),
    )
    op.create_index("ix_emergency_contact_retiree_id", "emergency_contact", ["retiree_id"])
    op.create_index("ix_emergency_contact_unit_id", "emergency_contact", ["unit_id"])
    op.create_table(
        "sos_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("open_retiree_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("raised_at", WHEN, nullable=False),
        sa.Column("raised_by", TEXT(length=60), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("escalated_at", WHEN, nullable=True),
        sa.Column("acknowledged_at", WHEN, nullable=True),
        sa.Column("acknowledged_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("closed_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("outcome", TEXT(length=10), nullable=True),
        sa.Column("outcome_note", TEXT(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["retiree_id"], ["retiree.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["acknowledged_by_staff_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["closed_by_staff_id"], ["staff_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_retiree_id"),
    )
    op.create_index("ix_sos_alert_retiree_id", "sos_alert", ["retiree_id"])
    op.create_index("ix_sos_alert_unit_id", "sos_alert", ["unit_id"])
    op.create_index("ix_sos_alert_status", "sos_alert", ["status", "raised_at"])
    op.create_table(
        "sos_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("kind", TEXT(length=10), nullable=False),
        sa.Column("name", TEXT(length=50), nullable=False),
        sa.Column("relation", TEXT(length=20), nullable=False),
        sa.Column("phone", TEXT(length=30), nullable=False),
        sa.Column("message", TEXT(length=300), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["sos_alert.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id", "kind", "phone", name="uq_sos_call"),
    )
    op.create_index("ix_sos_call_alert_id", "sos_call", ["alert_id"])


def downgrade() -> None:
    op.drop_table("sos_call")
    op.drop_table("sos_alert")
    op.drop_table("emergency_contact")
