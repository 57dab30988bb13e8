"""What an activity adds to a bookable: category, description, place, notes, cost, photo; and,
for a weekly class, its sessions and who came to each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class Activity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    bookable_id: int = Field(foreign_key="bookable.id", unique=True)
    category: str = Field(max_length=10, index=True)  # 文体活动 / 老年大学 / 疗养 / 慰问
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    place: str = Field(max_length=100)
    accessibility: str | None = Field(default=None, max_length=200)
    cost: str | None = Field(default=None, max_length=50)
    photo_path: str | None = Field(default=None, max_length=200)  # under UPLOAD_DIR


class ActivitySession(SQLModel, table=True):
    """One meeting of a weekly class. Signing up for the activity enrols for every session
    (the term); attendance is kept per session."""

    __tablename__ = "activity_session"
    __table_args__ = (Index("ix_activity_session_activity_start", "activity_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)


class SessionAttendance(SQLModel, table=True):
    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("session_id", "booking_id", name="uq_session_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="activity_session.id", index=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    attended: bool
    marked_at: datetime = Field(sa_type=UTCDateTime)
    marked_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(Activity, missing="没有找到这个活动。", via=("bookable_id", "Bookable"))
