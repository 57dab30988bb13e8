"""Claims as people read them."""

from __future__ import annotations

from sqlmodel import Session

from backend.accounts import directory
from backend.medical import rules, service
from backend.medical.models import ClaimStatus, MedicalClaim, MedicalReceipt, ReceiptStatus
from backend.medical.schemas import ClaimPublic, ReceiptPublic, StaffClaim

RECEIPT_TEXT = {
    ReceiptStatus.pending.value: "等待审核",
    ReceiptStatus.accepted.value: "审核通过",
    ReceiptStatus.rejected.value: "没有通过",
}


def _receipt(row: MedicalReceipt) -> ReceiptPublic:
    return ReceiptPublic(
        id=row.id or 0,
        amount=row.amount,
        amount_yuan=rules.yuan(row.amount),
        category=row.category,
        status=row.status,
        status_text=RECEIPT_TEXT.get(row.status, row.status),
        reason=row.reason,
    )


def _next_step(claim: MedicalClaim, items: list[MedicalReceipt]) -> str:
    if claim.status == ClaimStatus.approved.value:
        if claim.subsidy > 0 and claim.pay_on is not None:
            day = f"{claim.pay_on.month}月{claim.pay_on.day}日"
            return f"补助{rules.yuan(claim.subsidy)}元，{day}发放。"
        return "这一年没有补助。有疑问请打电话问军休所。"
    if any(r.status == ReceiptStatus.rejected.value for r in items):
        return "有票据没有通过，请看原因，重新拍一张再交。"
    if any(r.status == ReceiptStatus.pending.value for r in items):
        return "票据已交，工作人员正在审核，请耐心等待。"
    return "请把这一年的医疗费票据拍照交上来。"


def public(db: Session, claims: list[MedicalClaim]) -> list[ClaimPublic]:
    found = service.receipts_of(db, [c.id or 0 for c in claims])
    out = []
    for claim in claims:
        items = found[claim.id or 0]
        accepted = sum(r.amount for r in items if r.status == ReceiptStatus.accepted.value)
        out.append(
            ClaimPublic(
                id=claim.id or 0,
                retiree_id=claim.retiree_id,
                year=claim.year,
                status=claim.status,
                status_text="已批" if claim.status == ClaimStatus.approved.value else "审核中",
                receipts=[_receipt(r) for r in items],
                accepted_total_yuan=rules.yuan(accepted),
                subsidy=claim.subsidy,
                subsidy_yuan=rules.yuan(claim.subsidy),
                pay_on=claim.pay_on,
                next_step=_next_step(claim, items),
            )
        )
    return out


def staff(db: Session, claims: list[MedicalClaim]) -> list[StaffClaim]:
    names = directory.retiree_names(db, [c.retiree_id for c in claims])
    by_id = {c.id: c for c in claims}
    return [
        StaffClaim(
            **p.model_dump(),
            retiree_name=names.get(p.retiree_id, ""),
            unit_id=by_id[p.id].unit_id,
            created_at=by_id[p.id].created_at,
            subsidy_so_far_yuan=rules.yuan(
                rules.subsidy(
                    sum(r.amount for r in p.receipts if r.status == ReceiptStatus.accepted.value)
                )
            ),
        )
        for p in public(db, claims)
    ]
