"""Console pages of 信访: the queue (待办 with the late first, 超期, 已答复, 办结, 我承办的),
recording a case from the phone, a letter or a visit, one case's file with 交办, 记录, 答复,
附件 and 打印案卷, and (admins) the working days per kind. The same service functions and
input schemas as the staff API; every write audited there."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from backend.accounts import units
from backend.cases import printing, service, views
from backend.cases.rules import STAFF_CHANNELS, CaseKind
from backend.cases.schemas import DueSettingsIn, HandlerIn, StaffCaseIn, TextIn
from backend.console.auth import ConsoleAdmin, ConsoleStaff, scope_of
from backend.console.forms import PickedRetiree, attempt, form_once, outcome, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.pdf import pdf_response
from backend.core.uploads import DOCUMENT_MAX_BYTES

router = page_router("/cases")
HERE = "/console/cases"
TABS = {
    "open": "待办",
    "late": "超期",
    "replied": "已答复",
    "closed": "办结",
    "all": "全部",
}


class CaseForm(PickedRetiree, StaffCaseIn):
    pass


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    which: str = "open",
    mine: bool = False,
) -> HTMLResponse:
    shown = which if which in TABS else "open"
    scope = scope_of(request)
    rows = service.under(
        db,
        clock=clock,
        unit_ids=units.subtree_ids(db, scope),
        which=shown,
        handler_id=me.id if mine else None,
    )
    return page(
        request,
        "cases.html",
        {
            "nav": "cases",
            "cases": views.staff(db, rows, clock=clock),
            "which": shown,
            "mine": mine,
            "tabs": TABS,
            "kinds": [k.value for k in CaseKind],
            "channels": [c.value for c in STAFF_CHANNELS],
            "settings": service.settings_for(db, scope),
        },
    )


@router.post("")
@form_once
def record(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CaseForm, Form()],
) -> Response:
    made, error = attempt(
        db, lambda: service.record(db, clock=clock, staff=me, scope=scope_of(request), data=form)
    )
    if error is not None or made is None:
        return outcome(HERE, error, None)
    due = f"{made.due_on.month}月{made.due_on.day}日"
    return redirect(f"{HERE}/{made.id}", f"已登记，编号{made.number}，{due}前答复。请指定承办人。")


@router.post("/settings")
def save_settings(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[DueSettingsIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.set_settings(db, clock=clock, staff=me, scope=scope_of(request), data=form),
    )
    return outcome(HERE, error, "答复期限已保存，以后收到的信访按新期限算。")


@router.get("/attachments/{event_id}")
def attachment(
    request: Request, event_id: int, db: SessionDep, settings: SettingsDep, _: ConsoleStaff
) -> FileResponse:
    path, media_type = service.attachment_file(
        db, scope=scope_of(request), event_id=event_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.get("/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    scope = scope_of(request)
    case = service.in_scope(db, scope, case_id)
    return page(
        request,
        "case_detail.html",
        {
            "nav": "cases",
            "c": views.staff(db, [case], clock=clock, with_events=True)[0],
            "handlers": service.staff_who_may_handle(db, scope),
        },
    )


@router.get("/{case_id}/file.pdf")
def file_pdf(
    request: Request, case_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    data = printing.file_pdf(db, clock=clock, staff=me, scope=scope_of(request), case_id=case_id)
    return pdf_response(data, "信访案卷.pdf")


@router.post("/{case_id}/handler")
def assign(
    request: Request,
    case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[HandlerIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.assign(
            db,
            clock=clock,
            staff=me,
            scope=scope_of(request),
            case_id=case_id,
            handler_id=form.staff_id,
        ),
    )
    return outcome(f"{HERE}/{case_id}", error, "已指定承办人。")


@router.post("/{case_id}/notes")
def add_note(
    request: Request,
    case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[TextIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: service.note(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=case_id, text=form.text
        ),
    )
    return outcome(f"{HERE}/{case_id}", error, "已记入案卷。")


@router.post("/{case_id}/reply")
def reply(
    request: Request,
    case_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[TextIn, Form()],
) -> Response:
    made, error = attempt(
        db,
        lambda: service.reply(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=case_id, text=form.text
        ),
    )
    done = (
        "已答复。匿名意见已办结。"
        if made is not None and made.retiree_id is None
        else "已答复，老同志会在小程序里看到，并请他评价。"
    )
    return outcome(f"{HERE}/{case_id}", error, done)


@router.post("/{case_id}/attachments")
def attach(
    request: Request,
    case_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
    file: UploadFile | None = None,
) -> Response:
    scope = scope_of(request)
    service.in_scope(db, scope, case_id)
    if file is None or not file.filename:
        return redirect(f"{HERE}/{case_id}", err="请先选择要上传的扫描件或照片。")
    data = file.file.read(DOCUMENT_MAX_BYTES + 1)
    title = file.filename.rsplit(".", 1)[0][:80]
    _, error = attempt(
        db,
        lambda: service.attach(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            case_id=case_id,
            title=title,
            data=data,
            upload_dir=settings.upload_dir,
        ),
    )
    return outcome(f"{HERE}/{case_id}", error, "附件已放进案卷。")
