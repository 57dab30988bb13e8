"""API shapes of 报平安. The console and the staff API read the same input models."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from backend.core.inputs import Code, Day, Id

TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
DEFAULT_DUE = "10:00"
DEFAULT_QUIET_START = "21:00"
DEFAULT_QUIET_END = "07:00"


class PauseKind(StrEnum):
    away = "外出"
    hospital = "住院"


class PlanSettings(BaseModel):
    """On or off, by when the day's 报平安 should come, and the quiet hours."""

    enabled: bool = Field(default=True, title="是否开通")
    due_time: Code = Field(default=DEFAULT_DUE, title="每天报平安的时间", pattern=TIME)
    quiet_start: Code = Field(default=DEFAULT_QUIET_START, title="免打扰开始时间", pattern=TIME)
    quiet_end: Code = Field(default=DEFAULT_QUIET_END, title="免打扰结束时间", pattern=TIME)


class PlanIn(PlanSettings):
    retiree_id: Id = Field(title="老同志")


class PauseSettings(BaseModel):
    kind: PauseKind = Field(default=PauseKind.away, title="暂停原因")
    starts_on: Day = Field(title="从哪天开始")
    ends_on: Day | None = Field(default=None, title="到哪天结束")

    @field_validator("ends_on", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """A form's empty date box: no end (a hospital stay until discharge)."""
        return None if isinstance(value, str) and not value.strip() else value


class PauseIn(PauseSettings):
    retiree_id: Id = Field(title="老同志")


class CheckInIn(BaseModel):
    retiree_id: Id = Field(title="老同志")


class PausePublic(BaseModel):
    id: int
    kind: str
    starts_on: date
    ends_on: date | None
    text: str
    current: bool


class SafecheckState(BaseModel):
    retiree_id: int
    retiree_name: str
    eligible: bool
    enabled: bool
    due_time: str
    quiet_start: str
    quiet_end: str
    today: date
    checked_in_at: datetime | None
    checked_in_by: str | None
    paused_today: bool
    pauses: list[PausePublic]
    can_check_in: bool
    can_change: bool
    next_step: str


class TodayStatus(StrEnum):
    checked_in = "已报平安"
    waiting = "还没到时间"
    missing = "还没报平安"
    reminded = "已提醒本人"
    escalated = "已通知工作人员和家人"
    paused = "暂停中"
    not_started = "明天开始"


class TodayRow(BaseModel):
    retiree_id: int
    retiree_name: str
    unit_name: str
    due_time: str
    quiet_start: str
    quiet_end: str
    status_code: str
    status: str
    checked_in_at: datetime | None
    checked_in_by: str | None
    reminded_at: datetime | None
    escalated_at: datetime | None
    pause: str | None


class EligibleRow(BaseModel):
    retiree_id: int
    retiree_name: str
    unit_name: str
    care_flags: list[str]


class TodayBoard(BaseModel):
    day: date
    counts: dict[str, int]
    data: list[TodayRow]
    not_enabled: list[EligibleRow]
