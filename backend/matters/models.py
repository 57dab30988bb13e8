"""Tables of the 事项报告 domain: one row per matter a retiree reports or applies for, and its
timeline (every step, who and when)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class Kind(StrEnum):
    travel = "出国(境)"
    society = "社会团体任职"
    publication = "出版/讲学"
    remarriage = "再婚"
    household = "户口迁移"
    residence = "居住地变更"
    award = "表彰奖励"


class Flow(StrEnum):
    approval = "审批"
    report = "报备"


class Status(StrEnum):
    submitted = "submitted"  # waiting for the unit head (审批) or for staff to acknowledge (报备)
    signed = "signed"  # the unit head signed; waiting for the higher department
    approved = "approved"
    rejected = "rejected"
    acknowledged = "acknowledged"
    withdrawn = "withdrawn"
    ended = "ended"  # ended by the person's death (nothing more is asked or reminded)


OPEN = (Status.submitted, Status.signed)
DONE_OK = (Status.approved, Status.acknowledged)


class Matter(SQLModel, table=True):
    __tablename__ = "matter"
    __table_args__ = (
        Index("ix_matter_unit_status", "unit_id", "status"),
        Index("ix_matter_abroad", "kind", "depart_on", "returned_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=20)  # a Kind value
    flow: str = Field(max_length=10)  # a Flow value
    level: str = Field(max_length=20)  # the retiree's level when it was reported (decides flow)
    status: str = Field(default=Status.submitted.value, max_length=20)
    # The kind's own answers (destination, post, new address …) as JSON; the passport number
    # never: only its last four characters are kept (passport_tail).
    details: str = Field(sa_column=Column(Text, nullable=False))
    passport_tail: str | None = Field(default=None, max_length=4)
    depart_on: date | None = None
    return_on: date | None = None
    returned_on: date | None = None
    submitted_at: datetime = Field(sa_type=UTCDateTime, index=True)
    submitted_by: str = Field(max_length=60)  # 本人 / 家属… / 工作人员…
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    sign_note: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    decided_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    decision_note: str | None = Field(default=None, max_length=200)
    to_province: bool = False  # 重大事项，报省退役军人事务厅 (第十八条)
    version: int = 1


class MatterEvent(SQLModel, table=True):
    """One step of a matter's timeline, in the words the person and staff read."""

    __tablename__ = "matter_event"

    id: int | None = Field(default=None, primary_key=True)
    matter_id: int = Field(foreign_key="matter.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    what: str = Field(max_length=20)  # submitted / signed / approved / quarterly / returned …
    by: str = Field(max_length=80)
    note: str | None = Field(default=None, sa_column=Column(Text))


declare(Matter, missing="没有找到这件事项。")
