"""API shapes of the people domain (the tables stay in models.py)."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator

from backend.accounts.enums import (
    CareFlag,
    Gender,
    Relation,
    RetireeCategory,
    RetireeLevel,
    RetireeStatus,
    StaffRole,
)
from backend.core.inputs import Code, Count, Day, Id, Line, Text
from backend.core.security import id_number_problem, normalise_id_number

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def check_phone(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip().replace(" ", "")
    if not PHONE_RE.match(value):
        raise ValueError("电话号码格式不对（手机11位，座机如010-12345678）")
    return value


class RetireeFields(BaseModel):
    name: Line = Field(title="姓名", min_length=1, max_length=50)
    gender: Gender = Field(title="性别")
    birth_date: Day = Field(title="出生日期")
    category: RetireeCategory = Field(title="人员类别")
    level: RetireeLevel = Field(title="职级")
    unit_id: Id = Field(title="所属单位")
    phone: Code | None = Field(title="电话", default=None, max_length=30)
    address: Line | None = Field(title="住址", default=None, max_length=200)
    care_flags: list[CareFlag] = Field(title="照顾类型", default_factory=list)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return check_phone(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("姓名不能为空")
        return value

    @field_validator("birth_date")
    @classmethod
    def _birth(cls, value: date) -> date:
        if value.year < 1900 or value > date.today():
            raise ValueError("出生日期不对")
        return value


class RetireeCreate(RetireeFields):
    id_number: Code = Field(title="身份证号")

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        problem = id_number_problem(value)
        if problem:
            raise ValueError(problem)
        return normalise_id_number(value)


class RetireeUpdate(BaseModel):
    name: Line | None = Field(title="姓名", default=None, min_length=1, max_length=50)
    gender: Gender | None = Field(default=None, title="性别")
    birth_date: Day | None = Field(default=None, title="出生日期")
    category: RetireeCategory | None = Field(default=None, title="人员类别")
    level: RetireeLevel | None = Field(default=None, title="职级")
    unit_id: Id | None = Field(default=None, title="所属单位")
    phone: Code | None = Field(title="电话", default=None, max_length=30)
    address: Line | None = Field(title="住址", default=None, max_length=200)
    care_flags: list[CareFlag] | None = Field(default=None, title="照顾类型")
    version: Count | None = Field(
        title="版本", default=None, description="Optimistic lock: the version you saw."
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return check_phone(value)


class RetireeStatusChange(BaseModel):
    status: RetireeStatus = Field(title="状态")
    note: Text | None = Field(title="说明", default=None, max_length=200)
    # Required when the status is 去世 (the service says so in Chinese); never in the future.
    died_on: date | None = Field(title="去世日期", default=None)


class DeathRevoke(BaseModel):
    """Undo a 去世 marked by mistake (admins, within 30 days)."""

    reason: Text = Field(title="原因", min_length=2, max_length=200)


class DeathRevoked(BaseModel):
    retiree_id: int
    restored: list[str]
    not_restored: list[str]


class RetireePublic(BaseModel):
    """A retiree as seen by themselves, their bound family and staff of their unit."""

    id: int
    name: str
    gender: str
    birth_date: date
    age: int
    category: str
    level: str
    unit_id: int
    unit_name: str
    phone: str | None
    address: str | None
    id_number_masked: str
    care_flags: list[str]
    status: str
    wechat_bound: bool
    version: int
    died_on: date | None = None
    # 去世 marked less than 30 days ago: an admin may still take it back
    death_revocable: bool = False


class RetireesPublic(BaseModel):
    data: list[RetireePublic]
    count: int


class FamilyBindingPublic(BaseModel):
    id: int
    retiree_id: int
    retiree_name: str
    relation: str
    display_name: str
    can_receive_notices: bool
    can_submit_checkin: bool
    can_book: bool
    can_see_health: bool
    created_at: datetime


class FamilyInviteCreate(BaseModel):
    relation: Relation = Field(title="关系")
    can_receive_notices: bool = Field(default=True, title="接收通知")
    can_submit_checkin: bool = Field(default=False, title="代办年度登记")
    can_book: bool = Field(default=False, title="代为报名、订餐、约车")
    can_see_health: bool = Field(default=False, title="看健康档案")


class FamilyRightsIn(BaseModel):
    """What a bound family member may do, as the retiree sets it on the 家人 page."""

    can_receive_notices: bool = Field(title="接收通知")
    can_submit_checkin: bool = Field(title="代办年度登记")
    can_book: bool = Field(title="代为报名、订餐、约车")
    can_see_health: bool = Field(title="看健康档案")


class FamilyInvitePublic(BaseModel):
    id: int
    code: str
    relation: str
    expires_at: datetime
    can_receive_notices: bool
    can_submit_checkin: bool
    can_book: bool
    can_see_health: bool


class BindingCodePublic(BaseModel):
    code: str
    expires_at: datetime
    retiree_id: int


class WechatLoginIn(BaseModel):
    code: Code = Field(title="登录凭证", min_length=1, max_length=128)


class SessionOut(BaseModel):
    token: str
    expires_at: datetime
    identity: MeOut


class FollowedRetiree(BaseModel):
    retiree_id: int
    name: str
    relation: str
    binding_id: int
    can_receive_notices: bool
    can_submit_checkin: bool
    can_book: bool
    can_see_health: bool
    # Set once the retiree has died: the home page then shows the 遗属 page, not bookings.
    deceased: bool = False
    died_on: date | None = None


class MeOut(BaseModel):
    wechat_user_id: int
    bound: bool
    roles: list[str]
    retiree: RetireePublic | None
    following: list[FollowedRetiree]


class BindRetireeIn(BaseModel):
    code: Code = Field(title="绑定码", pattern=r"^\d{6}$")
    id_tail: Code = Field(
        title="身份证号后4位", pattern=r"^\d{3}[\dXx]$", description="身份证号后4位"
    )


class BindFamilyIn(BaseModel):
    code: Code = Field(title="邀请码", min_length=6, max_length=12)
    display_name: Line = Field(title="您的称呼", min_length=1, max_length=50)


class StaffLoginIn(BaseModel):
    username: Line = Field(title="用户名", min_length=1, max_length=50)
    password: Line = Field(title="密码", min_length=1, max_length=200)


class StaffPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    unit_name: str
    active: bool
    is_medical: bool
    last_login_at: datetime | None


class StaffCreate(BaseModel):
    username: Line = Field(title="用户名", pattern=r"^[A-Za-z0-9_.-]{3,50}$")
    display_name: Line = Field(title="姓名", min_length=1, max_length=50)
    password: Line = Field(title="密码", min_length=8, max_length=200)
    role: StaffRole = Field(default=StaffRole.staff, title="角色")
    unit_id: Id = Field(title="所属单位")
    is_medical: bool = Field(default=False, title="医务人员（可看健康档案）")


class MedicalStaffIn(BaseModel):
    is_medical: bool = Field(title="医务人员（可看健康档案）")


class StaffLoginOut(BaseModel):
    token: str
    expires_at: datetime
    staff: StaffPublic


class UnitPublic(BaseModel):
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: str | None
    after: str | None


class AuditPage(BaseModel):
    data: list[AuditEntryPublic]
    count: int


SessionOut.model_rebuild()


class RowProblemPublic(BaseModel):
    row: int
    name: str
    reason: str


class RosterImportPublic(BaseModel):
    id: int
    status: str
    filename: str
    total_rows: int
    processed_rows: int
    valid_rows: int
    invalid_rows: int
    problems: list[RowProblemPublic]
    created_count: int
    updated_count: int
    message: str | None
