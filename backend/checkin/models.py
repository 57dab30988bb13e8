"""Tables of the check-in domain: yearly campaigns, one submission per retiree per campaign,
and the monthly contact log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class CheckinCampaign(SQLModel, table=True):
    """One year's check-in for a unit subtree. The window is in Asia/Shanghai dates, inclusive."""

    __tablename__ = "checkin_campaign"
    __table_args__ = (UniqueConstraint("year", "unit_id", name="uq_checkin_campaign_year_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    unit_id: int = Field(foreign_key="unit.id", index=True)
    opens_on: date
    closes_on: date
    created_by_staff_id: int = Field(foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # Set when the overdue list went to staff after the deadline (once per deadline).
    overdue_reported_for: date | None = None


class CheckinSubmission(SQLModel, table=True):
    """A retiree's check-in for one campaign: a draft until submitted, then reviewed.

    status: draft / submitted / returned / approved / talk. `answers` holds the current form
    (JSON); `submitted_answers` what staff last saw, so a resubmission shows what changed."""

    __tablename__ = "checkin_submission"
    __table_args__ = (
        UniqueConstraint("campaign_id", "retiree_id", name="uq_checkin_submission_retiree"),
        Index("ix_checkin_submission_campaign_status", "campaign_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="checkin_campaign.id")
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    status: str = Field(default="draft", sa_type=String(12))
    answers: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    submitted_answers: str | None = Field(default=None, sa_column=Column(Text))
    previous_answers: str | None = Field(default=None, sa_column=Column(Text))
    return_reasons: str | None = Field(default=None, sa_column=Column(Text))
    talk_note: str | None = Field(default=None, max_length=500)
    channel: str = Field(default="小程序", max_length=10)
    photo_path: str | None = Field(default=None, max_length=200)
    submitted_by_wechat_user_id: int | None = Field(default=None, foreign_key="wechat_user.id")
    on_behalf: bool = False
    binding_id: int | None = Field(default=None, foreign_key="family_binding.id")
    recorded_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    submit_request_id: str | None = Field(default=None, max_length=64)
    submit_count: int = 0
    return_count: int = 0
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class ContactLog(SQLModel, table=True):
    """Jilin 第十五条: staff contact each retiree at least once a month and record it."""

    __tablename__ = "contact_log"
    __table_args__ = (Index("ix_contact_log_retiree_at", "retiree_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    channel: str = Field(max_length=10)  # 上门 / 电话 / 微信 / 年度登记 / 现场
    note: str | None = Field(default=None, max_length=300)
    staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(CheckinSubmission, missing="没有找到这份登记。")


class LostContactCase(SQLModel, table=True):
    """Jilin 第十五条: six whole months without contact opens a 失联 case — an investigation, the
    decision whether to pause payments, and a report to the higher department (the parent unit,
    which sees the cases of its subtree). One open case per retiree: `open_retiree_id` holds
    the retiree's id while the case is open and is cleared on closing (a unique column, so a
    second worker's job cannot open a second case)."""

    __tablename__ = "lost_contact_case"

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    # The unit the report goes to: the parent of `unit_id` (None: the top unit reports outside).
    report_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    open_retiree_id: int | None = Field(default=None, unique=True)
    status: str = Field(default="open", sa_type=String(8))  # open / closed
    last_contact_at: datetime = Field(sa_type=UTCDateTime)  # the last contact before the case
    lost_on: date  # the Shanghai date six whole months after it
    opened_at: datetime = Field(sa_type=UTCDateTime)
    investigator_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    investigation_due: date
    # paused / not_paused, or None while undecided
    pause_decision: str | None = Field(default=None, sa_type=String(12))
    pause_reason: str | None = Field(default=None, max_length=300)
    pause_decided_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    pause_decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    restored_how: str | None = Field(default=None, max_length=10)
    restored_on: date | None = None
    close_note: str | None = Field(default=None, max_length=300)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


class LostContactEvent(SQLModel, table=True):
    """One line of a 失联 case's timeline: opened, investigator set, a note, the pause
    decision, closed (contacts recorded meanwhile are read from the contact log)."""

    __tablename__ = "lost_contact_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="lost_contact_case.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=12)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


declare(LostContactCase, missing="没有找到这个失联记录。")
