"""Console pages for a death (jl 第四十条, mva 第十一条（六）): the queue of funeral checklists,
and one page per deceased with the four tasks, the 讣告 and 生平 (edit, print), the benefits
(amount, status forward only, documents), the survivors and a message to the family. The same
service functions and input models as the staff API; every write audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from backend.bereavement import checklist, service, survivors
from backend.bereavement.schemas import (
    BenefitStatus,
    BenefitUpdate,
    FamilyNoteIn,
    SurvivorIn,
    SurvivorRelation,
    SurvivorStatus,
    TaskKind,
    TaskUpdate,
    TextsUpdate,
)
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, form_once, outcome, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.pdf import pdf_response
from backend.core.uploads import DOCUMENT_MAX_BYTES

router = page_router("/funerals")
HERE = "/console/funerals"


def _detail_url(funeral_id: int) -> str:
    return f"{HERE}/{funeral_id}"


@router.get("", response_class=HTMLResponse)
def queue(request: Request, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    q = service.queue(db, scope=scope_of(request))
    return page(request, "funerals.html", {"nav": "funerals", "q": q})


@router.get("/{funeral_id}", response_class=HTMLResponse)
def detail(
    request: Request, funeral_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    d = service.detail(db, clock=clock, scope=scope_of(request), case_id=funeral_id)
    return page(
        request,
        "funeral_detail.html",
        {
            "nav": "funerals",
            "d": d,
            "relations": [r.value for r in SurvivorRelation],
            "survivor_statuses": [s.value for s in SurvivorStatus],
            "applied": BenefitStatus.applied.value,
        },
    )


@router.post("/{funeral_id}/tasks/{funeral_task_id}")
def update_task(
    request: Request,
    funeral_id: int,
    funeral_task_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[TaskUpdate, Form()],
) -> Response:
    scope = scope_of(request)
    service.case_in_scope(db, scope, funeral_id)
    _, error = attempt(
        db,
        lambda: checklist.update_task(
            db, clock=clock, staff=me, scope=scope, task_id=funeral_task_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, "已保存。")


@router.post("/{funeral_id}/texts")
def save_texts(
    request: Request,
    funeral_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[TextsUpdate, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: checklist.save_texts(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=funeral_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, "讣告和生平已保存，可以打印了。")


@router.get("/{funeral_id}/obituary.pdf")
def obituary_pdf(request: Request, funeral_id: int, db: SessionDep, _: ConsoleStaff) -> Response:
    data, name = checklist.text_pdf(
        db, scope=scope_of(request), case_id=funeral_id, kind=TaskKind.obituary
    )
    return pdf_response(data, name)


@router.get("/{funeral_id}/biography.pdf")
def biography_pdf(request: Request, funeral_id: int, db: SessionDep, _: ConsoleStaff) -> Response:
    data, name = checklist.text_pdf(
        db, scope=scope_of(request), case_id=funeral_id, kind=TaskKind.biography
    )
    return pdf_response(data, name)


@router.post("/{funeral_id}/benefits/{benefit_id}")
def update_benefit(
    request: Request,
    funeral_id: int,
    benefit_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[BenefitUpdate, Form()],
) -> Response:
    scope = scope_of(request)
    service.case_in_scope(db, scope, funeral_id)
    _, error = attempt(
        db,
        lambda: checklist.update_benefit(
            db, clock=clock, staff=me, scope=scope, benefit_id=benefit_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, f"已保存：{form.status.value}。")


@router.post("/{funeral_id}/benefits/{benefit_id}/documents")
def add_document(
    request: Request,
    funeral_id: int,
    benefit_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
    file: UploadFile | None = None,
) -> Response:
    scope = scope_of(request)
    service.case_in_scope(db, scope, funeral_id)
    if file is None or not file.filename:
        return redirect(_detail_url(funeral_id), err="请先选择要上传的照片或 PDF 文件。")
    data = file.file.read(DOCUMENT_MAX_BYTES + 1)
    title = file.filename.rsplit(".", 1)[0]
    _, error = attempt(
        db,
        lambda: checklist.add_document(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            benefit_id=benefit_id,
            title=title,
            data=data,
            upload_dir=settings.upload_dir,
        ),
    )
    return outcome(_detail_url(funeral_id), error, "材料已上传。")


@router.get("/{funeral_id}/documents/{document_id}")
def document(
    request: Request,
    funeral_id: int,
    document_id: int,
    db: SessionDep,
    settings: SettingsDep,
    _: ConsoleStaff,
) -> FileResponse:
    service.case_in_scope(db, scope_of(request), funeral_id)
    path, media_type = checklist.document_file(
        db, scope=scope_of(request), document_id=document_id, upload_dir=settings.upload_dir
    )
    return FileResponse(path, media_type=media_type)


@router.post("/{funeral_id}/survivors")
@form_once
def add_survivor(
    request: Request,
    funeral_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[SurvivorIn, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: survivors.add(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=funeral_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, f"已登记遗属{form.name}。")


@router.post("/{funeral_id}/survivors/{survivor_id}")
def update_survivor(
    request: Request,
    funeral_id: int,
    survivor_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[SurvivorIn, Form()],
) -> Response:
    scope = scope_of(request)
    service.case_in_scope(db, scope, funeral_id)
    _, error = attempt(
        db,
        lambda: survivors.update(
            db, clock=clock, staff=me, scope=scope, survivor_id=survivor_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, "遗属信息已保存。")


@router.post("/{funeral_id}/family-notices")
@form_once
def tell_family(
    request: Request,
    funeral_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[FamilyNoteIn, Form()],
) -> Response:
    count, error = attempt(
        db,
        lambda: survivors.tell_family(
            db, clock=clock, staff=me, scope=scope_of(request), case_id=funeral_id, data=form
        ),
    )
    return outcome(_detail_url(funeral_id), error, f"已通过微信告诉{count}位家属。")
