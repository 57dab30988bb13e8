"""One row per date that differs from the plain week: a weekday off (法定节假日) or a weekend day
worked (调休上班). Every other Monday–Friday is a working day, every Saturday and Sunday is not."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime


class WorkCalendarDay(SQLModel, table=True):
    __tablename__ = "work_calendar_day"

    day: date = Field(primary_key=True)
    working: bool
    name: str = Field(max_length=30)  # 春节 / 国庆节调休上班 …
    updated_by: str = Field(max_length=80)  # "seed" or "staff:3 张敏"
    updated_at: datetime = Field(sa_type=UTCDateTime)
