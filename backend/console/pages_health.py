"""Console pages of the health record, for the unit's medical staff only (health_record/
access.py; other staff get the refusal page): people in hospital now, the check-ups, one
person's record (entries, the report, who has read it) with the forms to add and correct, and
a check-up's roster with whose results are in. Every read and write is logged by the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from backend.accounts import units
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterId,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    outcome,
    redirect,
)
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.uploads import DOCUMENT_MAX_BYTES
from backend.health_record import service, views
from backend.health_record.models import EntryKind
from backend.health_record.schemas import EntryIn, EntryUpdate

router = page_router("/health")
HERE = "/console/health"


def _record_url(retiree_id: int) -> str:
    return f"{HERE}/retirees/{retiree_id}"


@router.get("", response_class=HTMLResponse)
def health_home(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    retiree_id: FilterId = None,
) -> Response:
    if retiree_id is not None:  # the picker's 打开 button
        return redirect(_record_url(retiree_id))
    scope = scope_of(request)
    staying = service.in_hospital(db, staff=me, unit_ids=units.subtree_ids(db, scope))
    return page(
        request,
        "health.html",
        {
            "nav": "health",
            "in_hospital": [(views.entry_public(e), name, e.retiree_id) for e, name in staying],
            "checkups": service.checkups(db, clock=clock, staff=me, scope=scope),
        },
    )


@router.get("/retirees/{retiree_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    activity_id: FilterId = None,
) -> HTMLResponse:
    scope = scope_of(request)
    record = service.record_for_staff(db, clock=clock, staff=me, scope=scope, retiree_id=retiree_id)
    return page(
        request,
        "health_record.html",
        {
            "nav": "health",
            "r": views.record_public(record),
            "kinds": [k.value for k in EntryKind],
            "checkups": service.checkups(db, clock=clock, staff=me, scope=scope),
            "chosen_checkup": activity_id,
            "today": local_today(clock),
        },
    )


class EntryForm(BaseModel):
    """The add form as posted (strings); EntryIn says what is wrong."""

    kind: str = ""
    happened_on: str = ""
    place: str = ""
    summary: str = ""
    discharged_on: str = ""
    activity_id: str = ""


@router.post("/retirees/{retiree_id}/entries")
@form_once
def add_entry(
    request: Request,
    retiree_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[EntryForm, Form()],
) -> Response:
    try:
        data = EntryIn.model_validate(
            {
                "retiree_id": retiree_id,
                "kind": form.kind,
                "happened_on": form.happened_on,
                "place": blank_to_none(form.place),
                "summary": form.summary,
                "discharged_on": blank_to_none(form.discharged_on),
                "activity_id": blank_to_none(form.activity_id),
            }
        )
    except ValidationError as exc:
        return redirect(_record_url(retiree_id), err="；".join(form_errors(exc, EntryIn)))
    _, error = attempt(
        db, lambda: service.add_entry(db, clock=clock, staff=me, scope=scope_of(request), data=data)
    )
    return outcome(_record_url(retiree_id), error, "已记入健康档案。")


class UpdateForm(BaseModel):
    place: str = ""
    summary: str = ""
    discharged_on: str = ""


@router.post("/retirees/{retiree_id}/entries/{entry_id}")
def update_entry(
    request: Request,
    retiree_id: int,
    entry_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[UpdateForm, Form()],
) -> Response:
    try:
        data = EntryUpdate.model_validate(
            {
                "place": blank_to_none(form.place),
                "summary": form.summary,
                "discharged_on": blank_to_none(form.discharged_on),
            }
        )
    except ValidationError as exc:
        return redirect(_record_url(retiree_id), err="；".join(form_errors(exc, EntryUpdate)))
    _, error = attempt(
        db,
        lambda: service.update_entry(
            db, clock=clock, staff=me, scope=scope_of(request), entry_id=entry_id, data=data
        ),
    )
    return outcome(_record_url(retiree_id), error, "已保存。")


@router.post("/retirees/{retiree_id}/entries/{entry_id}/report")
def upload_report(
    request: Request,
    retiree_id: int,
    entry_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
    file: UploadFile | None = None,
) -> Response:
    if file is None or not file.filename:
        return redirect(_record_url(retiree_id), err="请先选择体检报告（PDF 或照片）。")
    data = file.file.read(DOCUMENT_MAX_BYTES + 1)
    _, error = attempt(
        db,
        lambda: service.attach_report(
            db,
            clock=clock,
            staff=me,
            scope=scope_of(request),
            entry_id=entry_id,
            data=data,
            upload_dir=settings.upload_dir,
        ),
    )
    return outcome(_record_url(retiree_id), error, "报告已上传。")


@router.get("/entries/{entry_id}/report")
def report(
    request: Request,
    entry_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
) -> FileResponse:
    path, media_type = service.report_for_staff(
        db,
        clock=clock,
        staff=me,
        scope=scope_of(request),
        entry_id=entry_id,
        upload_dir=settings.upload_dir,
    )
    return FileResponse(path, media_type=media_type)


@router.get("/checkups/{activity_id}", response_class=HTMLResponse)
def checkup_page(
    request: Request, activity_id: int, db: SessionDep, me: ConsoleStaff
) -> HTMLResponse:
    found = service.checkup_roster(db, staff=me, scope=scope_of(request), activity_id=activity_id)
    return page(request, "health_checkup.html", {"nav": "health", "c": found})
