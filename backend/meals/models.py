"""What meals add to bookings/: a menu per unit, day and meal; its options (each a Bookable of
kind "meal"); the order details beside each Booking; standing orders.

Money is stored in fen (integer cents) so sums are exact."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class MealMenu(SQLModel, table=True):
    """One meal of one day at one unit. status: open / cancelled."""

    __tablename__ = "meal_menu"
    __table_args__ = (
        # One open menu per unit, day and meal (a cancelled one may be published again).
        Index(
            "uq_meal_menu_open",
            "unit_id",
            "day",
            "meal",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint("meal IN ('午餐', '晚餐')", name="ck_meal_menu_meal"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    day: date = Field(index=True)
    meal: str = Field(max_length=4)  # 午餐 / 晚餐
    serve_at: datetime = Field(sa_type=UTCDateTime)
    cutoff_at: datetime = Field(sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=200)
    status: str = Field(default="open", max_length=12)
    cancel_reason: str | None = Field(default=None, max_length=200)
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class MealOption(SQLModel, table=True):
    """套餐A/B…: its portions are the Bookable's capacity."""

    __tablename__ = "meal_option"
    __table_args__ = (
        CheckConstraint(
            "price_fen >= 0 AND subsidised_fen >= 0 AND subsidised_fen <= price_fen",
            name="ck_meal_option_price",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    menu_id: int = Field(foreign_key="meal_menu.id", index=True)
    bookable_id: int = Field(foreign_key="bookable.id", unique=True)
    position: int = 0
    name: str = Field(max_length=40)
    dishes: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    tags: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    price_fen: int
    subsidised_fen: int


class MealStandingOrder(SQLModel, table=True):
    """ "Every weekday lunch": booked day by day once the menu exists, until stopped."""

    __tablename__ = "meal_standing_order"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="ck_meal_standing_quantity"),
        CheckConstraint("meal IN ('午餐', '晚餐')", name="ck_meal_standing_meal"),
    )

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    meal: str = Field(max_length=4)
    weekdays: str = Field(max_length=20)  # "1,2,3,4,5" (ISO: Monday = 1)
    mode: str = Field(max_length=4)
    quantity: int = 1
    diet_notes: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=200)
    tag: str | None = Field(default=None, max_length=10)
    active: bool = True
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(sa_type=UTCDateTime)
    stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    stopped_by: str | None = Field(default=None, max_length=40)


class MealOrder(SQLModel, table=True):
    """The meal details of one Booking: how it is served, what is owed, whether it is paid."""

    __tablename__ = "meal_order"
    __table_args__ = (
        CheckConstraint("mode IN ('堂食', '自取', '送餐')", name="ck_meal_order_mode"),
        CheckConstraint("amount_fen >= 0", name="ck_meal_order_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    option_id: int = Field(foreign_key="meal_option.id", index=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    mode: str = Field(max_length=4)
    address: str | None = Field(default=None, max_length=200)  # personal data: a snapshot
    diet_notes: str | None = Field(default=None, max_length=200)
    amount_fen: int
    paid: bool = False
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paid_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    standing_order_id: int | None = Field(default=None, foreign_key="meal_standing_order.id")


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(MealMenu, missing="没有找到这个菜单。")
declare(MealOption, missing="没有找到这个套餐。", via=("menu_id", MealMenu))
declare(MealOrder, missing="没有找到这份订餐。", via=("booking_id", "Booking"))
