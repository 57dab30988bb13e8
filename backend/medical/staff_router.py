"""Staff API of 医疗费补助: the same service functions and input models as the console pages."""

from __future__ import annotations

from fastapi.responses import FileResponse, Response

from backend.accounts import units
from backend.accounts.deps import CurrentStaff, StaffScope
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.openapi import IMAGE_DOWNLOAD, PDF_DOWNLOAD, XLSX_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.medical import certificate, service, views
from backend.medical.schemas import (
    ApproveIn,
    CoverIn,
    CoverPublic,
    ReceiptCheckIn,
    StaffClaim,
    StaffClaims,
    SummaryPublic,
    UnitYearPublic,
)

router = APIRouter(prefix="/api/v1/staff/medical", tags=["工作人员：医疗费补助"])


def _year(clock: ClockDep, year: int | None) -> int:
    return year if year is not None else local_today(clock).year


@router.get("/claims", response_model=StaffClaims, summary="医疗费补助申请")
def list_claims(db: SessionDep, scope: StaffScope, year: Id | None = None) -> StaffClaims:
    rows = service.claims_under(db, units.subtree_ids(db, scope), year)
    return StaffClaims(data=views.staff(db, rows), count=len(rows))


@router.get("/claims/{claim_id}", response_model=StaffClaim, summary="一份申请")
def get_claim(claim_id: Id, db: SessionDep, scope: StaffScope) -> StaffClaim:
    return views.staff(db, [service.claim_in_scope(db, scope, claim_id)])[0]


@router.post("/receipts/{receipt_id}/check", response_model=StaffClaim, summary="审核一张票据")
def check_receipt(
    receipt_id: Id,
    body: ReceiptCheckIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffClaim:
    receipt = service.check_receipt(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        receipt_id=receipt_id,
        accept=body.accept,
        reason=body.reason,
    )
    return views.staff(db, [service.claim_in_scope(db, scope, receipt.claim_id)])[0]


@router.get(
    "/receipts/{receipt_id}/photo",
    summary="看票据照片",
    responses=IMAGE_DOWNLOAD,
    response_class=FileResponse,
)
def receipt_photo(
    receipt_id: Id, db: SessionDep, settings: SettingsDep, scope: StaffScope
) -> FileResponse:
    path, media_type = service.receipt_photo(
        db, scope=scope, receipt_id=receipt_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.post("/claims/{claim_id}/approve", response_model=StaffClaim, summary="批准并定发放日期")
def approve(
    claim_id: Id,
    body: ApproveIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffClaim:
    claim = service.approve(
        db, clock=clock, staff=me, scope=scope, claim_id=claim_id, pay_on=body.pay_on
    )
    return views.staff(db, [claim])[0]


@router.put("/setting", response_model=CoverPublic, summary="本单位是否给其他类别的老同志补助")
def set_cover(
    body: CoverIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> CoverPublic:
    row = service.set_cover(
        db, clock=clock, staff=me, scope=scope, cover=body.cover_other_categories
    )
    return CoverPublic(unit_id=row.unit_id, cover_other_categories=row.cover_other_categories)


@router.get("/summary", response_model=SummaryPublic, summary="年度汇总（按单位）")
def summary(
    db: SessionDep, clock: ClockDep, scope: StaffScope, year: Id | None = None
) -> SummaryPublic:
    y = _year(clock, year)
    rows = service.summary(db, units.subtree_ids(db, scope), y)
    return SummaryPublic(
        year=y,
        data=[
            UnitYearPublic(
                unit_id=r.unit_id,
                unit_name=r.unit_name,
                claims=r.claims,
                approved=r.approved,
                accepted_total_yuan=service.rules.yuan(r.accepted_total),
                subsidy_yuan=service.rules.yuan(r.subsidy),
            )
            for r in rows
        ],
    )


@router.get(
    "/summary.xlsx",
    summary="年度汇总（Excel）",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def summary_xlsx(
    db: SessionDep, clock: ClockDep, scope: StaffScope, year: Id | None = None
) -> Response:
    y = _year(clock, year)
    data = service.summary_xlsx(db, units.subtree_ids(db, scope), y)
    return xlsx_response(data, f"medical-{y}.xlsx")


@router.get(
    "/retirees/{retiree_id}/rescue.pdf",
    summary="先救治后补手续证明（第二十三条）",
    responses=PDF_DOWNLOAD,
    response_class=Response,
)
def rescue_pdf(
    retiree_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> Response:
    data = certificate.rescue_pdf(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id)
    return pdf_response(data, "先救治后补手续证明.pdf")
