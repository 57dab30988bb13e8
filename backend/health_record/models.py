"""Tables of the health record: its entries (a check-up's results, a hospital stay, a note from
the medical staff) and the log of every read."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class EntryKind(StrEnum):
    checkup = "体检"
    admission = "住院"
    note = "其他"


class HealthEntry(SQLModel, table=True):
    __tablename__ = "health_entry"
    __table_args__ = (Index("ix_health_entry_retiree_on", "retiree_id", "happened_on"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=10)  # an EntryKind value
    happened_on: date  # the check-up day, the day of admission
    place: str | None = Field(default=None, max_length=100)  # hospital
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    report_path: str | None = Field(default=None, max_length=200)  # the report (PDF/photo)
    discharged_on: date | None = None
    # The check-up activity the results belong to (activities: category 体检).
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=60)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HealthRead(SQLModel, table=True):
    """One read of a health record or report: who, when, what. The retiree sees this list."""

    __tablename__ = "health_read"
    __table_args__ = (Index("ix_health_read_retiree_at", "retiree_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    at: datetime = Field(sa_type=UTCDateTime)
    reader: str = Field(max_length=60)  # 本人 / 家属王小红（子女） / 医务人员张敏
    staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    what: str = Field(max_length=20)  # 健康档案 / 体检报告


declare(HealthEntry, missing="没有找到这条健康记录。")
