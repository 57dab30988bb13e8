"""Tables of 信访 cases: the case, its file (every message, action and attachment), and each
unit's working days per kind."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class Case(SQLModel, table=True):
    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("number", name="uq_case_number"),
        Index("ix_case_unit_status_due", "unit_id", "status", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20)  # 信2026-0001: the year and the order in it
    # None for an anonymous 意见箱 item: nothing that names the writer is kept.
    retiree_id: int | None = Field(default=None, foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=10)  # a CaseKind value
    channel: str = Field(max_length=10)  # a Channel value
    body: str = Field(sa_column=Column(Text, nullable=False))
    submitted_by: str = Field(max_length=60)  # 本人 / 家属… / 工作人员… (by phone) / 匿名
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    handler_staff_id: int | None = Field(default=None, foreign_key="staff_account.id", index=True)
    due_on: date = Field(index=True)
    status: str = Field(default="open", max_length=10)
    follow_ups: int = 0  # how many times it was reopened after 不满意
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reply: str | None = Field(default=None, sa_column=Column(Text))
    rating: str | None = Field(default=None, max_length=10)
    rated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # Late cases are escalated once per due date; the date it was escalated for.
    escalated_for: date | None = None


class CaseEvent(SQLModel, table=True):
    """One page of the case's file: in the words staff (and, where `public`, the person) read."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    what: str = Field(
        max_length=20
    )  # 收到 / 交办 / 记录 / 答复 / 评价 / 再办理 / 催办 / 督办 / 附件
    by: str = Field(max_length=80)
    text: str | None = Field(default=None, sa_column=Column(Text))
    public: bool = False  # the person sees it in the mini-program
    attachment_path: str | None = Field(default=None, max_length=200)


class CaseDueSetting(SQLModel, table=True):
    __tablename__ = "case_due_setting"
    __table_args__ = (UniqueConstraint("unit_id", "kind", name="uq_case_due_setting"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    kind: str = Field(max_length=10)
    working_days: int
    updated_at: datetime = Field(sa_type=UTCDateTime)


declare(Case, missing="没有找到这件信访。")
