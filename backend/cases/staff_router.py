"""Staff API of 信访: the same service functions and input models as the console pages."""

from __future__ import annotations

from typing import Literal

from fastapi import File, Form, UploadFile
from fastapi.responses import FileResponse, Response

from backend.accounts import units
from backend.accounts.deps import CurrentAdmin, CurrentStaff, StaffScope
from backend.cases import printing, service, views
from backend.cases.schemas import (
    DueSettingsIn,
    DueSettingsPublic,
    HandlerIn,
    StaffCase,
    StaffCaseIn,
    StaffCases,
    TextIn,
)
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.inputs import Id, Line
from backend.core.openapi import DOCUMENT_DOWNLOAD, PDF_DOWNLOAD
from backend.core.pdf import pdf_response
from backend.core.routing import APIRouter
from backend.core.uploads import DOCUMENT_MAX_BYTES

router = APIRouter(prefix="/api/v1/staff/cases", tags=["工作人员：信访"])

Which = Literal["open", "late", "replied", "closed", "all"]


def _one(db: SessionDep, clock: ClockDep, case_id: int, scope: StaffScope) -> StaffCase:
    case = service.in_scope(db, scope, case_id)
    return views.staff(db, [case], clock=clock, with_events=True)[0]


@router.get("", response_model=StaffCases, summary="信访：待办、超期、已答复、办结")
def list_cases(
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
    which: Which = "open",
    mine: bool = False,
) -> StaffCases:
    rows = service.under(
        db,
        clock=clock,
        unit_ids=units.subtree_ids(db, scope),
        which=which,
        handler_id=me.id if mine else None,
    )
    return StaffCases(data=views.staff(db, rows, clock=clock), count=len(rows))


@router.post("", response_model=StaffCase, status_code=201, summary="登记电话、来信、来访")
def record_case(
    body: StaffCaseIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffCase:
    case = service.record(db, clock=clock, staff=me, scope=scope, data=body)
    return _one(db, clock, case.id or 0, scope)


@router.get("/settings", response_model=DueSettingsPublic, summary="各类信访的答复期限（工作日）")
def get_settings(db: SessionDep, scope: StaffScope) -> DueSettingsPublic:
    return DueSettingsPublic(unit_id=scope.id or 0, **service.settings_for(db, scope))


@router.put("/settings", response_model=DueSettingsPublic, summary="改答复期限（管理员）")
def put_settings(
    body: DueSettingsIn, db: SessionDep, clock: ClockDep, me: CurrentAdmin, scope: StaffScope
) -> DueSettingsPublic:
    saved = service.set_settings(db, clock=clock, staff=me, scope=scope, data=body)
    return DueSettingsPublic(unit_id=scope.id or 0, **saved)


@router.get("/{case_id}", response_model=StaffCase, summary="一件信访的案卷")
def get_case(case_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> StaffCase:
    return _one(db, clock, case_id, scope)


@router.put("/{case_id}/handler", response_model=StaffCase, summary="指定承办人")
def assign(
    case_id: Id,
    body: HandlerIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffCase:
    service.assign(
        db, clock=clock, staff=me, scope=scope, case_id=case_id, handler_id=body.staff_id
    )
    return _one(db, clock, case_id, scope)


@router.post("/{case_id}/notes", response_model=StaffCase, summary="记一笔办理情况")
def add_note(
    case_id: Id, body: TextIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffCase:
    service.note(db, clock=clock, staff=me, scope=scope, case_id=case_id, text=body.text)
    return _one(db, clock, case_id, scope)


@router.post("/{case_id}/reply", response_model=StaffCase, summary="答复（对方在小程序里看到）")
def reply(
    case_id: Id, body: TextIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffCase:
    service.reply(db, clock=clock, staff=me, scope=scope, case_id=case_id, text=body.text)
    return _one(db, clock, case_id, scope)


@router.post(
    "/{case_id}/attachments",
    response_model=StaffCase,
    status_code=201,
    summary="加附件（来信扫描件、照片，PDF 或 JPG/PNG，10MB以内）",
)
def attach(
    case_id: Id,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: CurrentStaff,
    scope: StaffScope,
    title: Line = Form(default="附件", max_length=80),
    file: UploadFile = File(...),
) -> StaffCase:
    service.attach(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        case_id=case_id,
        title=title,
        data=file.file.read(DOCUMENT_MAX_BYTES + 1),
        upload_dir=settings.upload_dir,
    )
    return _one(db, clock, case_id, scope)


@router.get(
    "/attachments/{event_id}",
    summary="看附件",
    responses=DOCUMENT_DOWNLOAD,
    response_class=FileResponse,
)
def attachment(
    event_id: Id, db: SessionDep, settings: SettingsDep, scope: StaffScope
) -> FileResponse:
    path, media_type = service.attachment_file(
        db, scope=scope, event_id=event_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.get(
    "/{case_id}/file.pdf",
    summary="打印案卷（一案一册）",
    responses=PDF_DOWNLOAD,
    response_class=Response,
)
def file_pdf(
    case_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> Response:
    data = printing.file_pdf(db, clock=clock, staff=me, scope=scope, case_id=case_id)
    return pdf_response(data, "信访案卷.pdf")
