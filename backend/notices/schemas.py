"""API shapes for notices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from backend.accounts.enums import CareFlag, RetireeCategory


class NoticeCategory(StrEnum):
    notice = "通知"
    activity = "活动"
    policy = "政策"
    tip = "温馨提示"


class Audience(BaseModel):
    """Who receives an announcement: exactly one of everyone in the sender's units
    (`everyone`), the retirees matching filters (units, care flags, categories), or hand-picked
    retirees. Nothing chosen is refused, never read as "everyone"."""

    everyone: bool = False
    unit_ids: list[int] = Field(default_factory=list, max_length=200)
    care_flags: list[CareFlag] = Field(default_factory=list)
    categories: list[RetireeCategory] = Field(default_factory=list)
    retiree_ids: list[int] = Field(default_factory=list, max_length=5000)


class NoticeIn(BaseModel):
    title: str = Field(min_length=1, max_length=60)
    body: str = Field(min_length=1, max_length=5000)
    category: NoticeCategory = NoticeCategory.notice
    urgent: bool = False
    audience: Audience = Field(default_factory=Audience)
    include_family: bool = True
    send_at: datetime | None = Field(default=None, description="空：立即发送")
    version: int | None = None

    @field_validator("title", "body")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("不能为空")
        return value


class NoticePublic(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    category: str
    urgent: bool
    audience: Audience
    include_family: bool
    status: str
    send_at: datetime | None
    sent_at: datetime | None
    withdrawn_at: datetime | None
    recipients_total: int
    created_at: datetime
    version: int


class NoticesPublic(BaseModel):
    data: list[NoticePublic]
    count: int


class PreviewPerson(BaseModel):
    retiree_id: int
    name: str
    unit_name: str
    family_copies: int
    wechat_bound: bool


class AudiencePreview(BaseModel):
    retirees: int
    family_copies: int
    people: list[PreviewPerson]


class InboxEntry(BaseModel):
    id: int
    notice_id: int
    title: str
    body: str
    category: str
    urgent: bool
    withdrawn: bool
    link_page: str | None
    for_retiree_id: int
    for_retiree_name: str
    is_copy: bool
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    data: list[InboxEntry]
    unread: int


class SubscriptionGrant(BaseModel):
    """What wx.requestSubscribeMessage returned: template id → 'accept' / 'reject' / …"""

    results: dict[str, str]


class PreferenceIn(BaseModel):
    wechat_categories: list[NoticeCategory]
    quiet_start: str = Field(default="21:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    quiet_end: str = Field(default="07:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class PreferenceOut(PreferenceIn):
    balances: dict[str, int]


class DeliveryRow(BaseModel):
    inbox_id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    phone: str | None
    recipient: str  # 本人 / family display name
    is_copy: bool
    delivered_at: datetime
    read_at: datetime | None
    wechat_status: str | None
    wechat_error: str | None


class DeliveryReport(BaseModel):
    notice: NoticePublic
    recipients: int
    family_copies: int
    read: int
    wechat_sent: int
    wechat_refused: int
    wechat_failed: int
    wechat_waiting: int
    rows: list[DeliveryRow]
