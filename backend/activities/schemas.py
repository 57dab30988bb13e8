"""API shapes for activities and bookings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from backend.accounts.enums import CareFlag, RetireeCategory
from backend.bookings.status import StatusShape
from backend.core.inputs import Code, Day, Id, Line, Moment, Text


class ActivityCategory(StrEnum):
    culture_sports = "文体活动"
    university = "老年大学"
    convalescence = "疗养"
    visit = "慰问"
    checkup = "体检"  # the yearly check-up: its results go in the health record


class Rating(StrEnum):
    good = "满意"
    fair = "一般"
    poor = "不满意"


class Eligibility(BaseModel):
    categories: list[RetireeCategory] = Field(title="人员类别", default_factory=list)
    care_flags: list[CareFlag] = Field(title="照顾类型", default_factory=list)
    min_age: int | None = Field(title="最低年龄", default=None, ge=50, le=120)


class WeeklyIn(BaseModel):
    """A weekly class: sessions on these weekdays (1 = Monday … 7 = Sunday) at the start time of
    the first one, until this date. Signing up enrols for the whole term."""

    weekdays: list[int] = Field(title="每周上课的日子", min_length=1, max_length=7)
    until: Day = Field(title="学期结束日期")

    @model_validator(mode="after")
    def _days(self) -> WeeklyIn:
        if any(not 1 <= d <= 7 for d in self.weekdays):
            raise ValueError("星期几请填1到7（1是星期一）")
        self.weekdays = sorted(set(self.weekdays))
        return self


class ActivityIn(BaseModel):
    category: ActivityCategory = Field(title="活动类别")
    title: Line = Field(title="活动名称", min_length=1, max_length=80)
    description: Text = Field(title="活动介绍", default="", max_length=3000)
    place: Line = Field(title="地点", min_length=1, max_length=100)
    starts_at: Moment = Field(title="开始时间")
    ends_at: Moment | None = Field(default=None, title="结束时间")
    capacity: int = Field(title="名额", ge=1, le=10000)
    max_quantity: int = Field(
        title="每人最多报几位", default=2, ge=1, le=5, description="每人最多报几位（本人+家属）"
    )
    opens_at: Moment | None = Field(
        title="报名开始时间", default=None, description="空：现在开始报名"
    )
    closes_at: Moment | None = Field(
        title="报名截止时间", default=None, description="空：开始前都可以报"
    )
    cancel_deadline: Moment | None = Field(
        title="取消截止时间", default=None, description="空：开始前一天"
    )
    eligibility: Eligibility = Field(title="报名条件", default_factory=Eligibility)
    accessibility: Text | None = Field(title="无障碍说明", default=None, max_length=200)
    cost: Line | None = Field(title="费用", default=None, max_length=50)
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")
    weekly: WeeklyIn | None = Field(
        title="每周上课", default=None, description="每周上课（老年大学），报名即报整个学期"
    )

    @model_validator(mode="after")
    def _times(self) -> ActivityIn:
        if self.ends_at and self.ends_at < self.starts_at:
            raise ValueError("结束时间不能早于开始时间")
        if self.closes_at and self.closes_at > self.starts_at:
            raise ValueError("报名截止时间不能晚于活动开始")
        return self


class SignupIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    quantity: int = Field(title="人数", default=1, ge=1, le=5)
    notes: Text | None = Field(title="备注", default=None, max_length=200)
    idempotency_key: Line | None = Field(
        title="提交编号", default=None, min_length=8, max_length=64
    )


class StaffSignupIn(SignupIn):
    channel: Line = Field(title="报名方式", default="电话", pattern="^(电话|窗口)$")


class CapacityIn(BaseModel):
    capacity: int = Field(title="名额", ge=1, le=10000)


class CancelIn(BaseModel):
    reason: Text = Field(title="原因", min_length=1, max_length=200)


class AttendanceIn(BaseModel):
    attended: bool = Field(title="是否到场")
    session_id: Id | None = Field(title="第几次课", default=None, description="每周课程：哪一次课")


class RatingIn(BaseModel):
    rating: Rating = Field(title="评价")
    note: Text | None = Field(title="意见", default=None, max_length=300)


class BookingPublic(StatusShape):
    """status_code / status_label: the shape every booking consumer shares. `status` is the
    label again, kept for mini-program versions still in use."""

    id: int
    bookable_id: int
    kind: str
    title: str
    starts_at: datetime
    retiree_id: int
    retiree_name: str
    quantity: int
    notes: str | None
    status: str
    waitlist_position: int | None
    booked_by: str
    can_cancel: bool
    attended: bool | None
    rating: str | None


class SessionPublic(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime


class ActivityPublic(BaseModel):
    id: int
    bookable_id: int
    category: str
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime | None
    capacity: int
    confirmed: int
    remaining: int
    waitlisted: int
    opens_at: datetime
    closes_at: datetime
    cancel_deadline: datetime
    max_quantity: int
    status: str
    accessibility: str | None
    cost: str | None
    can_sign_up: bool
    why_not: str | None
    my_booking: BookingPublic | None
    has_photo: bool = False
    schedule: str | None = Field(
        default=None, description="每周课程的安排，如“每周二、四 09:00，共12次”"
    )
    sessions: list[SessionPublic] = Field(default_factory=list)


class ActivitiesPublic(BaseModel):
    data: list[ActivityPublic]
    count: int


class RosterRow(BaseModel):
    """`status` is the label (as the console and the export show it); `status_code` the code."""

    booking_id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    phone_masked: str
    quantity: int
    notes: str | None
    status: str
    status_code: str
    waitlist_position: int | None
    booked_by: str
    attended: bool | None
    rating: str | None


class Roster(BaseModel):
    activity: ActivityPublic
    data: list[RosterRow]
    session: SessionPublic | None = None


class ScanIn(BaseModel):
    code: Code = Field(
        title="签到码",
        min_length=4,
        max_length=40,
        description="老同志出示的签到码（扫码枪或手输）",
    )
    session_id: Id | None = Field(
        title="第几次课", default=None, description="每周课程：哪一次课；空：今天这次"
    )


class ScanResult(BaseModel):
    booking_id: int
    retiree_name: str
    quantity: int
    already: bool
    message: str


class AttendanceCode(BaseModel):
    booking_id: int
    code: str
    qr_svg: str = Field(description="二维码图片（SVG 的 data URI，可直接放进 image 的 src）")
