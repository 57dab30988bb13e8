"""Console page 值班表: the week's duty roster of every unit in the staff member's scope, with
each unit's phones. Add, change and remove a shift, edit the phones — the same service functions
and input schemas as the staff API (backend/contact/staff_router.py), audited there."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, day_or, form_once, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.contact import service, views
from backend.contact.schemas import MainPhoneIn, ShiftIn, UnitPhoneIn
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep

router = page_router("/duty")
URL = "/console/duty"


def _week_url(day: date) -> str:
    return f"{URL}?week={service.week_of(day)[0].isoformat()}"


@router.get("", response_class=HTMLResponse)
def roster(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    week: str | None = None,
) -> HTMLResponse:
    scope = scope_of(request)
    today = local_today(clock)
    chosen = day_or(week, today)
    data = views.roster(db, scope=scope, day=chosen)
    monday = date.fromisoformat(data.week_of)
    return page(
        request,
        "duty.html",
        {
            "nav": "duty",
            "roster": data,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": (monday - timedelta(days=7)).isoformat(),
            "next": (monday + timedelta(days=7)).isoformat(),
            "this_week": service.week_of(today)[0] == monday,
            "default_day": (today if service.week_of(today)[0] == monday else monday).isoformat(),
            "people": service.duty_staff(db, scope),
        },
    )


@router.post("/shifts")
@form_once
def add_shift(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ShiftIn, Form()],
) -> Response:
    scope = scope_of(request)
    _, error = attempt(
        db, lambda: service.create_shift(db, clock=clock, staff=me, scope=scope, data=form)
    )
    return outcome(_week_url(form.day), error, "已排上这个班。")


@router.post("/shifts/{shift_id}")
def edit_shift(
    request: Request,
    shift_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ShiftIn, Form()],
) -> Response:
    scope = scope_of(request)
    shift = service.shift_in_scope(db, shift_id, scope)
    _, error = attempt(
        db,
        lambda: service.update_shift(
            db, clock=clock, staff=me, scope=scope, shift=shift, data=form
        ),
    )
    return outcome(_week_url(form.day), error, "已改好这个班。")


@router.post("/shifts/{shift_id}/delete")
def remove_shift(
    request: Request, shift_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    shift = service.shift_in_scope(db, shift_id, scope_of(request))
    back = _week_url(date.fromisoformat(views.one_shift(db, shift).day))
    _, error = attempt(db, lambda: service.delete_shift(db, clock=clock, staff=me, shift=shift))
    return outcome(back, error, "已删掉这个班。")


@router.post("/units/{unit_id}/phone")
def set_main_phone(
    request: Request,
    unit_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[MainPhoneIn, Form()],
) -> Response:
    scope = scope_of(request)
    _, error = attempt(
        db,
        lambda: service.set_main_phone(
            db, clock=clock, staff=me, scope=scope, unit_id=unit_id, data=form
        ),
    )
    return outcome(URL, error, "总机电话已保存。")


@router.post("/units/{unit_id}/phones")
@form_once
def add_phone(
    request: Request,
    unit_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[UnitPhoneIn, Form()],
) -> Response:
    scope = scope_of(request)
    _, error = attempt(
        db,
        lambda: service.add_phone(
            db, clock=clock, staff=me, scope=scope, unit_id=unit_id, data=form
        ),
    )
    return outcome(URL, error, "已添加这个电话。")


@router.post("/phones/{phone_id}/delete")
def remove_phone(
    request: Request, phone_id: int, db: SessionDep, clock: ClockDep, me: ConsoleStaff
) -> Response:
    row = service.phone_in_scope(db, phone_id, scope_of(request))
    _, error = attempt(db, lambda: service.remove_phone(db, clock=clock, staff=me, phone=row))
    return outcome(URL, error, "已删掉这个电话。")
