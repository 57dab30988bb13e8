"""Staff API for the day itself: a session's roster, scanning sign-in codes, the photo."""

from __future__ import annotations

from fastapi import File, UploadFile
from fastapi.responses import FileResponse

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.activities import attendance, series, service, views
from backend.activities.schemas import ActivityPublic, Roster, ScanIn, ScanResult
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.openapi import IMAGE_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.uploads import PHOTO_MAX_BYTES

router = APIRouter(prefix="/api/v1/staff", tags=["工作人员：活动与预约"])


@router.get(
    "/activities/{activity_id}/sessions/{session_id}/roster",
    response_model=Roster,
    summary="每周课程：某一次课的名单和签到",
)
def session_roster(
    activity_id: Id, session_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope
) -> Roster:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    session = series.get_session(db, activity, session_id)
    return Roster(
        activity=views.to_public(db, activity, bookable, now=clock.now()),
        data=attendance.session_roster(db, bookable=bookable, session_id=session.id or 0),
        session=series.public([session])[0],
    )


@router.post(
    "/activities/{activity_id}/scan",
    response_model=ScanResult,
    summary="扫老同志出示的签到码（或手输）",
)
def scan(
    activity_id: Id,
    body: ScanIn,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> ScanResult:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    return attendance.scan(
        db,
        clock=clock,
        staff=me,
        secret_key=settings.secret_key,
        activity=activity,
        bookable=bookable,
        code=body.code,
        session_id=body.session_id,
    )


@router.post(
    "/activities/{activity_id}/photo",
    response_model=ActivityPublic,
    summary="上传活动照片（JPG/PNG，5MB以内）",
)
def upload_photo(
    activity_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
    file: UploadFile = File(...),
) -> ActivityPublic:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    attendance.set_photo(
        db,
        clock=clock,
        staff=me,
        activity=activity,
        unit_id=bookable.unit_id,
        data=file.file.read(PHOTO_MAX_BYTES + 1),
        upload_dir=settings.upload_dir,
    )
    return views.to_public(db, activity, bookable, now=clock.now())


@router.get(
    "/activities/{activity_id}/photo",
    summary="活动照片",
    responses=IMAGE_DOWNLOAD,
    response_class=FileResponse,
)
def photo(
    activity_id: Id, db: SessionDep, settings: SettingsDep, scope: StaffScope
) -> FileResponse:
    activity, _ = service.get_in_scope(db, activity_id, scope)
    path, media_type = attendance.photo_of(activity, settings.upload_dir)
    return FileResponse(path, media_type=media_type)
