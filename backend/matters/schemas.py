"""What the 事项报告 domain takes in and hands out. One input schema for every kind: each kind's
form shows its own fields, and the check below asks for exactly those."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator

from backend.core.inputs import Code, Day, Id, Line, Text
from backend.matters.models import Kind

_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def _check_passport(value: str) -> str:
    value = value.replace(" ", "").upper()
    if not _PASSPORT.match(value):
        raise ValueError("护照号码不对，请照着护照上的号码写，例如 E12345678。")
    return value


Passport = Annotated[Code, AfterValidator(_check_passport)]
Short = Annotated[Line, Field(max_length=100)]

# Per kind: the fields the form asks for, and how to ask for a missing one.
REQUIRED: dict[Kind, list[tuple[str, str]]] = {
    Kind.travel: [
        ("destination", "请写去哪个国家或地区。"),
        ("depart_on", "请写出发的日子。"),
        ("return_on", "请写回来的日子。"),
        ("purpose", "请写出去做什么，例如探亲、旅游。"),
    ],
    Kind.society: [
        ("organisation", "请写社会组织的名称。"),
        ("post", "请写担任什么职务。"),
    ],
    Kind.publication: [("title", "请写书名或讲课的题目。")],
    Kind.remarriage: [("spouse_name", "请写对方的姓名。"), ("on_date", "请写登记的日子。")],
    Kind.household: [("new_address", "请写户口迁到哪里。"), ("on_date", "请写迁移的日子。")],
    Kind.residence: [("new_address", "请写新的住址。"), ("on_date", "请写搬过去的日子。")],
    Kind.award: [("award", "请写获得了什么表彰或奖励。"), ("awarded_by", "请写颁发单位。")],
}


class MatterFields(BaseModel):
    """Every kind's fields; `kind` says which are asked for."""

    kind: Kind = Field(title="事项")
    destination: Short | None = Field(default=None, title="去哪里")
    depart_on: Day | None = Field(default=None, title="出发日期")
    return_on: Day | None = Field(default=None, title="回来日期")
    purpose: Annotated[Line, Field(max_length=200)] | None = Field(default=None, title="做什么")
    passport_no: Passport | None = Field(default=None, title="护照号码")
    organisation: Short | None = Field(default=None, title="社会组织名称")
    post: Short | None = Field(default=None, title="职务")
    title: Short | None = Field(default=None, title="书名或题目")
    venue: Short | None = Field(default=None, title="出版社或讲课地点")
    spouse_name: Annotated[Line, Field(max_length=50)] | None = Field(
        default=None, title="对方姓名"
    )
    new_address: Annotated[Line, Field(max_length=200)] | None = Field(default=None, title="新地址")
    also_residence: bool = Field(default=False, title="也搬到这个地址住")
    award: Short | None = Field(default=None, title="表彰奖励")
    awarded_by: Short | None = Field(default=None, title="颁发单位")
    on_date: Day | None = Field(default=None, title="日期")
    note: Annotated[Text, Field(max_length=500)] | None = Field(default=None, title="补充说明")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        """A form's empty boxes are "not given" (the console posts every box)."""
        if isinstance(data, dict):
            return {
                k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()
            }
        return data

    @model_validator(mode="after")
    def _asks_for_its_fields(self) -> MatterFields:
        for name, words in REQUIRED[self.kind]:
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ValueError(words)
        if self.kind == Kind.travel:
            assert self.depart_on is not None and self.return_on is not None
            if self.return_on < self.depart_on:
                raise ValueError("回来的日子不能早于出发的日子。")
        return self

    def details(self) -> dict[str, Any]:
        """The kind's answers as kept (never the passport number)."""
        names = [n for n, _ in REQUIRED[self.kind]]
        extra = {
            Kind.travel: [],
            Kind.society: [],
            Kind.publication: ["venue", "on_date"],
            Kind.remarriage: [],
            Kind.household: ["also_residence"],
            Kind.residence: [],
            Kind.award: ["on_date"],
        }[self.kind]
        out: dict[str, Any] = {}
        for name in [*names, *extra, "note"]:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else value
        return out


class MatterIn(MatterFields):
    retiree_id: Id = Field(title="老同志")


class DecisionIn(BaseModel):
    """A step's decision: agree, or not with a reason the person reads."""

    agree: bool = Field(default=True, title="意见")
    note: Annotated[Line, Field(max_length=200)] | None = Field(default=None, title="意见说明")

    @model_validator(mode="after")
    def _reason_for_no(self) -> DecisionIn:
        if not self.agree and not (self.note or "").strip():
            raise ValueError("不同意时请写明原因，老同志会看到。")
        return self


class AcknowledgeIn(BaseModel):
    to_province: bool = Field(default=False, title="重大事项，报省厅")
    note: Annotated[Line, Field(max_length=200)] | None = Field(default=None, title="备注")


class ReturnIn(BaseModel):
    returned_on: Day = Field(title="回来的日期")


class QuarterlyIn(BaseModel):
    text: Annotated[Text, Field(min_length=2, max_length=1000)] = Field(title="近况")


class RetireeRef(BaseModel):
    retiree_id: Id = Field(title="老同志")


class ReturnForIn(RetireeRef, ReturnIn):
    pass


class QuarterlyForIn(RetireeRef, QuarterlyIn):
    pass


class StepPublic(BaseModel):
    at: datetime
    what: str
    by: str
    note: str | None = None


class MatterPublic(BaseModel):
    """A matter as the retiree and family read it: plain words and the next step."""

    id: int
    retiree_id: int
    kind: str
    flow: str
    status: str
    headline: str
    next_step: str
    lines: list[tuple[str, str]]
    submitted_at: datetime
    due_at: datetime
    decided_at: datetime | None
    decision_note: str | None
    can_withdraw: bool
    can_report_return: bool
    can_report_quarter: bool
    steps: list[StepPublic]


class MattersPublic(BaseModel):
    data: list[MatterPublic]
    count: int
    kinds: list[str]


class MatterCard(BaseModel):
    """A matter as staff see it in the queue."""

    id: int
    retiree_id: int
    retiree_name: str
    retiree_level: str
    unit_name: str
    kind: str
    flow: str
    status: str
    status_label: str
    summary: str
    lines: list[tuple[str, str]]
    submitted_at: datetime
    submitted_by: str
    due_at: datetime
    due_day: date
    late: bool
    open: bool
    working_days_left: int | None
    signed_at: datetime | None
    signed_by: str | None
    sign_note: str | None
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    to_province: bool
    returned_on: date | None
    steps: list[StepPublic]


class MattersPage(BaseModel):
    data: list[MatterCard]
    count: int
    due: dict[str, int]
    late: dict[str, int]
