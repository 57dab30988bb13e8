"""API shapes for activities and bookings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from backend.accounts.enums import CareFlag, RetireeCategory


class ActivityCategory(StrEnum):
    culture_sports = "文体活动"
    university = "老年大学"
    convalescence = "疗养"
    visit = "慰问"


class Rating(StrEnum):
    good = "满意"
    fair = "一般"
    poor = "不满意"


class Eligibility(BaseModel):
    categories: list[RetireeCategory] = Field(default_factory=list)
    care_flags: list[CareFlag] = Field(default_factory=list)
    min_age: int | None = Field(default=None, ge=50, le=120)


class ActivityIn(BaseModel):
    category: ActivityCategory
    title: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=3000)
    place: str = Field(min_length=1, max_length=100)
    starts_at: datetime
    ends_at: datetime | None = None
    capacity: int = Field(ge=1, le=10000)
    max_quantity: int = Field(default=2, ge=1, le=5, description="每人最多报几位（本人+家属）")
    opens_at: datetime | None = Field(default=None, description="空：现在开始报名")
    closes_at: datetime | None = Field(default=None, description="空：开始前都可以报")
    cancel_deadline: datetime | None = Field(default=None, description="空：开始前一天")
    eligibility: Eligibility = Field(default_factory=Eligibility)
    accessibility: str | None = Field(default=None, max_length=200)
    cost: str | None = Field(default=None, max_length=50)
    unit_id: int | None = Field(default=None, description="空：本单位")

    @model_validator(mode="after")
    def _times(self) -> ActivityIn:
        if self.ends_at and self.ends_at < self.starts_at:
            raise ValueError("结束时间不能早于开始时间")
        if self.closes_at and self.closes_at > self.starts_at:
            raise ValueError("报名截止时间不能晚于活动开始")
        return self


class SignupIn(BaseModel):
    retiree_id: int
    quantity: int = Field(default=1, ge=1, le=5)
    notes: str | None = Field(default=None, max_length=200)
    idempotency_key: str | None = Field(default=None, min_length=8, max_length=64)


class StaffSignupIn(SignupIn):
    channel: str = Field(default="电话", pattern="^(电话|窗口)$")


class CapacityIn(BaseModel):
    capacity: int = Field(ge=1, le=10000)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class AttendanceIn(BaseModel):
    attended: bool


class RatingIn(BaseModel):
    rating: Rating
    note: str | None = Field(default=None, max_length=300)


class BookingPublic(BaseModel):
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
    status_code: str
    waitlist_position: int | None
    booked_by: str
    can_cancel: bool
    attended: bool | None
    rating: str | None


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


class ActivitiesPublic(BaseModel):
    data: list[ActivityPublic]
    count: int


class RosterRow(BaseModel):
    booking_id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    phone_masked: str
    quantity: int
    notes: str | None
    status: str
    waitlist_position: int | None
    booked_by: str
    attended: bool | None
    rating: str | None


class Roster(BaseModel):
    activity: ActivityPublic
    data: list[RosterRow]
