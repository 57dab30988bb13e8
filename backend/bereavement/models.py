"""Tables of the bereavement domain: one funeral checklist per deceased retiree, its four tasks,
its three benefits with their documents, and the survivors (遗属) linked to the deceased."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class FuneralCase(SQLModel, table=True):
    """The checklist opened when a retiree is marked 去世: the unit that owns it, the date of
    death, the texts of the 讣告 and the 生平 (None until staff save their own)."""

    __tablename__ = "funeral_case"

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", unique=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    died_on: date
    obituary: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    biography: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    opened_at: datetime = Field(sa_type=UTCDateTime)
    # Set when every task is done and every benefit is settled; cleared if one reopens.
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class FuneralTask(SQLModel, table=True):
    """慰问吊唁, 讣告, 生平, 告别仪式: who does it, by which date, done or not."""

    __tablename__ = "funeral_task"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_funeral_task_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="funeral_case.id", index=True)
    kind: str = Field(sa_type=String(10))  # TaskKind
    position: int
    owner_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    due_on: date | None = None
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class FuneralBenefit(SQLModel, table=True):
    """丧葬费, 一次性抚恤金, 遗属生活补助: the amount staff enter (in 分; the documents set
    none) and the status, forward only: 申请 → 审核 → 已发放 (or 不适用)."""

    __tablename__ = "funeral_benefit"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_funeral_benefit_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="funeral_case.id", index=True)
    kind: str = Field(sa_type=String(10))  # BenefitKind
    position: int
    amount_fen: int | None = None
    status: str = Field(sa_type=String(10))  # BenefitStatus
    note: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=60)  # an Actor label


class FuneralDocument(SQLModel, table=True):
    """A document attached to a benefit (a death certificate, an approval): a photo or a PDF
    under UPLOAD_DIR; the row keeps the relative path."""

    __tablename__ = "funeral_document"

    id: int | None = Field(default=None, primary_key=True)
    benefit_id: int = Field(foreign_key="funeral_benefit.id", index=True)
    title: str = Field(max_length=60)
    path: str = Field(max_length=200)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
    uploaded_by: str = Field(max_length=60)


class Survivor(SQLModel, table=True):
    """A 遗属: the spouse or a dependant of a deceased retiree, whom the centre still serves,
    with their own contact, whether they have no income, and the monthly subsidy in 分."""

    __tablename__ = "survivor"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="funeral_case.id", index=True)
    name: str = Field(max_length=50)
    relation: str = Field(sa_type=String(10))  # SurvivorRelation
    phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=200)
    without_income: bool = False
    subsidy_fen_month: int = 0
    status: str = Field(sa_type=String(10))  # SurvivorStatus
    note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


MISSING_CASE = "没有找到这份丧事清单。"
declare(FuneralCase, missing=MISSING_CASE)
declare(FuneralTask, missing="没有找到这项事情。", via=("case_id", FuneralCase))
declare(FuneralBenefit, missing="没有找到这项待遇。", via=("case_id", FuneralCase))
declare(FuneralDocument, missing="没有找到这份材料。", via=("benefit_id", FuneralBenefit))
declare(Survivor, missing="没有找到这位遗属。", via=("case_id", FuneralCase))
