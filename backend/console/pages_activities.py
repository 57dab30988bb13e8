"""Console pages for activities: list and create, the roster with attendance, capacity,
sign-up by phone, cancelling a booking or the whole activity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from backend.accounts import units
from backend.accounts.enums import CareFlag, RetireeCategory
from backend.activities import attendance, service, views
from backend.activities.schemas import (
    ActivityCategory,
    ActivityIn,
    AttendanceIn,
    CancelIn,
    CapacityIn,
    SessionPublic,
    StaffSignupIn,
)
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterId,
    PickedRetiree,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    outcome,
    redirect,
    whole_number,
)
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today, to_local
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Text
from backend.core.xlsx import xlsx_response

router = page_router("/activities")


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


class ActivityForm(BaseModel):
    """The publish form as the browser sends it. The boxes staff type into stay text here, so a
    wrong one is said by ActivityIn on the re-rendered form (with what was typed kept); the
    checkboxes are repeated keys."""

    category: str = ""
    title: str = ""
    description: str = ""
    place: str = ""
    starts_at: str = ""
    ends_at: str = ""
    capacity: str = ""
    max_quantity: str = ""
    closes_at: str = ""
    cancel_deadline: str = ""
    accessibility: str = ""
    cost: str = ""
    unit_id: str = ""
    min_age: str = ""
    categories: list[str] = []
    care_flags: list[str] = []
    weekdays: list[str] = []
    weekly_until: str = ""

    def values(self) -> dict[str, Any]:
        """What the form shows again after a refusal."""
        return self.model_dump()

    def to_input(self) -> ActivityIn:
        return ActivityIn.model_validate(
            {
                "category": self.category,
                "title": self.title,
                "description": self.description,
                "place": self.place,
                "starts_at": self.starts_at,
                "ends_at": self.ends_at or None,
                "capacity": self.capacity or 0,
                "max_quantity": self.max_quantity or 2,
                "closes_at": self.closes_at or None,
                "cancel_deadline": self.cancel_deadline or None,
                "eligibility": {
                    "categories": self.categories,
                    "care_flags": self.care_flags,
                    "min_age": self.min_age or None,
                },
                "accessibility": blank_to_none(self.accessibility),
                "cost": blank_to_none(self.cost),
                "unit_id": self.unit_id or None,
                "weekly": self._weekly(),
            }
        )

    def _weekly(self) -> dict[str, Any] | None:
        """The weekly-class fields; None for a one-off activity (no weekday ticked)."""
        if not self.weekdays:
            return None
        if not self.weekly_until.strip():
            raise ValueError("每周上课请填写学期结束日期。")
        return {"weekdays": self.weekdays, "until": self.weekly_until}


@router.post("", response_class=HTMLResponse)
@form_once
def create(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ActivityForm, Form()],
) -> Response:
    try:
        data = form.to_input()
    except ValidationError as exc:
        return _list_page(request, db, clock, form_errors(exc), form.values(), 422)
    except ValueError as exc:
        return _list_page(request, db, clock, [str(exc)], form.values(), 422)
    scope = scope_of(request)
    activity, error = attempt(
        db, lambda: service.create(db, clock=clock, staff=me, scope=scope, data=data)
    )
    if error is not None or activity is None:
        message = error.message if error else "没有发布成功"
        return _list_page(request, db, clock, [message], form.values(), 400)
    return redirect(f"/console/activities/{activity.id}", "已发布，老同志在小程序里就能报名了。")


@router.get("/{activity_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    session_id: Annotated[FilterId, Query(alias="session")] = None,
) -> HTMLResponse:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    public = views.to_public(db, activity, bookable, now=clock.now())
    session = _chosen_session(public.sessions, session_id, clock)
    rows = (
        attendance.session_roster(db, bookable=bookable, session_id=session.id)
        if session
        else views.roster(db, bookable=bookable)
    )
    return page(
        request,
        "activity_detail.html",
        {
            "nav": "activities",
            "a": public,
            "session": session,
            "rows": rows,
            "who_can": views.eligibility_text(bookable),
        },
    )


def _chosen_session(
    sessions: list[SessionPublic], wanted: int | None, clock: ClockDep
) -> SessionPublic | None:
    """The session asked for, else today's or the next one, else the last: the one staff are
    most likely taking attendance for."""
    if not sessions:
        return None
    for s in sessions:
        if s.id == wanted:
            return s
    today = local_today(clock)
    upcoming = [s for s in sessions if to_local(s.starts_at).date() >= today]
    return upcoming[0] if upcoming else sessions[-1]


@router.get("/{activity_id}/roster.xlsx")
def export(request: Request, activity_id: int, db: SessionDep, _: ConsoleStaff) -> Response:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    return xlsx_response(
        service.export_xlsx(db, bookable=bookable, activity=activity),
        f"activity-{activity_id}.xlsx",
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
