"""Staff API of bereavement: the same service functions and input models as the console pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, UploadFile
from fastapi.responses import FileResponse, Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.bereavement import checklist, service, survivors
from backend.bereavement.schemas import (
    BenefitUpdate,
    FamilyNoteIn,
    FuneralDetail,
    FuneralQueue,
    SurvivorIn,
    TaskKind,
    TaskUpdate,
    TextsUpdate,
)
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id
from backend.core.openapi import PDF_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.uploads import DOCUMENT_MAX_BYTES

router = APIRouter(prefix="/api/v1/staff/bereavement", tags=["工作人员：丧事与遗属"])

DOCUMENT_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "材料（JPG、PNG 或 PDF）",
        "content": {
            t: {"schema": {"type": "string", "format": "binary"}}
            for t in ("image/jpeg", "image/png", "application/pdf")
        },
    }
}


@router.get("/funerals", response_model=FuneralQueue, summary="丧事清单：还没办完的在前")
def funerals(db: SessionDep, scope: StaffScope) -> FuneralQueue:
    return service.queue(db, scope=scope)


@router.get("/funerals/{funeral_id}", response_model=FuneralDetail, summary="一位去世老同志的清单")
def funeral(funeral_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> FuneralDetail:
    return service.detail(db, clock=clock, scope=scope, case_id=funeral_id)


@router.put(
    "/tasks/{funeral_task_id}", response_model=FuneralDetail, summary="一项事情：负责人、日期、办完"
)
def update_task(
    funeral_task_id: Id,
    body: TaskUpdate,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    task = checklist.update_task(
        db, clock=clock, staff=me, scope=scope, task_id=funeral_task_id, data=body
    )
    return service.detail(db, clock=clock, scope=scope, case_id=task.case_id)


@router.put("/funerals/{funeral_id}/texts", response_model=FuneralDetail, summary="保存讣告和生平")
def save_texts(
    funeral_id: Id,
    body: TextsUpdate,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    checklist.save_texts(db, clock=clock, staff=me, scope=scope, case_id=funeral_id, data=body)
    return service.detail(db, clock=clock, scope=scope, case_id=funeral_id)


def _pdf(db: SessionDep, scope: StaffScope, funeral_id: int, kind: TaskKind) -> Response:
    data, filename = checklist.text_pdf(db, scope=scope, case_id=funeral_id, kind=kind)
    return pdf_response(data, filename)


@router.get(
    "/funerals/{funeral_id}/obituary.pdf",
    summary="打印讣告",
    responses=PDF_DOWNLOAD,
    response_class=Response,
)
def obituary_pdf(funeral_id: Id, db: SessionDep, scope: StaffScope) -> Response:
    return _pdf(db, scope, funeral_id, TaskKind.obituary)


@router.get(
    "/funerals/{funeral_id}/biography.pdf",
    summary="打印生平",
    responses=PDF_DOWNLOAD,
    response_class=Response,
)
def biography_pdf(funeral_id: Id, db: SessionDep, scope: StaffScope) -> Response:
    return _pdf(db, scope, funeral_id, TaskKind.biography)


@router.put(
    "/benefits/{benefit_id}",
    response_model=FuneralDetail,
    summary="待遇：金额和状态（只能往前）",
)
def update_benefit(
    benefit_id: Id,
    body: BenefitUpdate,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    benefit = checklist.update_benefit(
        db, clock=clock, staff=me, scope=scope, benefit_id=benefit_id, data=body
    )
    return service.detail(db, clock=clock, scope=scope, case_id=benefit.case_id)


@router.post(
    "/benefits/{benefit_id}/documents",
    response_model=FuneralDetail,
    status_code=201,
    summary="上传材料（照片或 PDF，10MB以内）",
)
def add_document(
    benefit_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
    file: UploadFile = File(...),
    title: Annotated[str, Form(max_length=60)] = "",
) -> FuneralDetail:
    checklist.add_document(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        benefit_id=benefit_id,
        title=title or file.filename or "",
        data=file.file.read(DOCUMENT_MAX_BYTES + 1),
        upload_dir=settings.upload_dir,
    )
    case_id = checklist.case_of_benefit(db, scope=scope, benefit_id=benefit_id)
    return service.detail(db, clock=clock, scope=scope, case_id=case_id)


@router.get(
    "/documents/{document_id}",
    summary="看材料",
    responses=DOCUMENT_DOWNLOAD,
    response_class=FileResponse,
)
def document(
    document_id: Id, db: SessionDep, settings: SettingsDep, scope: StaffScope
) -> FileResponse:
    path, media_type = checklist.document_file(
        db, scope=scope, document_id=document_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.post(
    "/funerals/{funeral_id}/survivors",
    response_model=FuneralDetail,
    status_code=201,
    summary="登记遗属",
)
def add_survivor(
    funeral_id: Id,
    body: SurvivorIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    survivors.add(db, clock=clock, staff=me, scope=scope, case_id=funeral_id, data=body)
    return service.detail(db, clock=clock, scope=scope, case_id=funeral_id)


@router.put("/survivors/{survivor_id}", response_model=FuneralDetail, summary="修改遗属信息")
def update_survivor(
    survivor_id: Id,
    body: SurvivorIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    row = survivors.update(
        db, clock=clock, staff=me, scope=scope, survivor_id=survivor_id, data=body
    )
    return service.detail(db, clock=clock, scope=scope, case_id=row.case_id)


@router.post(
    "/funerals/{funeral_id}/family-notices",
    response_model=FuneralDetail,
    summary="通过微信告诉家属",
)
def tell_family(
    funeral_id: Id,
    body: FamilyNoteIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> FuneralDetail:
    survivors.tell_family(db, clock=clock, staff=me, scope=scope, case_id=funeral_id, data=body)
    return service.detail(db, clock=clock, scope=scope, case_id=funeral_id)
