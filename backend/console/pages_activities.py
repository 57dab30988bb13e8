"""Console pages for activities: list and create, the roster with attendance, capacity,
sign-up by phone, cancelling a booking or the whole activity."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from backend.accounts import units
from backend.accounts.enums import CareFlag, RetireeCategory
from backend.activities import attendance, service
from backend.activities.schemas import (
    ActivityCategory,
    ActivityIn,
    AttendanceIn,
    CancelIn,
    CapacityIn,
    Eligibility,
    SessionPublic,
    StaffSignupIn,
    WeeklyIn,
)
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    PickedRetiree,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    once_for,
    outcome,
    redirect,
    whole_number,
)
from backend.console.render import page
from backend.core.clock import local_today, to_local
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Text

router = APIRouter(prefix="/activities")


def _list_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    errors: list[str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    scope = scope_of(request)
    return page(
        request,
        "activities.html",
        {
            "nav": "activities",
            "rows": service.list_in_scope(db, clock=clock, scope=scope),
            "units": units.subtree(db, scope),
            "categories": [c.value for c in ActivityCategory],
            "retiree_categories": [c.value for c in RetireeCategory],
            "flags": [f.value for f in CareFlag],
            "errors": errors or [],
            "v": values or {},
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def list_activities(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    return _list_page(request, db, clock)


def _local(value: str) -> datetime | None:
    value = value.strip()
    return datetime.fromisoformat(value) if value else None


def _weekly(form: Any) -> WeeklyIn | None:
    """The weekly-class fields of the publish form; None for a one-off activity."""
    days = [int(v) for v in form.getlist("weekdays") if str(v).isdigit()]
    if not days:
        return None
    until = str(form.get("weekly_until", "")).strip()
    if not until:
        raise ValueError("每周上课请填写学期结束日期。")
    return WeeklyIn(weekdays=days, until=date.fromisoformat(until))


@router.post("", response_class=HTMLResponse)
async def create(request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff) -> Response:
    form = await request.form()
    token = str(form.get("form_token", ""))
    act = functools.partial(_create, request, db, clock, me, form)
    return await run_in_threadpool(once_for, request, db, me.id, token, act)


def _create(request: Request, db: SessionDep, clock: ClockDep, me: Any, form: Any) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    try:
        data = ActivityIn(
            category=values.get("category", ""),
            title=values.get("title", ""),
            description=values.get("description", ""),
            place=values.get("place", ""),
            starts_at=_local(values.get("starts_at", "")) or "",
            ends_at=_local(values.get("ends_at", "")),
            capacity=values.get("capacity", "") or 0,
            max_quantity=values.get("max_quantity", "") or 2,
            closes_at=_local(values.get("closes_at", "")),
            cancel_deadline=_local(values.get("cancel_deadline", "")),
            eligibility=Eligibility(
                categories=[str(v) for v in form.getlist("categories")],
                care_flags=[str(v) for v in form.getlist("care_flags")],
                min_age=int(values["min_age"]) if values.get("min_age", "").isdigit() else None,
            ),
            accessibility=blank_to_none(values.get("accessibility")),
            cost=blank_to_none(values.get("cost")),
            unit_id=int(values["unit_id"]) if values.get("unit_id", "").isdigit() else None,
            weekly=_weekly(form),
        )
    except (ValidationError, ValueError) as exc:
        errors = (
            form_errors(exc)
            if isinstance(exc, ValidationError)
            else [str(exc) if "学期" in str(exc) else "时间格式不对，请用日期时间选择框。"]
        )
        return _list_page(request, db, clock, errors, values, 422)
    scope = scope_of(request)
    activity, error = attempt(
        db, lambda: service.create(db, clock=clock, staff=me, scope=scope, data=data)
    )
    if error is not None or activity is None:
        message = error.message if error else "没有发布成功"
        return _list_page(request, db, clock, [message], values, 400)
    return redirect(f"/console/activities/{activity.id}", "已发布，老同志在小程序里就能报名了。")


@router.get("/{activity_id}", response_class=HTMLResponse)
def detail(
    request: Request, activity_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    public = service.to_public(db, activity, bookable, now=clock.now())
    session = _chosen_session(public.sessions, request.query_params.get("session"), clock)
    rows = (
        attendance.session_roster(db, bookable=bookable, session_id=session.id)
        if session
        else service.roster(db, bookable=bookable)
    )
    return page(
        request,
        "activity_detail.html",
        {
            "nav": "activities",
            "a": public,
            "session": session,
            "rows": rows,
            "who_can": service.eligibility_text(bookable),
        },
    )


def _chosen_session(
    sessions: list[SessionPublic], wanted: str | None, clock: ClockDep
) -> SessionPublic | None:
    """The session asked for, else today's or the next one, else the last: the one staff are
    most likely taking attendance for."""
    if not sessions:
        return None
    for s in sessions:
        if wanted and str(s.id) == wanted:
            return s
    today = local_today(clock)
    upcoming = [s for s in sessions if to_local(s.starts_at).date() >= today]
    return upcoming[0] if upcoming else sessions[-1]


@router.get("/{activity_id}/roster.xlsx")
def export(request: Request, activity_id: int, db: SessionDep, _: ConsoleStaff) -> Response:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    return Response(
        service.export_xlsx(db, bookable=bookable, activity=activity),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="activity-{activity_id}.xlsx"'},
    )


class CapacityForm(CapacityIn):
    capacity: Annotated[int, whole_number("名额请填一个大于0的数字。")] = Field(
        title="名额", ge=1, le=10000
    )


class CancelForm(CancelIn):
    """A blank reason reaches the service, which says what to write (same rule as the API)."""

    reason: Text = Field(title="原因", default="", max_length=200)


class BookingCancelForm(CancelForm):
    back: str = ""


class AttendanceForm(AttendanceIn):
    back: str = ""


class SignupForm(PickedRetiree, StaffSignupIn):
    pass


@router.post("/{activity_id}/capacity")
def capacity(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CapacityForm, Form()],
) -> Response:
    _, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: service.staff_set_capacity(
            db, clock=clock, staff=me, bookable=bookable, capacity=form.capacity
        ),
    )
    url = f"/console/activities/{activity_id}"
    return outcome(url, error, "名额已调整，候补的人按顺序补上了。")


@router.post("/{activity_id}/signup")
@form_once
def signup(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[SignupForm, Form()],
) -> Response:
    scope = scope_of(request)
    _, bookable = service.get_in_scope(db, activity_id, scope)
    booking, error = attempt(
        db,
        lambda: service.staff_signup(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            bookable=bookable,
            retiree_id=form.retiree_id,
            quantity=form.quantity,
            notes=form.notes,
            channel=form.channel,
            idempotency_key=None,  # the console's form token does this (form_once)
        ),
    )
    url = f"/console/activities/{activity_id}"
    if error is not None or booking is None:
        return outcome(url, error, "没有报上")
    return redirect(url, "已报名。" if booking.status == "confirmed" else "名额已满，已排候补。")


@router.post("/{activity_id}/cancel")
def cancel_activity(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CancelForm, Form()],
) -> Response:
    _, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    count, error = attempt(
        db,
        lambda: service.staff_cancel_activity(
            db, clock=clock, staff=me, bookable=bookable, reason=form.reason
        ),
    )
    url = f"/console/activities/{activity_id}"
    return outcome(url, error, f"活动已取消，已通知 {count} 位老同志。")


@router.post("/bookings/{booking_id}/attendance")
def mark_attendance(
    request: Request,
    booking_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[AttendanceForm, Form()],
) -> Response:
    booking = service.get_booking_in_scope(db, booking_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: attendance.mark(
            db,
            clock=clock,
            staff=me,
            booking=booking,
            attended=form.attended,
            session_id=form.session_id,
        ),
    )
    url = _back_to_activity(form.back)
    return outcome(url, error, None)


@router.post("/bookings/{booking_id}/cancel")
def cancel_booking(
    request: Request,
    booking_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[BookingCancelForm, Form()],
) -> Response:
    booking = service.get_booking_in_scope(db, booking_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: service.staff_cancel_booking(
            db, clock=clock, staff=me, booking=booking, reason=form.reason
        ),
    )
    url = _back_to_activity(form.back)
    return outcome(url, error, "已取消，已告诉老同志。")


def _back_to_activity(back: str) -> str:
    return back if back.startswith("/console/activities/") else "/console/activities"
