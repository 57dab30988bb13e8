"""API shapes for the annual check-in and contact records."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.accounts.enums import CareFlag
from backend.core.inputs import Code, Count, Day, Id, Line, Text

# The form's fields, in the order the mini-program asks them, with the words staff and
# retirees see. Return reasons are keyed by these names.
FIELD_LABELS: dict[str, str] = {
    "same_address": "是否仍住登记地址",
    "new_address": "新地址",
    "phone": "联系电话",
    "party_life": "参加党组织生活",
    "social_orgs": "社会团体任职或兼职",
    "trips_abroad": "出国（境）情况",
    "awards": "获得表彰奖励",
    "discipline": "受到处分或违纪",
    "marriage_change": "婚姻变化",
    "household_change": "户籍变化",
    "health_note": "身体情况",
    "care_needs": "需要的照顾",
    "photo": "照片",
}

COMMON_RETURN_REASONS = [
    "地址没写清楚，请写到门牌号",
    "电话打不通，请核对",
    "出国（境）日期不全，请补上",
    "出国（境）没有写是否审批或报备",
    "照片看不清，请重新拍一张",
]


class Status(StrEnum):
    not_started = "未提交"
    draft = "未提交（有草稿）"
    submitted = "已提交待审核"
    approved = "已通过"
    returned = "退回需补正"
    talk = "需约谈"


STATUS_LABELS = {
    "none": Status.not_started,
    "draft": Status.draft,
    "submitted": Status.submitted,
    "approved": Status.approved,
    "returned": Status.returned,
    "talk": Status.talk,
}


class Channel(StrEnum):
    miniprogram = "小程序"
    in_person = "现场"
    phone = "电话"
    home_visit = "上门"


class ContactChannel(StrEnum):
    home_visit = "上门"
    phone = "电话"
    wechat = "微信"
    in_person = "现场"
    checkin = "年度登记"


class Trip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    destination: Line = Field(
        title="去的国家或地区", min_length=1, max_length=50, description="去了哪个国家或地区"
    )
    start_date: Day = Field(title="出发日期")
    end_date: Day = Field(title="回来日期")
    approved: bool = Field(title="是否已审批或报备", description="是否已审批或报备")

    @model_validator(mode="after")
    def _order(self) -> Trip:
        if self.end_date < self.start_date:
            raise ValueError("回来的日期不能早于出发的日期")
        return self


class CheckinDraft(BaseModel):
    """Any part of the form; saved as it is typed so nothing is lost when the app closes."""

    model_config = ConfigDict(extra="forbid")

    same_address: bool | None = Field(default=None, title="是否仍住登记地址")
    new_address: Line | None = Field(title="新地址", default=None, max_length=200)
    phone: Code | None = Field(title="联系电话", default=None, pattern=r"^[0-9+\- ]{7,20}$")
    party_life: bool | None = Field(default=None, title="参加党组织生活")
    social_orgs: Text | None = Field(title="社会团体任职或兼职", default=None, max_length=300)
    trips_abroad: list[Trip] | None = Field(title="出国（境）情况", default=None, max_length=20)
    awards: Text | None = Field(title="获得表彰奖励", default=None, max_length=300)
    discipline: Text | None = Field(title="受到处分或违纪", default=None, max_length=300)
    marriage_change: Text | None = Field(title="婚姻变化", default=None, max_length=300)
    household_change: Text | None = Field(title="户籍变化", default=None, max_length=300)
    health_note: Text | None = Field(title="身体情况", default=None, max_length=300)
    care_needs: list[CareFlag] | None = Field(default=None, title="需要的照顾")


class CheckinAnswers(BaseModel):
    """The whole form, checked when it is submitted."""

    same_address: bool = Field(title="是否仍住登记地址")
    new_address: Line | None = Field(title="新地址", default=None, max_length=200)
    phone: Code = Field(title="联系电话", pattern=r"^[0-9+\- ]{7,20}$")
    party_life: bool = Field(title="参加党组织生活")
    social_orgs: Text | None = Field(title="社会团体任职或兼职", default=None, max_length=300)
    trips_abroad: list[Trip] = Field(title="出国（境）情况", default_factory=list, max_length=20)
    awards: Text | None = Field(title="获得表彰奖励", default=None, max_length=300)
    discipline: Text | None = Field(title="受到处分或违纪", default=None, max_length=300)
    marriage_change: Text | None = Field(title="婚姻变化", default=None, max_length=300)
    household_change: Text | None = Field(title="户籍变化", default=None, max_length=300)
    health_note: Text | None = Field(title="身体情况", default=None, max_length=300)
    care_needs: list[CareFlag] = Field(title="需要的照顾", default_factory=list)

    @model_validator(mode="after")
    def _address(self) -> CheckinAnswers:
        if not self.same_address and not (self.new_address or "").strip():
            raise ValueError("不住在登记地址了，请写上新地址")
        return self


class DraftIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    answers: CheckinDraft = Field(title="登记内容")


class SubmitIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    answers: CheckinDraft | None = Field(default=None, title="登记内容")
    declaration: bool = Field(title="“以上内容属实”", description="本人承诺以上内容属实")
    request_id: Line | None = Field(
        title="提交编号",
        default=None,
        min_length=8,
        max_length=64,
        description="同一次提交重发时不变",
    )


class CampaignPublic(BaseModel):
    id: int
    year: int
    unit_id: int
    opens_on: date
    closes_on: date
    is_open: bool


class CheckinState(BaseModel):
    """What the mini-program's check-in page shows."""

    retiree_id: int
    retiree_name: str
    campaign: CampaignPublic | None
    status: str
    status_code: str
    banner: str | None
    answers: dict[str, Any]
    return_reasons: dict[str, str]
    talk_note: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    has_photo: bool
    can_edit: bool
    can_submit: bool
    next_step: str


class CampaignIn(BaseModel):
    year: int = Field(title="年份", ge=2000, le=2100)
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")
    opens_on: Day | None = Field(title="开始日期", default=None, description="空：1月1日")
    closes_on: Day | None = Field(title="截止日期", default=None, description="空：3月31日")


class CampaignExtendIn(BaseModel):
    closes_on: Day = Field(title="截止日期")


class SubmissionRow(BaseModel):
    id: int | None
    retiree_id: int
    retiree_name: str
    unit_name: str
    status: str
    status_code: str
    channel: str | None
    on_behalf: bool
    care_flags: list[str]
    submitted_at: datetime | None
    unchanged: bool | None


class SubmissionsPage(BaseModel):
    data: list[SubmissionRow]
    count: int


class FieldDiff(BaseModel):
    field: str
    label: str
    current: str
    last_year: str
    previous: str | None
    changed_from_last_year: bool
    changed_since_return: bool


class SubmissionDetail(BaseModel):
    id: int
    version: int
    retiree_id: int
    retiree_name: str
    status: str
    status_code: str
    channel: str
    on_behalf: bool
    submitted_by: str | None
    submitted_at: datetime | None
    fields: list[FieldDiff]
    return_reasons: dict[str, str]
    talk_note: str | None
    has_photo: bool


class ReviewIn(BaseModel):
    version: Count = Field(title="版本")


class ReturnIn(BaseModel):
    version: Count = Field(title="版本")
    reasons: dict[Text, Text] = Field(
        title="退回原因", default_factory=dict, description="字段名 → 原因；'general' 为总的说明"
    )

    @model_validator(mode="after")
    def _some_reason(self) -> ReturnIn:
        self.reasons = clean_return_reasons(self.reasons)
        return self


def clean_return_reasons(reasons: dict[str, str]) -> dict[str, str]:
    """The one rule for a check-in's return reasons, whichever door they come through (the API's
    ReturnIn, the console's review form, through review.return_for_correction): at least one,
    each about an answer the form has (or 'general'), each 200 characters or fewer. ValueError
    carries the message staff read."""
    cleaned = {k: v.strip() for k, v in reasons.items() if v and v.strip()}
    unknown = [k for k in cleaned if k != "general" and k not in FIELD_LABELS]
    if unknown:
        raise ValueError(f"没有这一项：{unknown[0]}")
    if not cleaned:
        raise ValueError("请写明退回的原因，老同志才知道改哪里")
    if any(len(v) > 200 for v in cleaned.values()):
        raise ValueError("每条原因请写在200字以内")
    return cleaned


class TalkIn(BaseModel):
    version: Count = Field(title="版本")
    note: Text = Field(title="约谈说明", min_length=1, max_length=500)


class RecordIn(BaseModel):
    """Staff record a check-in done in person, by phone or on a home visit."""

    retiree_id: Id = Field(title="老同志")
    channel: Channel = Field(title="登记方式")
    answers: CheckinDraft = Field(title="登记内容", default_factory=CheckinDraft)
    note: Text | None = Field(title="说明", default=None, max_length=300)

    @model_validator(mode="after")
    def _not_app(self) -> RecordIn:
        if self.channel == Channel.miniprogram:
            raise ValueError("小程序提交请由老同志自己办理")
        return self


class UnitProgress(BaseModel):
    unit_id: int
    unit_name: str
    eligible: int
    counts: dict[str, int]
    done_percent: float


class Progress(BaseModel):
    campaign: CampaignPublic
    units: list[UnitProgress]
    total: UnitProgress
    overdue: int


class ContactIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    channel: ContactChannel = Field(title="联系方式")
    note: Text | None = Field(title="说明", default=None, max_length=300)

    @model_validator(mode="after")
    def _manual(self) -> ContactIn:
        if self.channel == ContactChannel.checkin:
            raise ValueError("年度登记会自动记为一次联系，不用手工记")
        return self


class ContactDueRow(BaseModel):
    retiree_id: int
    retiree_name: str
    unit_name: str
    care_flags: list[str]
    last_contact_at: datetime | None
    last_channel: str | None
    lost_contact: bool
    status: str
    lost_case_id: int | None = None  # the open 失联 case, when there is one


class ContactDuePage(BaseModel):
    month: str
    data: list[ContactDueRow]
    count: int
