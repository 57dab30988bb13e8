"""Mini-program side of the health record: the retiree, and family with the 看健康档案 right,
read the record and the check-up reports. Every read is logged and listed on the page."""

from __future__ import annotations

from fastapi.responses import FileResponse

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.openapi import DOCUMENT_DOWNLOAD
from backend.core.routing import APIRouter
from backend.health_record import service, views
from backend.health_record.schemas import RecordPublic

router = APIRouter(prefix="/api/v1/health-record", tags=["小程序：健康档案"])


@router.get("", response_model=RecordPublic, summary="健康档案（体检结果、住院）")
def get_record(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> RecordPublic:
    acting = act_for(db, viewer, retiree_id, Permission.see_health)
    record = service.record_for(db, clock=clock, acting=acting, reader=viewer.did_it(acting))
    return views.record_public(record)


@router.get(
    "/entries/{entry_id}/report",
    summary="看体检报告（PDF 或照片）",
    responses=DOCUMENT_DOWNLOAD,
    response_class=FileResponse,
)
def get_report(
    entry_id: Id,
    retiree_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
) -> FileResponse:
    acting = act_for(db, viewer, retiree_id, Permission.see_health)
    path, media_type = service.report_for(
        db,
        clock=clock,
        acting=acting,
        reader=viewer.did_it(acting),
        entry_id=entry_id,
        upload_dir=settings.upload_dir,
    )
    return FileResponse(path, media_type=media_type)
