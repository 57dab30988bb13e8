"""Mini-program side of 医疗费补助: the retiree's claims, and adding a receipt (a photo with its
amount in 分 and category). The retiree, and family with the 代办 right (can_submit_checkin),
add receipts; other bound family read."""

from __future__ import annotations

from fastapi import File, Query, UploadFile

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.core.uploads import PHOTO_MAX_BYTES
from backend.medical import service, views
from backend.medical.models import ReceiptCategory
from backend.medical.schemas import ClaimsPublic

router = APIRouter(prefix="/api/v1/medical", tags=["小程序：医疗费补助"])


@router.get("/claims", response_model=ClaimsPublic, summary="我的医疗费补助")
def list_claims(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> ClaimsPublic:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    rows = service.of_retiree(db, retiree_id)
    return ClaimsPublic(
        data=views.public(db, rows),
        count=len(rows),
        covered=service.covered(db, acting.retiree),
        categories=[c.value for c in ReceiptCategory],
    )


@router.post(
    "/receipts",
    response_model=ClaimsPublic,
    status_code=201,
    summary="交一张医疗费票据（照片 JPG/PNG，5MB以内）",
)
def add_receipt(
    retiree_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
    year: int = Query(ge=1900, le=2100),
    amount: int = Query(ge=1, le=service.AMOUNT_MAX, description="个人自付金额，单位：分"),
    category: ReceiptCategory = Query(),
    file: UploadFile = File(...),
) -> ClaimsPublic:
    acting = act_for(db, viewer, retiree_id, Permission.submit_checkin)
    service.add_receipt(
        db,
        clock=clock,
        retiree=acting.retiree,
        year=year,
        amount=amount,
        category=category,
        data=file.file.read(PHOTO_MAX_BYTES + 1),
        upload_dir=settings.upload_dir,
        by=viewer.did_it(acting),
    )
    rows = service.of_retiree(db, retiree_id)
    return ClaimsPublic(
        data=views.public(db, rows),
        count=len(rows),
        covered=True,
        categories=[c.value for c in ReceiptCategory],
    )
