"""Shapes of the 失联 case (Jilin 第十五条): what staff send (the console's forms and the JSON
API use the same models) and what both doors show."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from backend.core.inputs import Day, Id, Text


class RestoredHow(StrEnum):
    came_in = "本人来所"
    phoned = "电话联系上"
    family = "家属告知"
    deceased = "确认去世"
    other = "其他"


class PauseChoice(StrEnum):
    pause = "暂停发放"
    keep = "不暂停"


class InvestigationIn(BaseModel):
    investigator_staff_id: Id = Field(title="调查人")
    due_on: Day = Field(title="查清期限")


class NoteIn(BaseModel):
    text: Text = Field(title="调查情况", min_length=1, max_length=300)


class PauseDecisionIn(BaseModel):
    decision: PauseChoice = Field(title="是否暂停发放")
    reason: Text = Field(title="理由", min_length=1, max_length=300)


class CloseIn(BaseModel):
    how: RestoredHow = Field(title="怎么联系上的")
    restored_on: Day = Field(title="联系上的日期")
    note: Text | None = Field(title="说明", default=None, max_length=300)
    resume_payments: bool = Field(title="恢复发放", default=False)

    @model_validator(mode="after")
    def _said(self) -> CloseIn:
        if self.how == RestoredHow.other and not (self.note or "").strip():
            raise ValueError("选了“其他”，请在说明里写清楚是怎么联系上的")
        if self.how == RestoredHow.deceased and self.resume_payments:
            raise ValueError("确认去世的，不能恢复发放")
        return self


class LostCaseRow(BaseModel):
    id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    status: str  # 处理中 / 已结案
    last_contact_at: datetime
    days_since_contact: int
    lost_on: date
    investigator: str | None
    investigation_due: date
    investigation_overdue: bool
    pause_decision: str  # 待决定 / 已暂停发放 / 不暂停
    restored_how: str | None
    restored_on: date | None
    report_unit_name: str


class LostCasesPage(BaseModel):
    data: list[LostCaseRow]
    count: int


class TimelineEntry(BaseModel):
    at: datetime
    what: str
    who: str | None


class StaffChoice(BaseModel):
    id: int
    name: str


class LostCaseDetail(LostCaseRow):
    retiree_status: str
    pause_reason: str | None
    close_note: str | None
    contacts_since_opened: int
    can_resume_payments: bool
    timeline: list[TimelineEntry]
    investigators: list[StaffChoice]
