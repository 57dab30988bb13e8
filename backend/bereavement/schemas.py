"""API shapes of the bereavement domain. The console and the staff API read the same input
models. Money comes in as 元 with at most two decimals ("12000.50") and is kept in 分."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator

from backend.core.inputs import Code, Day, Id, Line, Text


class TaskKind(StrEnum):
    condolence = "慰问吊唁"
    obituary = "讣告"
    biography = "生平"
    farewell = "告别仪式"


class BenefitKind(StrEnum):
    funeral_grant = "丧葬费"
    lump_sum = "一次性抚恤金"
    survivor_subsidy = "遗属生活补助"


class BenefitStatus(StrEnum):
    applied = "申请"
    reviewing = "审核"
    paid = "已发放"
    not_applicable = "不适用"


# The order a benefit moves in; 不适用 ends it from 申请 or 审核.
STEPS = [BenefitStatus.applied, BenefitStatus.reviewing, BenefitStatus.paid]
SETTLED = {BenefitStatus.paid.value, BenefitStatus.not_applicable.value}


class SurvivorRelation(StrEnum):
    spouse = "配偶"
    child = "子女"
    parent = "父母"
    other = "其他"


class SurvivorStatus(StrEnum):
    active = "在册"
    stopped = "停发"
    deceased = "去世"


MAX_YUAN = Decimal("10000000")
_PHONE = re.compile(r"^[0-9][0-9-]{4,19}$")


def _check_yuan(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > MAX_YUAN:
        raise ValueError("金额请填0到10000000之间的数（单位：元）")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("金额最多填到分（两位小数）")
    return value


def _check_phone(value: str) -> str:
    value = value.replace(" ", "")
    if not _PHONE.match(value):
        raise ValueError("电话号码不对，请只写数字，例如 13800138000。")
    return value


Yuan = Annotated[Decimal, AfterValidator(_check_yuan)]
Phone = Annotated[Code, AfterValidator(_check_phone)]


def to_fen(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def yuan(fen: int | None) -> str:
    """ "12000.50" for 1200050 分; "" for no amount (a form's empty box)."""
    if fen is None:
        return ""
    return f"{fen // 100}.{fen % 100:02d}"


def yuan_text(fen: int | None) -> str:
    return "未填" if fen is None else f"{yuan(fen)}元"


class _BlankIsNone(BaseModel):
    """A form's empty box is "not given", not an empty string the field would refuse."""

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()
            }
        return data


class TaskUpdate(_BlankIsNone):
    """Who does it, by which date, and whether it is done."""

    owner_staff_id: Id | None = Field(default=None, title="负责人")
    due_on: Day | None = Field(default=None, title="日期")
    done: bool = Field(default=False, title="是否办完")
    note: Line | None = Field(default=None, title="备注", max_length=200)


class TextsUpdate(BaseModel):
    obituary: Text = Field(title="讣告", min_length=1, max_length=5000)
    biography: Text = Field(title="生平", min_length=1, max_length=10000)


class BenefitUpdate(_BlankIsNone):
    """The amount (元) and the status, which only moves forward."""

    status: BenefitStatus = Field(title="办理状态")
    amount: Yuan | None = Field(default=None, title="金额")
    note: Line | None = Field(default=None, title="备注", max_length=200)


class SurvivorIn(_BlankIsNone):
    name: Line = Field(title="姓名", min_length=1, max_length=50)
    relation: SurvivorRelation = Field(title="与老同志的关系")
    phone: Phone | None = Field(default=None, title="电话")
    address: Line | None = Field(default=None, title="住址", max_length=200)
    without_income: bool = Field(default=False, title="无经济收入")
    subsidy: Yuan | None = Field(default=None, title="每月补助")
    status: SurvivorStatus = Field(default=SurvivorStatus.active, title="状态")
    note: Line | None = Field(default=None, title="备注", max_length=200)


class FamilyNoteIn(BaseModel):
    body: Text = Field(title="要告诉家属的话", min_length=1, max_length=500)


class StaffChoice(BaseModel):
    id: int
    name: str


class TaskPublic(BaseModel):
    id: int
    kind: str
    owner_staff_id: int | None
    owner_name: str | None
    due_on: date | None
    done: bool
    done_at: datetime | None
    note: str | None
    overdue: bool


class DocumentPublic(BaseModel):
    id: int
    title: str
    uploaded_at: datetime


class BenefitPublic(BaseModel):
    id: int
    kind: str
    status: str
    amount_fen: int | None
    amount_yuan: str
    amount_text: str
    note: str | None
    paid_at: datetime | None
    next_statuses: list[str]
    documents: list[DocumentPublic]


class SurvivorPublic(BaseModel):
    id: int
    name: str
    relation: str
    phone: str | None
    address: str | None
    without_income: bool
    subsidy_fen_month: int
    subsidy_yuan: str
    subsidy_text: str
    status: str
    note: str | None


class FuneralSummary(BaseModel):
    id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    died_on: date
    tasks_done: int
    tasks_total: int
    benefits_settled: int
    benefits_total: int
    next_due_on: date | None
    completed: bool


class FuneralQueue(BaseModel):
    data: list[FuneralSummary]
    count: int


class FuneralDetail(BaseModel):
    id: int
    retiree_id: int
    retiree_name: str
    gender: str
    birth_date: date
    category: str
    level: str
    unit_id: int
    unit_name: str
    died_on: date
    obituary: str
    biography: str
    texts_saved: bool
    completed_at: datetime | None
    tasks: list[TaskPublic]
    benefits: list[BenefitPublic]
    survivors: list[SurvivorPublic]
    family_receiving: int
    staff_choices: list[StaffChoice]


class FamilyItem(BaseModel):
    name: str
    status: str
    detail: str | None = None


class FamilySurvivor(BaseModel):
    name: str
    relation: str
    phone: str
    subsidy_text: str | None
    status: str


class SurvivorPage(BaseModel):
    """What the bound family of a deceased retiree sees: what the centre does, where each
    matter stands, the benefits, and who to call."""

    retiree_id: int
    retiree_name: str
    has_case: bool
    died_on: date | None
    what_we_do: list[str]
    tasks: list[FamilyItem]
    benefits: list[FamilyItem]
    survivors: list[FamilySurvivor]
    contact_name: str | None
    contact_phone: str | None
    contact_text: str
    next_step: str
