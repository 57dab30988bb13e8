"""meals: menus, options, orders, standing orders

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 11:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.core.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meal_menu",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("meal", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("serve_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cutoff_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("meal IN ('午餐', '晚餐')", name="ck_meal_menu_meal"),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"],
            ["staff_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_meal_menu_day"), "meal_menu", ["day"], unique=False)
    op.create_index(op.f("ix_meal_menu_unit_id"), "meal_menu", ["unit_id"], unique=False)
    op.create_index(
        "uq_meal_menu_open",
        "meal_menu",
        ["unit_id", "day", "meal"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "meal_standing_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("meal", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("weekdays", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("diet_notes", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", backend.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("stopped_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.CheckConstraint("meal IN ('午餐', '晚餐')", name="ck_meal_standing_meal"),
        sa.CheckConstraint("quantity >= 1", name="ck_meal_standing_quantity"),
        sa.ForeignKeyConstraint(
            ["retiree_id"],
            ["retiree.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_meal_standing_order_retiree_id"),
        "meal_standing_order",
        ["retiree_id"],
        unique=False,
    )
    op.create_table(
        "meal_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("bookable_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("dishes", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("subsidised_fen", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "price_fen >= 0 AND subsidised_fen >= 0 AND subsidised_fen <= price_fen",
            name="ck_meal_option_price",
        ),
        sa.ForeignKeyConstraint(
            ["bookable_id"],
            ["bookable.id"],
        ),
        sa.ForeignKeyConstraint(
            ["menu_id"],
            ["meal_menu.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bookable_id"),
    )
    op.create_index(op.f("ix_meal_option_menu_id"), "meal_option", ["menu_id"], unique=False)
    op.create_table(
        "meal_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("retiree_id", sa.Integer(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("diet_notes", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("paid_at", backend.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paid_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("standing_order_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("mode IN ('堂食', '自取', '送餐')", name="ck_meal_order_mode"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_meal_order_amount"),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["meal_option.id"],
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_staff_id"],
            ["staff_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["retiree_id"],
            ["retiree.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standing_order_id"],
            ["meal_standing_order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_id"),
    )
    op.create_index(op.f("ix_meal_order_option_id"), "meal_order", ["option_id"], unique=False)
    op.create_index(op.f("ix_meal_order_retiree_id"), "meal_order", ["retiree_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_meal_order_retiree_id"), table_name="meal_order")
    op.drop_index(op.f("ix_meal_order_option_id"), table_name="meal_order")
    op.drop_table("meal_order")
    op.drop_index(op.f("ix_meal_option_menu_id"), table_name="meal_option")
    op.drop_table("meal_option")
    op.drop_index(op.f("ix_meal_standing_order_retiree_id"), table_name="meal_standing_order")
    op.drop_table("meal_standing_order")
    op.drop_index(
        "uq_meal_menu_open",
        table_name="meal_menu",
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index(op.f("ix_meal_menu_unit_id"), table_name="meal_menu")
    op.drop_index(op.f("ix_meal_menu_day"), table_name="meal_menu")
    op.drop_table("meal_menu")
