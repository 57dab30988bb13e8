"""Mini-program side of activities and bookings: browse, sign up, my bookings, cancel, rate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Response
from fastapi.responses import FileResponse

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Acting, Permission, act_for
from backend.activities import attendance, service, views
from backend.activities.schemas import (
    ActivitiesPublic,
    ActivityCategory,
    ActivityPublic,
    AttendanceCode,
    BookingPublic,
    RatingIn,
    SignupIn,
)
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableKind
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotFound
from backend.core.inputs import Id
from backend.core.openapi import IMAGE_DOWNLOAD
from backend.core.responses import json_reply
from backend.core.routing import APIRouter

if TYPE_CHECKING:
    from backend.bookings.models import Bookable, Booking

router = APIRouter(prefix="/api/v1", tags=["小程序：活动与预约"])


@router.get("/activities", response_model=ActivitiesPublic, summary="近期活动（可只看能报名的）")
def list_activities(
    retiree_id: Id,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
    category: ActivityCategory | None = None,
    can_join: bool = False,
) -> Response:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    data = service.upcoming_for(
        db,
        clock=clock,
        retiree=acting.retiree,
        category=category.value if category else None,
        can_join_only=can_join,
    )
    return json_reply(ActivitiesPublic(data=data, count=len(data)))


@router.get("/activities/{activity_id}", response_model=ActivityPublic, summary="一个活动")
def get_activity(
    activity_id: Id, retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> ActivityPublic:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    activity, bookable = service.visible_to(db, activity_id, acting.retiree)
    return views.to_public(db, activity, bookable, now=clock.now(), retiree=acting.retiree)


@router.post(
    "/activities/{activity_id}/signup",
    response_model=BookingPublic,
    summary="报名（满了自动排候补；同一个编号重发只算一次）",
)
def sign_up(
    activity_id: Id, body: SignupIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> BookingPublic:
    acting = act_for(db, viewer, body.retiree_id, Permission.book)
    bookable, booked = service.sign_up(
        db,
        clock=clock,
        activity_id=activity_id,
        retiree=acting.retiree,
        quantity=body.quantity,
        notes=body.notes,
        booked_by=acting.label,
        channel="小程序",
        idempotency_key=body.idempotency_key,
        commits_next=True,
    )
    db.commit()  # release the bookable's lock now (and expand the notice); then the reply
    return views.booking_public(
        db, booked.booking, bookable, acting.retiree.name, clock.now(), position=booked.position
    )


@router.get("/bookings", response_model=list[BookingPublic], summary="我的预约")
def my_bookings(
    retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> list[BookingPublic]:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    rows = queries.for_retiree(db, retiree_id, kind=BookableKind.activity, limit=100)
    positions = queries.waitlist_positions(db, [b for b, _ in rows])
    now = clock.now()
    return [
        views.booking_public(db, b, k, acting.retiree.name, now, position=positions.get(b.id or 0))
        for b, k in rows
    ]


def _own_booking(
    db: SessionDep, viewer: CurrentViewer, booking_id: Id, need: Permission
) -> tuple[Acting, Booking, Bookable]:
    booking = queries.booking(db, booking_id)
    if booking is None:
        raise NotFound("没有找到这条预约。")
    acting = act_for(db, viewer, booking.retiree_id, need, missing="没有找到这条预约。")
    bookable = queries.bookable(db, booking.bookable_id)
    assert bookable is not None
    if bookable.kind != BookableKind.activity:  # rides and meals have their own endpoints
        raise NotFound("没有找到这条预约。")
    return acting, booking, bookable


@router.post(
    "/bookings/{booking_id}/cancel",
    response_model=BookingPublic,
    summary="取消预约、退出候补，或放弃补上的名额",
)
def cancel_booking(
    booking_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> BookingPublic:
    acting, booking, bookable = _own_booking(db, viewer, booking_id, Permission.book)
    who = acting.label
    booking = bookings.cancel(db, clock=clock, booking=booking, by=who)
    db.commit()  # release the bookable's lock now; the reply is built after it
    return views.booking_public(db, booking, bookable, acting.retiree.name, clock.now())


@router.get(
    "/bookings/{booking_id}/code",
    response_model=AttendanceCode,
    summary="签到码（到了现场给工作人员扫一下）",
)
def attendance_code(
    booking_id: Id, db: SessionDep, settings: SettingsDep, viewer: CurrentViewer
) -> AttendanceCode:
    _, booking, _ = _own_booking(db, viewer, booking_id, Permission.view)
    return attendance.code_for_booking(settings.secret_key, booking)


@router.get(
    "/activities/{activity_id}/photo",
    summary="活动照片",
    responses=IMAGE_DOWNLOAD,
    response_class=FileResponse,
)
def activity_photo(
    activity_id: Id, retiree_id: Id, db: SessionDep, settings: SettingsDep, viewer: CurrentViewer
) -> FileResponse:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    activity, _ = service.visible_to(db, activity_id, acting.retiree)
    path, media_type = attendance.photo_of(activity, settings.upload_dir)
    return FileResponse(path, media_type=media_type)


@router.post("/bookings/{booking_id}/rating", response_model=BookingPublic, summary="活动评价")
def rate(
    booking_id: Id, body: RatingIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> BookingPublic:
    acting, booking, bookable = _own_booking(db, viewer, booking_id, Permission.book)
    service.rate(
        db, clock=clock, booking=booking, rating=body.rating, note=body.note, by=acting.label
    )
    return views.booking_public(db, booking, bookable, acting.retiree.name, clock.now())
