"""A unit's phones beside its main number (Unit.phone, kept by accounts) and its duty roster.

A shift is one staff member on duty for one unit from `starts_at` to `ends_at` (UTC; typed and
shown as Shanghai wall-clock time), with the number to call them on while it lasts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class UnitPhone(SQLModel, table=True):
    """Another number of a unit (值班电话, 办公室, 医务室), with what it is for."""

    __tablename__ = "contact_unit_phone"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    label: str = Field(max_length=20)
    phone: str = Field(max_length=30)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DutyShift(SQLModel, table=True):
    __tablename__ = "contact_duty_shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_contact_duty_shift_window"),
        Index("ix_contact_duty_shift_unit_time", "unit_id", "starts_at"),
        Index("ix_contact_duty_shift_staff_time", "staff_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    staff_id: int = Field(foreign_key="staff_account.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    phone: str = Field(max_length=30)
    note: str = Field(default="", max_length=60)
    created_at: datetime = Field(sa_type=UTCDateTime)


declare(UnitPhone, missing="没有找到这个电话。")
declare(DutyShift, missing="没有找到这个班次。")
