"""What the contact API takes and gives. The console's forms build the same input schemas."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, Field

from backend.core.inputs import Code, Day, Id, Line

# A clock time typed as "08:30" (Shanghai wall-clock time; a shift ending at or before its start
# ends the next day: 17:30 → 08:30 is a night shift).
ShiftTime = time


class ShiftIn(BaseModel):
    """One shift on the 值班表: who, for which unit, on which day from when to when."""

    staff_id: Id = Field(title="值班人")
    day: Day = Field(title="日期")
    start: ShiftTime = Field(title="开始时间")
    end: ShiftTime = Field(title="结束时间", description="不晚于开始时间：到第二天")
    phone: Code | None = Field(
        title="值班电话", default=None, max_length=30, description="空：用值班人自己的电话"
    )
    note: Line = Field(title="备注", default="", max_length=60)
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")


class UnitPhoneIn(BaseModel):
    label: Line = Field(title="电话名称", min_length=1, max_length=20)
    phone: Code = Field(title="电话号码", min_length=5, max_length=30)


class MainPhoneIn(BaseModel):
    phone: Code = Field(title="总机电话", default="", max_length=30, description="空：不留总机")


class OnDutyPublic(BaseModel):
    """Who answers, in plain words."""

    name: str
    phone: str
    label: str


class CallPublic(BaseModel):
    """What the 「打电话给所里」 button dials: `who` says in a sentence who will answer."""

    who: str
    phone: str | None
    label: str
    unit_name: str
    on_duty: list[OnDutyPublic]


class ShiftStaff(BaseModel):
    id: int
    unit_id: int
    unit_name: str
    staff_id: int
    staff_name: str
    starts_at: str  # ISO, UTC
    ends_at: str
    day: str  # 2026-11-28 (Shanghai)
    day_label: str  # 11月28日 星期六
    start: str  # 08:00 (Shanghai), as the form takes it
    end: str
    hours: str  # "08:00–17:30" / "17:30–次日08:30"
    phone: str
    note: str


class UnitRoster(BaseModel):
    unit_id: int
    unit_name: str
    phone: str | None
    phones: list[UnitPhoneStaff]
    shifts: list[ShiftStaff]


class UnitPhoneStaff(BaseModel):
    id: int
    unit_id: int
    label: str
    phone: str


class RosterStaff(BaseModel):
    week_of: str  # the Monday
    units: list[UnitRoster]


class UnitPhonesStaff(BaseModel):
    unit_id: int
    unit_name: str
    phone: str | None
    phones: list[UnitPhoneStaff]


UnitRoster.model_rebuild()
