"""Weekly classes (老年大学): the sessions of a term, attendance per session, and the reminder
the day before each session.

Signing up for a weekly class is one booking on its bookable — enrolment for the term — so
capacity, the waiting list and cancellation are the shared mechanism's; only attendance is kept
per session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Exists, exists
from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.models import StaffAccount
from backend.activities import wording
from backend.activities.models import Activity, ActivitySession, SessionAttendance
from backend.activities.schemas import SessionPublic, WeeklyIn
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.core.clock import Clock, as_utc, format_local, local_at, local_day, to_local
from backend.core.errors import BadRequest, NotFound
from backend.notices import service as notices_service

if TYPE_CHECKING:
    from backend.bookings.models import Booking

MAX_SESSIONS = 200
WEEKDAY_NAMES = "一二三四五六日"


def plan(
    *, first_start: datetime, duration: timedelta, weekly: WeeklyIn
) -> list[tuple[datetime, datetime]]:
    """Every session from the first start's date to `until`, on the chosen weekdays, at the
    first start's local time of day. Times in UTC."""
    local = to_local(first_start)
    clock_time = time(local.hour, local.minute)
    day = local.date()
    sessions = []
    while day <= weekly.until:
        if day.isoweekday() in weekly.weekdays:
            start = local_at(day, clock_time)
            sessions.append((start, start + duration))
            if len(sessions) > MAX_SESSIONS:
                raise BadRequest(f"一个学期最多{MAX_SESSIONS}次课，请把结束日期提前。")
        day += timedelta(days=1)
    if not sessions:
        raise BadRequest("按这个安排一次课也排不出来，请检查星期几和结束日期。")
    return sessions


def add_sessions(
    db: Session, *, activity_id: int, sessions: list[tuple[datetime, datetime]]
) -> None:
    for start, end in sessions:
        db.add(ActivitySession(activity_id=activity_id, starts_at=start, ends_at=end))
    db.flush()


def sessions_of(db: Session, activity_id: int) -> list[ActivitySession]:
    return list(
        db.exec(
            select(ActivitySession)
            .where(ActivitySession.activity_id == activity_id)
            .order_by(col(ActivitySession.starts_at))
        ).all()
    )


def sessions_by_activity(db: Session, activity_ids: list[int]) -> dict[int, list[ActivitySession]]:
    grouped: dict[int, list[ActivitySession]] = {}
    if not activity_ids:
        return grouped
    rows = db.exec(
        select(ActivitySession)
        .where(col(ActivitySession.activity_id).in_(activity_ids))
        .order_by(col(ActivitySession.starts_at))
    ).all()
    for row in rows:
        grouped.setdefault(row.activity_id, []).append(row)
    return grouped


def has_sessions() -> Exists:
    """SQL over the activity table: the activity is a weekly class (it has sessions)."""
    return exists().where(col(ActivitySession.activity_id) == col(Activity.id))


def public(rows: list[ActivitySession]) -> list[SessionPublic]:
    return [
        SessionPublic(id=s.id or 0, starts_at=as_utc(s.starts_at), ends_at=as_utc(s.ends_at))
        for s in rows
    ]


def schedule_text(rows: list[ActivitySession]) -> str | None:
    """ "每周二、四 09:00，3月3日至6月30日，共34次" — None for a one-off activity."""
    if not rows:
        return None
    days = sorted({to_local(s.starts_at).isoweekday() for s in rows})
    names = "、".join(WEEKDAY_NAMES[d - 1] for d in days)
    first, last = to_local(rows[0].starts_at), to_local(rows[-1].starts_at)
    return (
        f"每周{names} {first:%H:%M}，{first.month}月{first.day}日至{last.month}月{last.day}日，"
        f"共{len(rows)}次"
    )


def get_session(db: Session, activity: Activity, session_id: int) -> ActivitySession:
    row = db.get(ActivitySession, session_id)
    if row is None or row.activity_id != activity.id:
        raise NotFound("没有找到这次课。")
    return row


def session_on(db: Session, activity: Activity, day: date) -> ActivitySession | None:
    """The session held on this local day, for scanning without choosing a session."""
    for row in sessions_of(db, activity.id or 0):
        if to_local(row.starts_at).date() == day:
            return row
    return None


def attendance_for(db: Session, session_id: int) -> dict[int, bool]:
    rows = db.exec(
        select(SessionAttendance).where(SessionAttendance.session_id == session_id)
    ).all()
    return {r.booking_id: r.attended for r in rows}


def mark(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    session: ActivitySession,
    booking: Booking,
    attended: bool,
) -> bool:
    """Record attendance at one session; returns whether it was already recorded as such.
    Coming to any session makes the booking count as attended (so the retiree may rate)."""
    if booking.status != BookingStatus.confirmed:
        raise BadRequest("只有已报名的才能签到。")
    row = db.exec(
        select(SessionAttendance).where(
            SessionAttendance.session_id == session.id,
            SessionAttendance.booking_id == booking.id,
        )
    ).first()
    before = row.attended if row else None
    if row is None:
        row = SessionAttendance(
            session_id=session.id or 0,
            booking_id=booking.id or 0,
            attended=attended,
            marked_at=clock.now(),
            marked_by_staff_id=staff.id,
        )
    row.attended = attended
    row.marked_at = clock.now()
    row.marked_by_staff_id = staff.id
    db.add(row)
    if attended and booking.attended is not True:
        bookings.record_attendance(db, booking=booking, attended=True)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="booking.session_attendance",
        entity="booking",
        entity_id=booking.id,
        unit_id=booking.unit_id,
        before={"session_id": session.id, "attended": before},
        after={"session_id": session.id, "attended": attended},
    )
    return before == attended


def remind_sessions_tomorrow(db: Session, *, clock: Clock) -> int:
    """The day before each session of a weekly class, once per booking and session. (The
    first session is also the bookable's start, which the generic reminder covers.)"""
    now = clock.now()
    tomorrow = to_local(now).date() + timedelta(days=1)
    start, end = local_day(tomorrow)
    pairs = db.exec(
        select(ActivitySession, Activity)
        .join(Activity, col(Activity.id) == col(ActivitySession.activity_id))
        .where(col(ActivitySession.starts_at) >= start, col(ActivitySession.starts_at) < end)
    ).all()
    by_id = queries.bookables(db, [a.bookable_id for _, a in pairs])
    confirmed = queries.of_status(db, by_id, [BookingStatus.confirmed])
    rows = [
        (session, activity, by_id[activity.bookable_id], booking)
        for session, activity in pairs
        for booking in confirmed
        if booking.bookable_id == activity.bookable_id
        and by_id[activity.bookable_id].status == BookableStatus.open
        and as_utc(session.starts_at) > as_utc(by_id[activity.bookable_id].starts_at)
    ]
    sent = 0
    for session, activity, bookable, booking in rows:
        notice = notices_service.notify(
            db,
            clock=clock,
            retiree_id=booking.retiree_id,
            title="明天有课",
            body=(
                f"明天{format_local(session.starts_at, '%H:%M')}有“{bookable.title}”，"
                f"地点：{activity.place}。来不了也没关系，下次课接着上。"
            ),
            dedupe_key=f"booking:{booking.id}:session:{session.id}:reminder",
            link_page=wording.page_for(booking.retiree_id),
        )
        sent += notice is not None
    return sent
