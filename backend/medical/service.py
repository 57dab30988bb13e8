"""医疗费补助 (第二十条): the retiree, or family with the 代办 right, adds the year's receipts
(a photo, an amount in 分, a category); staff accept or reject each one with a reason; when no
receipt is waiting, staff approve the claim: the subsidy is rules.subsidy of the accepted total,
and the retiree is told the amount and the pay date. Staff writes are audited; services never
commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from backend.accounts import audit, directory
from backend.accounts.enums import RetireeCategory
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, get_scoped
from backend.core import uploads
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.medical import rules
from backend.medical.models import (
    ClaimStatus,
    MedicalClaim,
    MedicalReceipt,
    MedicalUnitSetting,
    ReceiptCategory,
    ReceiptStatus,
)
from backend.notices import service as notices_service

MISSING = "没有找到这份医疗费补助申请。"
RECEIPT_MISSING = "没有找到这张票据。"
PAGE: str | None = None  # the mini-program page pages/claims is not written yet
AMOUNT_MAX = 100_000_000  # 100万元 on one receipt: anything above is a typing mistake


# -- who the rule covers ----------------------------------------------------------------------


def unit_covers_others(db: Session, unit_id: int) -> bool:
    """The nearest setting on the unit's line (the unit itself first) decides."""
    unit = directory.unit(db, unit_id)
    if unit is None:
        return False
    line = list(reversed(ancestor_ids(unit)))  # the unit itself first
    rows = {
        s.unit_id: s
        for s in db.exec(
            select(MedicalUnitSetting).where(col(MedicalUnitSetting.unit_id).in_(line))
        ).all()
    }
    for uid in line:
        if uid in rows:
            return rows[uid].cover_other_categories
    return False


def covered(db: Session, retiree: Retiree) -> bool:
    """退休 retirees always (第二十条 军队退休干部); other categories where their unit says so."""
    if retiree.category == RetireeCategory.tuixiu:
        return True
    return unit_covers_others(db, retiree.unit_id)


def set_cover(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, cover: bool
) -> MedicalUnitSetting:
    unit_id = scope.id or 0
    row = db.get(MedicalUnitSetting, unit_id)
    before = None if row is None else {"cover_other_categories": row.cover_other_categories}
    if row is None:
        row = MedicalUnitSetting(unit_id=unit_id, updated_at=clock.now())
    row.cover_other_categories = cover
    row.updated_at = clock.now()
    db.add(row)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="medical.setting",
        entity="medical_unit_setting",
        entity_id=unit_id,
        unit_id=unit_id,
        before=before,
        after={"cover_other_categories": cover},
    )
    db.flush()
    return row


# -- the retiree's side -----------------------------------------------------------------------


def of_retiree(db: Session, retiree_id: int) -> list[MedicalClaim]:
    return list(
        db.exec(
            select(MedicalClaim)
            .where(MedicalClaim.retiree_id == retiree_id)
            .order_by(col(MedicalClaim.year).desc(), col(MedicalClaim.id))
        ).all()
    )


def receipts_of(db: Session, claim_ids: list[int]) -> dict[int, list[MedicalReceipt]]:
    found: dict[int, list[MedicalReceipt]] = {cid: [] for cid in claim_ids}
    if not claim_ids:
        return found
    rows = db.exec(
        select(MedicalReceipt)
        .where(col(MedicalReceipt.claim_id).in_(claim_ids))
        .order_by(col(MedicalReceipt.id))
    ).all()
    for row in rows:
        found[row.claim_id].append(row)
    return found


def _claim_for_year(
    db: Session, *, clock: Clock, retiree: Retiree, year: int, by: str
) -> MedicalClaim:
    claim = db.exec(
        select(MedicalClaim).where(MedicalClaim.retiree_id == retiree.id, MedicalClaim.year == year)
    ).first()
    if claim is None:
        claim = MedicalClaim(
            retiree_id=retiree.id or 0,
            unit_id=retiree.unit_id,
            year=year,
            created_at=clock.now(),
            created_by=by[:60],
        )
        db.add(claim)
        db.flush()
    return claim


def check_year(clock: Clock, year: int) -> int:
    this_year = local_today(clock).year
    if year not in (this_year, this_year - 1):
        raise BadRequest(f"只能报今年或去年的医疗费。请选{this_year - 1}年或{this_year}年。")
    return year


def add_receipt(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    year: int,
    amount: int,
    category: ReceiptCategory,
    data: bytes,
    upload_dir: Path,
    by: str,
) -> MedicalClaim:
    if not covered(db, retiree):
        raise BadRequest("这项补助只给退休军休干部。有疑问请打电话问军休所。")
    check_year(clock, year)
    if amount < 1 or amount > AMOUNT_MAX:
        raise BadRequest("金额不对。请按票据上个人自付的金额填写。")
    claim = _claim_for_year(db, clock=clock, retiree=retiree, year=year, by=by)
    if claim.status != ClaimStatus.open.value:
        raise Conflict("这一年的补助已经批了，不能再加票据。有疑问请打电话问军休所。")
    path = uploads.store_photo(upload_dir, "medical", data)
    db.add(
        MedicalReceipt(
            claim_id=claim.id or 0,
            unit_id=claim.unit_id,
            photo_path=path,
            amount=amount,
            category=category.value,
            added_at=clock.now(),
            added_by=by[:60],
        )
    )
    db.flush()
    return claim


# -- staff --------------------------------------------------------------------------------------


def claims_under(db: Session, unit_ids: list[int], year: int | None = None) -> list[MedicalClaim]:
    query = select(MedicalClaim).where(col(MedicalClaim.unit_id).in_(unit_ids))
    if year is not None:
        query = query.where(MedicalClaim.year == year)
    return list(db.exec(query.order_by(col(MedicalClaim.year).desc(), col(MedicalClaim.id))).all())


def claim_in_scope(db: Session, scope: Unit, claim_id: int) -> MedicalClaim:
    return get_scoped(db, MedicalClaim, claim_id, scope)


def check_receipt(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    receipt_id: int,
    accept: bool,
    reason: str | None,
) -> MedicalReceipt:
    receipt = get_scoped(db, MedicalReceipt, receipt_id, scope)
    claim = db.get(MedicalClaim, receipt.claim_id)
    if claim is None or claim.status != ClaimStatus.open.value:
        raise Conflict("这一年的补助已经批了，票据不能再改。")
    clean = (reason or "").strip()
    if not accept and not clean:
        raise BadRequest("退回票据要写上原因，老同志才知道怎么补。")
    before = {"status": receipt.status, "reason": receipt.reason}
    receipt.status = (ReceiptStatus.accepted if accept else ReceiptStatus.rejected).value
    receipt.reason = None if accept else clean[:200]
    receipt.checked_at = clock.now()
    receipt.checked_by_staff_id = staff.id
    db.add(receipt)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="medical.receipt",
        entity="medical_receipt",
        entity_id=receipt.id,
        unit_id=receipt.unit_id,
        before=before,
        after={"status": receipt.status, "reason": receipt.reason},
    )
    if not accept:
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=claim.retiree_id,
            title="有一张医疗费票据没有通过",
            body=f"原因：{receipt.reason}。请重新拍一张清楚的票据，在“医疗费补助”里再交。",
            dedupe_key=f"medical:receipt:{receipt.id}:rejected",
            link_page=PAGE,
        )
    db.flush()
    return receipt


def approve(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    claim_id: int,
    pay_on: date,
) -> MedicalClaim:
    claim = claim_in_scope(db, scope, claim_id)
    items = receipts_of(db, [claim_id])[claim_id]
    if not items:
        raise BadRequest("这份申请还没有票据，不能批。")
    if any(r.status == ReceiptStatus.pending.value for r in items):
        raise Conflict("还有票据没有审核。请先把每张票据审核完。")
    if pay_on < local_today(clock):
        raise BadRequest("发放日期不能早于今天。")
    total = sum(r.amount for r in items if r.status == ReceiptStatus.accepted.value)
    amount = rules.subsidy(total)
    moved = db.execute(
        update(MedicalClaim)
        .where(col(MedicalClaim.id) == claim_id, col(MedicalClaim.status) == ClaimStatus.open.value)
        .values(
            status=ClaimStatus.approved.value,
            accepted_total=total,
            subsidy=amount,
            pay_on=pay_on,
            approved_at=clock.now(),
            approved_by_staff_id=staff.id,
        )
    )
    if getattr(moved, "rowcount", 0) != 1:
        raise Conflict("这份申请已经批过了。")
    db.refresh(claim)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="medical.approve",
        entity="medical_claim",
        entity_id=claim_id,
        unit_id=claim.unit_id,
        before={"status": ClaimStatus.open.value},
        after={"status": claim.status, "accepted_total": total, "subsidy": amount},
    )
    if amount > 0:
        body = (
            f"{claim.year}年的医疗费补助批下来了：{rules.yuan(amount)}元，"
            f"{pay_on.month}月{pay_on.day}日发放。"
        )
    else:
        body = (
            f"{claim.year}年个人自付医疗费{rules.yuan(total)}元，没有超过5万元，"
            "这一年没有补助。有疑问请打电话问军休所。"
        )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=claim.retiree_id,
        title="医疗费补助结果",
        body=body,
        dedupe_key=f"medical:claim:{claim_id}:approved",
        link_page=PAGE,
    )
    return claim


def receipt_photo(
    db: Session, *, scope: Unit, receipt_id: int, upload_dir: Path
) -> tuple[Path, str]:
    receipt = get_scoped(db, MedicalReceipt, receipt_id, scope)
    found = uploads.photo_file(upload_dir, receipt.photo_path)
    if found is None:
        raise NotFound(RECEIPT_MISSING)
    return found


@dataclass(frozen=True)
class UnitYear:
    unit_id: int
    unit_name: str
    claims: int
    approved: int
    accepted_total: int
    subsidy: int


def summary(db: Session, unit_ids: list[int], year: int) -> list[UnitYear]:
    rows = db.execute(
        sa_select(
            col(MedicalClaim.unit_id),
            func.count(),
            func.sum(case((col(MedicalClaim.status) == ClaimStatus.approved.value, 1), else_=0)),
            func.sum(col(MedicalClaim.accepted_total)),
            func.sum(col(MedicalClaim.subsidy)),
        )
        .where(col(MedicalClaim.unit_id).in_(unit_ids), col(MedicalClaim.year) == year)
        .group_by(col(MedicalClaim.unit_id))
        .order_by(col(MedicalClaim.unit_id))
    ).all()
    names = directory.unit_names(db, [r[0] for r in rows])
    return [
        UnitYear(
            unit_id=uid,
            unit_name=names.get(uid, ""),
            claims=int(count),
            approved=int(approved or 0),
            accepted_total=int(total or 0),
            subsidy=int(paid or 0),
        )
        for uid, count, approved, total, paid in rows
    ]


def summary_xlsx(db: Session, unit_ids: list[int], year: int) -> bytes:
    from backend.core.xlsx import Book

    book = Book(f"{year}年医疗费补助")
    sheet = book.first
    head = sheet.append(["单位", "申请人数", "已批", "审核通过的个人自付（元）", "补助（元）"])
    sheet.bold(head)
    for row in summary(db, unit_ids, year):
        sheet.append(
            [
                row.unit_name,
                row.claims,
                row.approved,
                rules.yuan(row.accepted_total),
                rules.yuan(row.subsidy),
            ]
        )
    return book.to_bytes()
