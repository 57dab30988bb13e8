"""Admin pages: staff accounts and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from backend.accounts import audit, units, views
from backend.accounts import staff as staff_service
from backend.accounts.schemas import StaffCreate
from backend.console import audit_view
from backend.console.auth import ConsoleAdmin, scope_of
from backend.console.forms import attempt, form_errors, form_once, redirect
from backend.console.page_router import page_router
from backend.console.render import ACTION_LABELS, page, page_count
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Line

router = page_router()
AUDIT_PAGE = 50


def _staff_page(
    request: Request,
    db: SessionDep,
    errors: list[str],
    values: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    scope = scope_of(request)
    return page(
        request,
        "staff.html",
        {
            "nav": "staff",
            "accounts": [views.staff_public(db, s) for s in staff_service.list_in_scope(db, scope)],
            "units": units.subtree(db, scope),
            "errors": errors,
            "values": values,
        },
        status_code=status_code,
    )


class StaffForm(BaseModel):
    """The new-account form as posted; StaffCreate says what is wrong on the re-rendered page."""

    username: str = ""
    display_name: str = ""
    password: str = ""
    role: str = "staff"
    unit_id: str = ""
    is_medical: bool = False


class ActiveForm(BaseModel):
    active: bool = Field(title="启用", default=False)


class MedicalForm(BaseModel):
    is_medical: bool = Field(title="医务人员", default=False)


class PasswordForm(BaseModel):
    password: Line = Field(title="新密码", default="", max_length=200)  # the service: ≥ 8


@router.get("/staff", response_class=HTMLResponse)
def staff_list(request: Request, db: SessionDep, _: ConsoleAdmin) -> HTMLResponse:
    return _staff_page(request, db, [], {})


@router.post("/staff", response_class=HTMLResponse)
@form_once
def staff_create(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[StaffForm, Form()],
) -> Response:
    values = form.model_dump(exclude={"password"})
    try:
        body = StaffCreate.model_validate({**form.model_dump(), "unit_id": form.unit_id or None})
    except ValidationError as exc:
        errors = form_errors(exc)
        return _staff_page(request, db, errors, values, 422)
    _, error = attempt(
        db,
        lambda: staff_service.create(db, clock=clock, actor=me, scope=scope_of(request), data=body),
    )
    if error is not None:
        return _staff_page(request, db, [error.message], values, error.status_code)
    return redirect("/console/staff", f"已添加账号 {form.username}。")


@router.post("/staff/{staff_id}/active", response_class=HTMLResponse)
def staff_active(
    request: Request,
    staff_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[ActiveForm, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: staff_service.set_active(
            db,
            clock=clock,
            actor=me,
            scope=scope_of(request),
            staff_id=staff_id,
            active=form.active,
        ),
    )
    if error is not None:
        return _staff_page(request, db, [error.message], {}, error.status_code)
    return redirect("/console/staff", "已更新。")


@router.post("/staff/{staff_id}/medical", response_class=HTMLResponse)
def staff_medical(
    request: Request,
    staff_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[MedicalForm, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: staff_service.set_medical(
            db,
            clock=clock,
            actor=me,
            scope=scope_of(request),
            staff_id=staff_id,
            medical=form.is_medical,
        ),
    )
    if error is not None:
        return _staff_page(request, db, [error.message], {}, error.status_code)
    return redirect("/console/staff", "已更新。")


@router.post("/staff/{staff_id}/password", response_class=HTMLResponse)
def staff_password(
    request: Request,
    staff_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[PasswordForm, Form()],
) -> Response:
    _, error = attempt(
        db,
        lambda: staff_service.reset_password(
            db,
            clock=clock,
            actor=me,
            scope=scope_of(request),
            staff_id=staff_id,
            password=form.password,
        ),
    )
    if error is not None:
        return _staff_page(request, db, [error.message], {}, error.status_code)
    return redirect("/console/staff", "密码已重设。")


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request, db: SessionDep, _: ConsoleAdmin, page_no: int = Query(1, alias="page", ge=1)
) -> HTMLResponse:
    rows, count = audit.list_entries(
        db,
        unit_ids=units.subtree_ids(db, scope_of(request)),
        limit=AUDIT_PAGE,
        offset=(page_no - 1) * AUDIT_PAGE,
    )
    return page(
        request,
        "audit.html",
        {
            "nav": "audit",
            "rows": audit_view.rows(db, rows, ACTION_LABELS),
            "count": count,
            "page_no": page_no,
            "pages": page_count(count, AUDIT_PAGE),
        },
    )
