"""Notices: the message, one inbox row per recipient, and the WeChat send outbox and ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class Notice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # announcement / system
    unit_id: int = Field(foreign_key="unit.id", index=True)  # whose staff see and manage it
    author_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    title: str = Field(max_length=60)
    body: str = Field(sa_column=Column(Text, nullable=False))
    image_path: str | None = Field(default=None, max_length=300)
    category: str = Field(sa_type=String(10))  # 通知 / 活动 / 政策 / 温馨提示
    urgent: bool = False
    audience: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    include_family: bool = True
    link_page: str | None = Field(default=None, max_length=300)
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    status: str = Field(default="draft", max_length=20, index=True)
    send_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recipients_total: int = 0
    # Fan-out progress: the last retiree id whose inbox rows are committed (a crash resumes here).
    fanout_cursor: int = 0
    version: int = 1


class InboxItem(SQLModel, table=True):
    """One row per (notice, retiree, copy): copy_binding_id 0 is the retiree's own row, else
    the family binding that receives a copy. 0 instead of NULL keeps the unique key strict."""

    __tablename__ = "inbox_item"
    __table_args__ = (
        UniqueConstraint("notice_id", "retiree_id", "copy_binding_id", name="uq_inbox_recipient"),
        Index("ix_inbox_owner", "retiree_id", "copy_binding_id", "id"),
        Index("ix_inbox_user", "wechat_user_id", "id"),
        # a family member's copies, read by binding beside the retiree's own rows
        Index("ix_inbox_copy", "copy_binding_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id")
    retiree_id: int = Field(foreign_key="retiree.id")
    copy_binding_id: int = Field(default=0)
    wechat_user_id: int | None = Field(default=None)
    # A withdrawn notice stays as a short "已撤回" line; its text is no longer shown.
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WechatSend(SQLModel, table=True):
    """The outbox: one subscribe message per inbox row at most (unique), so a resumed or
    repeated fan-out can never send twice."""

    __tablename__ = "wechat_send"
    __table_args__ = (Index("ix_wechat_send_due", "status", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    inbox_item_id: int = Field(foreign_key="inbox_item.id", unique=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    wechat_user_id: int = Field(foreign_key="wechat_user.id")
    template_key: str = Field(max_length=40)
    # pending → sending → sent | refused (43101) | failed (permanent) ; skipped (no consent)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    not_before: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_errcode: int | None = None
    last_error: str | None = Field(default=None, max_length=200)
    consent_spent: bool = False
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class SubscriptionBalance(SQLModel, table=True):
    """Remaining one-time subscribe-message consents per user and template (they add up)."""

    __tablename__ = "subscription_balance"
    __table_args__ = (UniqueConstraint("wechat_user_id", "template_key", name="uq_balance"),)

    id: int | None = Field(default=None, primary_key=True)
    wechat_user_id: int = Field(foreign_key="wechat_user.id")
    template_key: str = Field(max_length=40)
    remaining: int = 0
    updated_at: datetime = Field(sa_type=UTCDateTime)


class NoticePreference(SQLModel, table=True):
    __tablename__ = "notice_preference"

    wechat_user_id: int = Field(foreign_key="wechat_user.id", primary_key=True)
    # Categories received as WeChat messages (comma-separated); the inbox always has everything.
    wechat_categories: str = Field(default="通知,活动,政策,温馨提示", max_length=100)
    quiet_start: str = Field(default="21:00", max_length=5)
    quiet_end: str = Field(default="07:30", max_length=5)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class StaffAlert(SQLModel, table=True):
    """A system notice to the staff of a unit (shown on the console's home page)."""

    __tablename__ = "staff_alert"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    title: str = Field(max_length=80)
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=200)
    dedupe_key: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(Notice, missing="没有找到这条通知。")
