"""Tables of the 医疗费补助 domain: one claim per retiree and year, its receipts, and each unit's
setting for categories the rule does not cover by itself."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class ClaimStatus(StrEnum):
    open = "open"  # receipts are being added and checked
    approved = "approved"


class ReceiptStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class ReceiptCategory(StrEnum):
    inpatient = "住院"
    outpatient = "门诊"
    pharmacy = "药店购药"
    other = "其他"


class MedicalClaim(SQLModel, table=True):
    __tablename__ = "medical_claim"
    __table_args__ = (UniqueConstraint("retiree_id", "year", name="uq_medical_claim_year"),)

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    year: int
    status: str = Field(default=ClaimStatus.open.value, max_length=10)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=60)
    accepted_total: int = 0  # 分, accepted receipts when approved
    subsidy: int = 0  # 分, computed by rules.subsidy when approved
    pay_on: date | None = None
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


class MedicalReceipt(SQLModel, table=True):
    __tablename__ = "medical_receipt"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="medical_claim.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    photo_path: str = Field(max_length=200)
    amount: int  # 分
    category: str = Field(max_length=20)  # a ReceiptCategory value
    status: str = Field(default=ReceiptStatus.pending.value, max_length=10)
    reason: str | None = Field(default=None, max_length=200)
    added_at: datetime = Field(sa_type=UTCDateTime)
    added_by: str = Field(max_length=60)
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")


class MedicalUnitSetting(SQLModel, table=True):
    """Whether a unit also pays the subsidy to retirees outside the 退休 category."""

    __tablename__ = "medical_unit_setting"

    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    cover_other_categories: bool = False
    updated_at: datetime = Field(sa_type=UTCDateTime)


declare(MedicalClaim, missing="没有找到这份医疗费补助申请。")
declare(MedicalReceipt, missing="没有找到这张票据。")
