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
