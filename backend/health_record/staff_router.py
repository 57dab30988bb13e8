"""Staff API of the health record: only the unit's medical staff (access.py). The same service
functions and input models as the console pages; every read and write audited there."""

from __future__ import annotations

from fastapi import File, UploadFile
from fastapi.responses import FileResponse

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.openapi import DOCUMENT_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.uploads import DOCUMENT_MAX_BYTES
from backend.health_record import service, views
from backend.health_record.schemas import (
    CheckupPerson,
    CheckupRoster,
    EntryIn,
    EntryPublic,
    EntryUpdate,
    RecordPublic,
)

router = APIRouter(prefix="/api/v1/staff/health-record", tags=["工作人员：健康档案"])


@router.get("/retirees/{retiree_id}", response_model=RecordPublic, summary="一位老同志的健康档案")
def get_record(
    retiree_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> RecordPublic:
    record = service.record_for_staff(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id)
    return views.record_public(record)


@router.post(
    "/entries", response_model=EntryPublic, status_code=201, summary="记一条体检结果或住院"
)
def add_entry(
    body: EntryIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> EntryPublic:
    return views.entry_public(service.add_entry(db, clock=clock, staff=me, scope=scope, data=body))


@router.put(
    "/entries/{entry_id}", response_model=EntryPublic, summary="改一条记录（医院、出院日期、摘要）"
)
def update_entry(
    entry_id: Id,
    body: EntryUpdate,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> EntryPublic:
    entry = service.update_entry(
        db, clock=clock, staff=me, scope=scope, entry_id=entry_id, data=body
    )
    return views.entry_public(entry)


@router.post(
    "/entries/{entry_id}/report",
    response_model=EntryPublic,
    summary="上传体检报告（PDF 或照片，10MB以内）",
)
def upload_report(
    entry_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
    file: UploadFile = File(...),
) -> EntryPublic:
    entry = service.attach_report(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        entry_id=entry_id,
        data=file.file.read(DOCUMENT_MAX_BYTES + 1),
        upload_dir=settings.upload_dir,
    )
    return views.entry_public(entry)


@router.get(
    "/entries/{entry_id}/report",
    summary="看体检报告",
    responses=DOCUMENT_DOWNLOAD,
    response_class=FileResponse,
)
def get_report(
    entry_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FileResponse:
    path, media_type = service.report_for_staff(
        db, clock=clock, staff=me, scope=scope, entry_id=entry_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.get("/checkups", response_model=list[CheckupRoster], summary="体检活动")
def list_checkups(
    db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> list[CheckupRoster]:
    return [
        CheckupRoster(activity_id=a.id, title=a.title, place=a.place, starts_at=a.starts_at)
        for a in service.checkups(db, clock=clock, staff=me, scope=scope)
    ]


@router.get(
    "/checkups/{activity_id}",
    response_model=CheckupRoster,
    summary="一次体检：谁报了名，谁的结果已录",
)
def checkup_roster(
    activity_id: Id, db: SessionDep, me: CurrentStaff, scope: StaffScope
) -> CheckupRoster:
    found = service.checkup_roster(db, staff=me, scope=scope, activity_id=activity_id)
    return CheckupRoster(
        activity_id=found.activity_id,
        title=found.title,
        place=found.place,
        starts_at=found.starts_at,
        people=[CheckupPerson(**vars(r)) for r in found.people],
    )
