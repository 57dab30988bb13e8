"""API shapes of the health record."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, model_validator

from backend.core.inputs import Day, Id, Line, Text
from backend.health_record.models import EntryKind


class EntryIn(BaseModel):
    """A check-up's results, a hospital stay or a note, entered by the unit's medical staff."""

    retiree_id: Id = Field(title="老同志")
    kind: EntryKind = Field(title="类别")
    happened_on: Day = Field(title="日期")
    place: Line | None = Field(default=None, title="医院", max_length=100)
    summary: Text = Field(default="", title="结果摘要", max_length=2000)
    discharged_on: Day | None = Field(default=None, title="出院日期")
    activity_id: Id | None = Field(default=None, title="哪一次体检")

    @model_validator(mode="after")
    def _dates(self) -> EntryIn:
        if self.discharged_on is not None and self.discharged_on < self.happened_on:
            raise ValueError("出院日期不能早于住院日期")
        if self.activity_id is not None and self.kind != EntryKind.checkup:
            raise ValueError("只有体检结果可以关联体检活动")
        return self


class EntryUpdate(BaseModel):
    place: Line | None = Field(default=None, title="医院", max_length=100)
    summary: Text = Field(default="", title="结果摘要", max_length=2000)
    discharged_on: Day | None = Field(default=None, title="出院日期")


class EntryPublic(BaseModel):
    id: int
    kind: str
    happened_on: date
    place: str | None
    summary: str
    discharged_on: date | None
    in_hospital: bool  # a stay with no discharge date yet
    has_report: bool
    created_by: str
    when: str  # 「2026年5月12日」, or a stay 「5月3日住院，5月9日出院」


class ReadPublic(BaseModel):
    at: datetime
    reader: str
    what: str


class RecordPublic(BaseModel):
    retiree_id: int
    name: str
    entries: list[EntryPublic]
    reads: list[ReadPublic]  # the latest reads, newest first: who looked at this record


class CheckupPerson(BaseModel):
    retiree_id: int
    name: str
    status: str  # the booking's status word (已报名 …)
    entry_id: int | None  # the results already entered for this check-up


class CheckupRoster(BaseModel):
    activity_id: int
    title: str
    place: str
    starts_at: datetime
    people: list[CheckupPerson] = Field(default_factory=list)
