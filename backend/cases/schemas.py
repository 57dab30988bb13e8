"""API shapes of 信访 cases."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator

from backend.cases.rules import STAFF_CHANNELS, CaseKind, Channel, Rating
from backend.core.inputs import Id, Text


class CaseIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    kind: CaseKind = Field(title="哪一类")
    body: Text = Field(title="想说的话", min_length=2, max_length=2000)


class BoxIn(BaseModel):
    """意见箱: nothing that names the writer is sent or kept."""

    body: Text = Field(title="意见或建议", min_length=2, max_length=2000)


class StaffCaseIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    kind: CaseKind = Field(title="哪一类")
    channel: Channel = Field(title="怎么来的")
    body: Text = Field(title="反映的内容", min_length=2, max_length=2000)

    @field_validator("channel")
    @classmethod
    def _staff_channel(cls, value: Channel) -> Channel:
        if value not in STAFF_CHANNELS:
            raise ValueError("请选电话、来信或来访")
        return value


class RatingIn(BaseModel):
    rating: Rating = Field(title="满意吗")
    comment: Text | None = Field(default=None, title="还想说的", max_length=500)


class HandlerIn(BaseModel):
    staff_id: Id = Field(title="承办人")


class TextIn(BaseModel):
    text: Text = Field(title="内容", min_length=1, max_length=2000)


class DueSettingsIn(BaseModel):
    """Working days to a reply, per kind, for the staff member's unit and the units below it
    that have not set their own."""

    question: int = Field(title="咨询", ge=1, le=60)
    request: int = Field(title="求助", ge=1, le=60)
    complaint: int = Field(title="投诉", ge=1, le=60)
    suggestion: int = Field(title="建议", ge=1, le=60)


class DueSettingsPublic(DueSettingsIn):
    unit_id: int


class CaseMessage(BaseModel):
    at: datetime
    what: str
    by: str
    text: str | None


class CasePublic(BaseModel):
    id: int
    number: str
    kind: str
    body: str
    status: str
    status_text: str
    created_at: datetime
    due_on: date
    reply: str | None
    rating: str | None
    can_rate: bool
    next_step: str
    messages: list[CaseMessage]


class CasesPublic(BaseModel):
    data: list[CasePublic]
    count: int
    kinds: list[str]


class BoxReceipt(BaseModel):
    message: str


class StaffEvent(BaseModel):
    id: int
    at: datetime
    what: str
    by: str
    text: str | None
    public: bool
    has_attachment: bool


class StaffCase(BaseModel):
    id: int
    number: str
    retiree_id: int | None
    retiree_name: str  # 匿名 for the 意见箱
    unit_id: int
    unit_name: str
    kind: str
    channel: str
    body: str
    submitted_by: str
    created_at: datetime
    due_on: date
    late: bool
    handler_staff_id: int | None
    handler_name: str | None
    status: str
    status_text: str
    follow_ups: int
    reply: str | None
    rating: str | None
    events: list[StaffEvent] = Field(default_factory=list)


class StaffCases(BaseModel):
    data: list[StaffCase]
    count: int
