"""Tables of the visits domain. Times are stored in UTC; dates are Shanghai calendar dates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class VisitAssignment(SQLModel, table=True):
    """定人包户 (mva 第十五条): the staff member who looks after one retiree."""

    __tablename__ = "visit_assignment"

    retiree_id: int = Field(foreign_key="retiree.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    staff_id: int = Field(foreign_key="staff_account.id", index=True)
    assigned_at: datetime = Field(sa_type=UTCDateTime)
    assigned_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


class VisitFrequency(SQLModel, table=True):
    """How often a unit visits retirees with one care flag ("其他": those without one).
    A unit without its own row uses the nearest unit above it, then the defaults."""

    __tablename__ = "visit_frequency"
    __table_args__ = (UniqueConstraint("unit_id", "flag", name="uq_visit_frequency_unit_flag"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    flag: str = Field(max_length=10)
    every_months: int
    at_home: bool = False
    updated_at: datetime = Field(sa_type=UTCDateTime)


class VisitCampaign(SQLModel, table=True):
    """A festival visit campaign (春节, 八一, 重阳) for a unit subtree and a date range."""

    __tablename__ = "visit_campaign"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    festival: str = Field(max_length=10)
    title: str = Field(max_length=60)
    starts_on: date
    ends_on: date
    created_by_staff_id: int = Field(foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class VisitTask(SQLModel, table=True):
    """A visit someone asked for: a hospital stay, a family event, a call-back request.
    Open until a visit is recorded for it (or staff close it)."""

    __tablename__ = "visit_task"
    __table_args__ = (Index("ix_visit_task_unit_status", "unit_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    reason: str = Field(max_length=10)  # 住院 / 家庭变故 / 回电话
    detail: str | None = Field(default=None, max_length=300)
    due_on: date
    staff_id: int | None = Field(default=None, foreign_key="staff_account.id", index=True)
    reported_by: str = Field(max_length=40)  # 本人 / 家属 / 工作人员 …
    status: str = Field(default="open", sa_type=String(8))  # open / done
    visit_id: int | None = Field(default=None, foreign_key="visit_record.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class VisitRecord(SQLModel, table=True):
    """One visit (sx 5.3.2: 思想状态、身体状况、家庭状况、参加社会活动, needs raised)."""

    __tablename__ = "visit_record"
    __table_args__ = (Index("ix_visit_record_retiree_at", "retiree_id", "visited_at"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=4)  # 上门 / 电话 / 视频
    visited_at: datetime = Field(sa_type=UTCDateTime)
    visitors: str = Field(max_length=100)
    met: str = Field(max_length=100)
    health: str | None = Field(default=None, max_length=300)
    mood: str | None = Field(default=None, max_length=300)
    family: str | None = Field(default=None, max_length=300)
    activities: str | None = Field(default=None, max_length=300)
    needs: str | None = Field(default=None, max_length=500)
    campaign_id: int | None = Field(default=None, foreign_key="visit_campaign.id")
    staff_id: int = Field(foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class VisitFollowUp(SQLModel, table=True):
    """Something a visit found to do, with an owner and a due date; on the owner's list until
    closed."""

    __tablename__ = "visit_follow_up"
    __table_args__ = (Index("ix_visit_follow_up_owner_status", "owner_staff_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit_record.id", index=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    text: str = Field(max_length=200)
    owner_staff_id: int = Field(foreign_key="staff_account.id")
    due_on: date
    status: str = Field(default="open", sa_type=String(8))  # open / closed
    close_note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


declare(VisitCampaign, missing="没有找到这次走访活动。")
declare(VisitTask, missing="没有找到这项走访任务。")
declare(VisitRecord, missing="没有找到这次走访记录。")
declare(VisitFollowUp, missing="没有找到这件待办。")
