"""Inputs and outputs of 医疗费补助. Amounts are 分 (int) and, for people to read, 元 strings."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from backend.core.inputs import Day, Text


class ReceiptPublic(BaseModel):
    id: int
    amount: int
    amount_yuan: str
    category: str
    status: str
    status_text: str
    reason: str | None


class ClaimPublic(BaseModel):
    id: int
    retiree_id: int
    year: int
    status: str
    status_text: str
    receipts: list[ReceiptPublic]
    accepted_total_yuan: str
    subsidy: int
    subsidy_yuan: str
    pay_on: date | None
    next_step: str


class ClaimsPublic(BaseModel):
    data: list[ClaimPublic]
    count: int
    covered: bool
    categories: list[str]


class StaffClaim(ClaimPublic):
    retiree_name: str
    unit_id: int
    created_at: datetime
    # What the rule gives for the receipts accepted so far (the amount approving would fix).
    subsidy_so_far_yuan: str


class StaffClaims(BaseModel):
    data: list[StaffClaim]
    count: int


class ReceiptCheckIn(BaseModel):
    accept: bool
    reason: Text | None = Field(default=None, max_length=200)


class ApproveIn(BaseModel):
    pay_on: Day


class CoverIn(BaseModel):
    cover_other_categories: bool


class CoverPublic(BaseModel):
    unit_id: int
    cover_other_categories: bool


class UnitYearPublic(BaseModel):
    unit_id: int
    unit_name: str
    claims: int
    approved: int
    accepted_total_yuan: str
    subsidy_yuan: str


class SummaryPublic(BaseModel):
    year: int
    data: list[UnitYearPublic]
