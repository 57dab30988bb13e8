"""Staff API for activities: create, list, roster, export, capacity, cancel, sign up by phone,
attendance, cancel a booking."""

from __future__ import annotations

from fastapi.responses import Response

from backend.accounts import directory
from backend.accounts.deps import CurrentStaff, StaffScope
from backend.activities import attendance, service, views
from backend.activities.schemas import (
    ActivitiesPublic,
    ActivityIn,
    ActivityPublic,
    AttendanceIn,
    BookingPublic,
    CancelIn,
    CapacityIn,
    Roster,
    StaffSignupIn,
)
from backend.bookings import queries
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response

router = APIRouter(prefix="/api/v1/staff", tags=["工作人员：活动与预约"])


@router.post("/activities", response_model=ActivityPublic, status_code=201, summary="发布活动")
def create(
    body: ActivityIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> ActivityPublic:
    activity = service.create(db, clock=clock, staff=me, scope=scope, data=body)
    _, bookable = service.get(db, activity.id or 0)
    return views.to_public(db, activity, bookable, now=clock.now())


@router.get("/activities", response_model=ActivitiesPublic, summary="活动列表")
def list_activities(db: SessionDep, clock: ClockDep, scope: StaffScope) -> ActivitiesPublic:
    data = service.list_in_scope(db, clock=clock, scope=scope)
    return ActivitiesPublic(data=data, count=len(data))


@router.get("/activities/{activity_id}/roster", response_model=Roster, summary="报名名单")
def roster(activity_id: Id, db: SessionDep, clock: ClockDep, scope: StaffScope) -> Roster:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    return Roster(
        activity=views.to_public(db, activity, bookable, now=clock.now()),
        data=views.roster(db, bookable=bookable),
    )


@router.get(
    "/activities/{activity_id}/roster.xlsx",
    summary="导出报名名单",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def export(activity_id: Id, db: SessionDep, scope: StaffScope) -> Response:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    data = service.export_xlsx(db, bookable=bookable, activity=activity)
    return xlsx_response(data, f"activity-{activity_id}.xlsx")


@router.patch(
    "/activities/{activity_id}/capacity", response_model=ActivityPublic, summary="调整名额"
)
def set_capacity(
    activity_id: Id,
    body: CapacityIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> ActivityPublic:
    activity, bookable = service.get_in_scope(db, activity_id, scope)
    bookable = service.staff_set_capacity(
        db, clock=clock, staff=me, bookable=bookable, capacity=body.capacity
    )
    return views.to_public(db, activity, bookable, now=clock.now())


@router.post("/activities/{activity_id}/cancel", summary="取消活动（告诉所有报名的人）")
def cancel_activity(
    activity_id: Id,
    body: CancelIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> dict[str, int]:
    _, bookable = service.get_in_scope(db, activity_id, scope)
    count = service.staff_cancel_activity(
        db, clock=clock, staff=me, bookable=bookable, reason=body.reason
    )
    return {"bookings_cancelled": count}


@router.post(
    "/activities/{activity_id}/signups",
    response_model=BookingPublic,
    status_code=201,
    summary="代老同志报名（电话、窗口）",
)
def sign_up_for(
    activity_id: Id,
    body: StaffSignupIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> BookingPublic:
    _, bookable = service.get_in_scope(db, activity_id, scope)
    booking = service.staff_signup(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        bookable=bookable,
        retiree_id=body.retiree_id,
        quantity=body.quantity,
        notes=body.notes,
        channel=body.channel,
        idempotency_key=body.idempotency_key,
    )
    return _public(db, booking.id or 0, clock)


def _public(db: SessionDep, booking_id: Id, clock: ClockDep) -> BookingPublic:
    booking = queries.booking(db, booking_id)
    assert booking is not None
    bookable = queries.bookable(db, booking.bookable_id)
    retiree = directory.retiree(db, booking.retiree_id)
    assert bookable is not None and retiree is not None
    db.refresh(bookable)
    return views.booking_public(db, booking, bookable, retiree.name, clock.now())


@router.post(
    "/bookings/{booking_id}/attendance", response_model=BookingPublic, summary="签到：到了/没来"
)
def mark_attendance(
    booking_id: Id,
    body: AttendanceIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> BookingPublic:
    booking = service.get_booking_in_scope(db, booking_id, scope)
    attendance.mark(
        db,
        clock=clock,
        staff=me,
        booking=booking,
        attended=body.attended,
        session_id=body.session_id,
    )
    return _public(db, booking_id, clock)


@router.post(
    "/bookings/{booking_id}/cancel", response_model=BookingPublic, summary="取消一条报名（写原因）"
)
def cancel_booking(
    booking_id: Id,
    body: CancelIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> BookingPublic:
    booking = service.get_booking_in_scope(db, booking_id, scope)
    service.staff_cancel_booking(db, clock=clock, staff=me, booking=booking, reason=body.reason)
    return _public(db, booking_id, clock)
