"""API shapes for visits. The console posts the same input models as forms."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from backend.core.inputs import Day, Id, Line, Moment, Text


class VisitKind(StrEnum):
    home = "上门"
    phone = "电话"
    video = "视频"


class EventKind(StrEnum):
    hospital = "住院"
    family = "家庭变故"


class Festival(StrEnum):
    spring = "春节"
    army_day = "八一"
    double_ninth = "重阳"
    other = "其他"


OTHER_FLAG = "其他"


class AssignIn(BaseModel):
    retiree_ids: list[Id] = Field(title="老同志", min_length=1, max_length=500)
    staff_id: Id = Field(title="包户工作人员")


class FrequencyIn(BaseModel):
    flag: Line = Field(title="情况", max_length=10)
    every_months: int = Field(title="几个月走访一次", ge=1, le=12)
    at_home: bool = Field(default=False, title="要上门")


class FollowUpIn(BaseModel):
    text: Line = Field(title="要办的事", min_length=1, max_length=200)
    owner_staff_id: Id = Field(title="谁来办")
    due_on: Day = Field(title="办结日期")


class VisitIn(BaseModel):
    """One visit. One follow-up may come with it; more are added to the visit afterwards."""

    retiree_id: Id = Field(title="老同志")
    kind: VisitKind = Field(title="走访方式")
    visited_at: Moment | None = Field(default=None, title="走访时间", description="空：现在")
    visitors: Line = Field(title="走访人", min_length=1, max_length=100)
    met: Line = Field(title="见到的人", min_length=1, max_length=100)
    health: Text | None = Field(default=None, title="身体状况", max_length=300)
    mood: Text | None = Field(default=None, title="思想状态", max_length=300)
    family: Text | None = Field(default=None, title="家庭状况", max_length=300)
    activities: Text | None = Field(default=None, title="参加活动情况", max_length=300)
    needs: Text | None = Field(default=None, title="提出的需求", max_length=500)
    task_id: Id | None = Field(default=None, title="走访任务")
    campaign_id: Id | None = Field(default=None, title="走访活动")
    follow_up: Line | None = Field(default=None, title="要办的事", max_length=200)
    follow_up_owner_id: Id | None = Field(default=None, title="谁来办")
    follow_up_due: Day | None = Field(default=None, title="办结日期")

    @model_validator(mode="after")
    def _follow_up(self) -> VisitIn:
        if (self.follow_up or "").strip() and (
            self.follow_up_owner_id is None or self.follow_up_due is None
        ):
            raise ValueError("要办的事请写上谁来办、哪天前办好")
        return self


class CloseIn(BaseModel):
    note: Line | None = Field(default=None, title="办理结果", max_length=200)


class EventIn(BaseModel):
    """A hospital stay or a family event (家庭变故), reported by family, the retiree or staff."""

    retiree_id: Id = Field(title="老同志")
    kind: EventKind = Field(title="什么事")
    detail: Text | None = Field(default=None, title="情况说明", max_length=300)


class CallbackIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    note: Line | None = Field(default=None, title="想说的事", max_length=200)


class CampaignIn(BaseModel):
    festival: Festival = Field(title="节日")
    title: Line | None = Field(default=None, title="名称", max_length=60)
    unit_id: Id = Field(title="单位")
    starts_on: Day = Field(title="开始日期")
    ends_on: Day = Field(title="结束日期")

    @model_validator(mode="after")
    def _range(self) -> CampaignIn:
        if self.ends_on < self.starts_on:
            raise ValueError("结束日期不能早于开始日期")
        if (self.ends_on - self.starts_on).days > 92:
            raise ValueError("一次走访活动最长三个月")
        return self


# ---- replies ----------------------------------------------------------------------------------


class AssignedOut(BaseModel):
    assigned: int


class FrequencyRow(BaseModel):
    flag: str
    every_months: int
    at_home: bool
    own: bool  # set at this unit (else inherited or the default)


class FrequenciesOut(BaseModel):
    unit_id: int
    data: list[FrequencyRow]


class DueRow(BaseModel):
    retiree_id: int
    retiree_name: str
    unit_name: str
    care_flags: list[str]
    staff_name: str | None
    reason: str  # 例行走访 / 住院 / 家庭变故 / 回电话
    at_home: bool
    due_on: date
    overdue: bool
    last_visit_on: date | None
    last_visit_kind: str | None
    task_id: int | None


class DuePage(BaseModel):
    week: str
    week_starts_on: date
    week_ends_on: date
    data: list[DueRow]
    count: int


class FollowUpOut(BaseModel):
    id: int
    visit_id: int
    retiree_id: int
    retiree_name: str
    text: str
    owner_staff_id: int
    owner_name: str
    due_on: date
    overdue: bool
    status: str
    close_note: str | None


class FollowUpsOut(BaseModel):
    data: list[FollowUpOut]
    count: int


class VisitOut(BaseModel):
    id: int
    retiree_id: int
    retiree_name: str
    kind: str
    visited_at: datetime
    visitors: str
    met: str
    health: str | None
    mood: str | None
    family: str | None
    activities: str | None
    needs: str | None
    campaign_id: int | None
    follow_ups: list[FollowUpOut]


class VisitsOut(BaseModel):
    data: list[VisitOut]
    count: int


class TaskOut(BaseModel):
    id: int
    retiree_id: int
    reason: str
    detail: str | None
    due_on: date
    staff_name: str | None
    reported_by: str
    status: str


class CampaignOut(BaseModel):
    id: int
    festival: str
    title: str
    unit_id: int
    unit_name: str
    starts_on: date
    ends_on: date
    total: int
    visited: int


class CampaignsOut(BaseModel):
    data: list[CampaignOut]
    count: int


class CoveragePerson(BaseModel):
    retiree_id: int
    retiree_name: str
    visited_on: date | None
    kind: str | None


class CoverageUnit(BaseModel):
    unit_id: int
    unit_name: str
    total: int
    visited: int
    people: list[CoveragePerson]


class CoverageOut(BaseModel):
    campaign: CampaignOut
    units: list[CoverageUnit]


class CareFollowUp(BaseModel):
    text: str
    due_on: date
    owner_name: str


class CareOut(BaseModel):
    """What family at a distance (and the retiree) see: care happening."""

    retiree_id: int
    retiree_name: str
    staff_name: str | None
    last_contact_on: date | None
    last_contact_kind: str | None
    last_visit_on: date | None
    last_visit_kind: str | None
    follow_ups: list[CareFollowUp]
    callback_pending: bool
    message: str


class CallbackOut(BaseModel):
    task_id: int
    message: str
