"""Mini-program side of the annual check-in: status, draft, submit, photo."""

from __future__ import annotations

from fastapi import File, UploadFile
from fastapi.responses import FileResponse

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.checkin import campaigns, records, submissions
from backend.checkin.schemas import CheckinState, DraftIn, SubmitIn
from backend.core.actors import persisted_id
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotFound
from backend.core.inputs import Id
from backend.core.openapi import IMAGE_DOWNLOAD
from backend.core.routing import APIRouter

router = APIRouter(prefix="/api/v1/checkin", tags=["小程序：年度登记"])


@router.get("", response_model=CheckinState, summary="年度登记：现在的状态和下一步")
def get_state(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> CheckinState:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    return submissions.state(db, clock=clock, retiree=acting.retiree)


@router.put("/draft", response_model=CheckinState, summary="保存草稿（填一项存一项）")
def save_draft(
    body: DraftIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> CheckinState:
    acting = act_for(db, viewer, body.retiree_id, Permission.submit_checkin)
    submissions.save_draft(db, clock=clock, acting=acting, answers=body.answers)
    return submissions.state(db, clock=clock, retiree=acting.retiree)


@router.post("/submit", response_model=CheckinState, summary="提交（重复提交只算一次）")
def submit(body: SubmitIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> CheckinState:
    acting = act_for(db, viewer, body.retiree_id, Permission.submit_checkin)
    submissions.submit(
        db,
        clock=clock,
        acting=acting,
        answers=body.answers,
        declaration=body.declaration,
        request_id=body.request_id,
    )
    return submissions.state(db, clock=clock, retiree=acting.retiree)


@router.post("/photo", response_model=CheckinState, summary="上传照片（JPG/PNG，5MB以内）")
def upload_photo(
    retiree_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    viewer: CurrentViewer,
    file: UploadFile = File(...),
) -> CheckinState:
    acting = act_for(db, viewer, retiree_id, Permission.submit_checkin)
    data = file.file.read(submissions.PHOTO_MAX_BYTES + 1)
    submissions.save_photo(
        db, clock=clock, acting=acting, data=data, upload_dir=settings.upload_dir
    )
    return submissions.state(db, clock=clock, retiree=acting.retiree)


@router.get(
    "/photo", summary="看看上传的照片", responses=IMAGE_DOWNLOAD, response_class=FileResponse
)
def get_photo(
    retiree_id: Id, db: SessionDep, clock: ClockDep, settings: SettingsDep, viewer: CurrentViewer
) -> FileResponse:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    campaign = campaigns.for_retiree(db, acting.retiree, local_today(clock))
    row = records.find(db, persisted_id(campaign), retiree_id) if campaign else None
    found = submissions.photo_file(row, settings.upload_dir)
    if found is None:
        raise NotFound("还没有上传照片。")
    return FileResponse(found[0], media_type=found[1])
