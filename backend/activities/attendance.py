"""Attendance on the day: the roster of one session, marking by tap, and scanning the code a
retiree shows. Also the code itself, for the retiree's phone, and the activity's photo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from backend.accounts import audit, directory
from backend.accounts.models import StaffAccount
from backend.activities import codes, series, views
from backend.activities import service as activities
from backend.activities.models import Activity
from backend.activities.schemas import AttendanceCode, RosterRow, ScanResult
from backend.bookings import queries
from backend.bookings.enums import BookingStatus
from backend.core import uploads
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, NotFound

if TYPE_CHECKING:
    from backend.bookings.models import Bookable, Booking


def session_roster(db: Session, *, bookable: Bookable, session_id: int) -> list[RosterRow]:
    """The term's roster with attendance at this one session."""
    marks = series.attendance_for(db, session_id)
    rows = views.roster(db, bookable=bookable)
    for row in rows:
        row.attended = marks.get(row.booking_id)
    return rows


def mark(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    booking: Booking,
    attended: bool,
    session_id: int | None,
) -> bool:
    """到了/没来 for a one-off activity, or for one session of a weekly class. Returns whether
    it was already so."""
    activity = activities.activity_of(db, booking.bookable_id)
    has_sessions = bool(series.sessions_of(db, activity.id or 0))
    if has_sessions and session_id is None:
        raise BadRequest("这是每周上的课，请先选是哪一次课。")
    if session_id is not None:
        session = series.get_session(db, activity, session_id)
        return series.mark(
            db, clock=clock, staff=staff, session=session, booking=booking, attended=attended
        )
    already = booking.attended is attended
    activities.mark_attendance(db, clock=clock, staff=staff, booking=booking, attended=attended)
    return already


def scan(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    secret_key: str,
    activity: Activity,
    bookable: Bookable,
    code: str,
    session_id: int | None,
) -> ScanResult:
    booking_id = codes.booking_of(secret_key, code)
    booking = queries.booking(db, booking_id) if booking_id else None
    if booking is None:
        raise BadRequest("这个签到码不对。请老同志打开“我的预约”再出示一次，或者点名单上的“到了”。")
    if booking.bookable_id != bookable.id:
        raise BadRequest("这个签到码不是这个活动的。请看看老同志报的是哪个活动。")
    if booking.status != BookingStatus.confirmed:
        raise BadRequest("这位老同志没有报上这个活动（可能在候补或已取消），请核对名单。")
    if session_id is None and series.sessions_of(db, activity.id or 0):
        today = series.session_on(db, activity, local_today(clock))
        if today is None:
            raise BadRequest("今天没有这门课。请在名单上选是哪一次课再签到。")
        session_id = today.id
    if session_id is not None:
        session = series.get_session(db, activity, session_id)
        activities.check_sign_in_window(
            starts_at=session.starts_at, ends_at=session.ends_at, now=clock.now(), what="这次课"
        )
    else:
        activities.check_sign_in_window(
            starts_at=bookable.starts_at, ends_at=bookable.ends_at, now=clock.now()
        )
    already = mark(
        db, clock=clock, staff=staff, booking=booking, attended=True, session_id=session_id
    )
    retiree = directory.retiree(db, booking.retiree_id)
    name = retiree.name if retiree else ""
    party = f"（共{booking.quantity}人）" if booking.quantity > 1 else ""
    return ScanResult(
        booking_id=booking.id or 0,
        retiree_name=name,
        quantity=booking.quantity,
        already=already,
        message=f"{name}已经签过到了{party}。" if already else f"{name}签到成功{party}。",
    )


def code_for_booking(secret_key: str, booking: Booking) -> AttendanceCode:
    if booking.status != BookingStatus.confirmed:
        raise BadRequest("报上以后才有签到码。候补补上时会发消息告诉您。")
    code = codes.code_for(secret_key, booking.id or 0)
    return AttendanceCode(booking_id=booking.id or 0, code=code, qr_svg=codes.qr_svg_data_uri(code))


def set_photo(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    activity: Activity,
    unit_id: int,
    data: bytes,
    upload_dir: Path,
) -> Activity:
    before = {"photo": activity.photo_path}
    activity.photo_path = uploads.store_photo(upload_dir, "activities", data)
    db.add(activity)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="activity.photo",
        entity="activity",
        entity_id=activity.id,
        unit_id=unit_id,
        before=before,
        after={"photo": activity.photo_path},
    )
    return activity


def photo_of(activity: Activity, upload_dir: Path) -> tuple[Path, str]:
    found = uploads.photo_file(upload_dir, activity.photo_path)
    if found is None:
        raise NotFound("这个活动还没有照片。")
    return found
