"""API shapes for notices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from backend.accounts.enums import CareFlag, RetireeCategory
from backend.core.inputs import Count, Id, Line, Moment, Text


class NoticeCategory(StrEnum):
    notice = "通知"
    activity = "活动"
    policy = "政策"
    tip = "温馨提示"


class Audience(BaseModel):
    """Who receives an announcement: exactly one of everyone in the sender's units
    (`everyone`), the retirees matching filters (units, care flags, categories), or hand-picked
    retirees. Nothing chosen is refused, never read as "everyone"."""

    everyone: bool = Field(title="所有人", default=False)
    unit_ids: list[Id] = Field(title="单位", default_factory=list, max_length=200)
    care_flags: list[CareFlag] = Field(title="照顾类型", default_factory=list)
    categories: list[RetireeCategory] = Field(title="人员类别", default_factory=list)
    retiree_ids: list[Id] = Field(title="老同志", default_factory=list, max_length=5000)


class NoticeIn(BaseModel):
    title: Line = Field(title="标题", min_length=1, max_length=60)
    body: Text = Field(title="正文", min_length=1, max_length=5000)
    category: NoticeCategory = Field(default=NoticeCategory.notice, title="类别")
    urgent: bool = Field(default=False, title="是否紧急")
    audience: Audience = Field(title="发给谁", default_factory=Audience)
    include_family: bool = Field(default=True, title="是否抄送家属")
    send_at: Moment | None = Field(title="发送时间", default=None, description="空：立即发送")
    version: Count | None = Field(default=None, title="版本")

    @field_validator("title", "body")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("missing", "blank")
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

    results: dict[Line, Line] = Field(title="订阅结果")


class PreferenceIn(BaseModel):
    wechat_categories: list[NoticeCategory] = Field(title="微信提醒的类别")
    quiet_start: Line = Field(
        title="免打扰开始时间", default="21:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$"
    )
    quiet_end: Line = Field(
        title="免打扰结束时间", default="07:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$"
    )


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
