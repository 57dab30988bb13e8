"""A bookable thing with a capacity, and the bookings against it.

The invariant confirmed_count ≤ capacity is kept by the database: every booking change first
locks the bookable's row, capacity is taken with a conditional UPDATE, and a CHECK constraint
refuses anything that would break it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class Bookable(SQLModel, table=True):
    __tablename__ = "bookable"
    __table_args__ = (
        CheckConstraint(
            "confirmed_count >= 0 AND confirmed_count <= capacity", name="ck_bookable_capacity"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)  # activity / meal / ride
    unit_id: int = Field(foreign_key="unit.id", index=True)
    title: str = Field(max_length=80)
    capacity: int
    confirmed_count: int = 0
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    cancel_deadline: datetime = Field(sa_type=UTCDateTime)
    max_quantity: int = 2
    # Who may book: {"categories": [...], "care_flags": [...], "min_age": 80}; the unit subtree
    # of unit_id always applies.
    eligibility: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", sa_type=String(12))  # open / cancelled
    cancel_reason: str | None = Field(default=None, max_length=200)
    lock_version: int = 0
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Booking(SQLModel, table=True):
    """status: confirmed / waitlisted / cancelled. Waiting order is the id (first come first)."""

    __tablename__ = "booking"
    __table_args__ = (
        UniqueConstraint("bookable_id", "idempotency_key", name="uq_booking_idempotency"),
        # the id too: a place in the waiting line is counted from the index (migration 0034)
        Index("ix_booking_bookable_status_id", "bookable_id", "status", "id"),
        Index("ix_booking_retiree_status", "retiree_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bookable_id: int = Field(foreign_key="bookable.id")
    retiree_id: int = Field(foreign_key="retiree.id")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    quantity: int = 1
    notes: str | None = Field(default=None, max_length=200)
    status: str = Field(sa_type=String(12))
    booked_by: str = Field(max_length=40)  # self / family:<binding id> / staff:<id>
    channel: str = Field(default="小程序", max_length=10)  # 小程序 / 电话 / 窗口
    idempotency_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    promoted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_by: str | None = Field(default=None, max_length=40)
    cancel_reason: str | None = Field(default=None, max_length=200)
    attended: bool | None = None
    rating: str | None = Field(default=None, max_length=6)  # 满意 / 一般 / 不满意
    rating_note: str | None = Field(default=None, max_length=300)


class BookableLine(SQLModel, table=True):
    """How many wait on a bookable. Written only by the database: triggers on `booking`
    (migration 0035) add one when a booking joins a waiting line and take one off when it
    leaves. No row: nobody has waited on it yet (0)."""

    __tablename__ = "bookable_line"
    __table_args__ = (CheckConstraint("waiting >= 0", name="ck_bookable_line_waiting"),)

    bookable_id: int = Field(
        sa_column=Column(Integer, ForeignKey("bookable.id", ondelete="CASCADE"), primary_key=True)
    )
    waiting: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(Bookable, missing="没有找到这个项目。")
declare(Booking, missing="没有找到这条预约。")
