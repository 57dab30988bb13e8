"""Activities: create, browse, sign up through bookings/, roster, attendance, satisfaction."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from backend.accounts import audit, units
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    ancestor_ids,
    get_scoped,
    staff_actor,
    unit_in,
)
from backend.activities import series
from backend.activities.models import Activity, ActivitySession
from backend.activities.schemas import (
    ActivityIn,
    ActivityPublic,
    BookingPublic,
    Rating,
    RosterRow,
)
from backend.bookings import service as bookings
from backend.bookings.models import Bookable, Booking
from backend.core.clock import Clock, as_utc, format_local, from_local, local_day, to_local
from backend.core.errors import BadRequest, NotFound
from backend.core.security import mask_phone
from backend.core.xlsx import Book

KIND = "activity"
SIGN_IN_EARLY = timedelta(hours=2)  # the sign-in code works from two hours before the start


def _aware(value: datetime | None) -> datetime | None:
    """Times without a zone are Shanghai wall-clock times, as staff type them."""
    return from_local(value) if value is not None else None


def create(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: ActivityIn
) -> Activity:
    unit = get_scoped(db, Unit, data.unit_id, scope) if data.unit_id else scope
    now = clock.now()
    starts_at = _aware(data.starts_at)
    assert starts_at is not None
    if starts_at <= now:
        raise BadRequest("开始时间应在现在之后。")
    ends_at = _aware(data.ends_at)
    sessions: list[tuple[datetime, datetime]] = []
    if data.weekly:
        duration = (ends_at - starts_at) if ends_at else timedelta(hours=2)
        sessions = series.plan(first_start=starts_at, duration=duration, weekly=data.weekly)
        starts_at, ends_at = sessions[0][0], sessions[-1][1]
    bookable = Bookable(
        kind=KIND,
        unit_id=unit.id or 0,
        title=data.title.strip(),
        capacity=data.capacity,
        starts_at=starts_at,
        ends_at=ends_at,
        opens_at=_aware(data.opens_at) or now,
        closes_at=_aware(data.closes_at) or starts_at,
        cancel_deadline=_aware(data.cancel_deadline) or max(now, starts_at - timedelta(days=1)),
        max_quantity=data.max_quantity,
        eligibility=data.eligibility.model_dump_json(exclude_defaults=True),
        created_by_staff_id=staff.id,
        created_at=now,
        updated_at=now,
    )
    db.add(bookable)
    db.flush()
    activity = Activity(
        bookable_id=bookable.id or 0,
        category=data.category.value,
        description=data.description.strip(),
        place=data.place.strip(),
        accessibility=data.accessibility,
        cost=data.cost,
    )
    db.add(activity)
    db.flush()
    if sessions:
        series.add_sessions(db, activity_id=activity.id or 0, sessions=sessions)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="activity.create",
        entity="activity",
        entity_id=activity.id,
        unit_id=bookable.unit_id,
        after={
            "title": bookable.title,
            "capacity": bookable.capacity,
            "starts_at": starts_at,
            "sessions": len(sessions) or None,
        },
    )
    return activity


def get(db: Session, activity_id: int) -> tuple[Activity, Bookable]:
    activity = db.get(Activity, activity_id)
    bookable = db.get(Bookable, activity.bookable_id) if activity else None
    if activity is None or bookable is None:
        raise NotFound("没有找到这个活动。")
    return activity, bookable


def activity_of(db: Session, bookable_id: int) -> Activity:
    activity = db.exec(select(Activity).where(Activity.bookable_id == bookable_id)).first()
    if activity is None:
        raise NotFound("没有找到这个活动。")
    return activity


def get_in_scope(db: Session, activity_id: int, scope: Unit) -> tuple[Activity, Bookable]:
    get_scoped(db, Activity, activity_id, scope)
    return get(db, activity_id)


def visible_to(db: Session, activity_id: int, retiree: Retiree) -> tuple[Activity, Bookable]:
    """A retiree sees the activities of their own unit and the units above it."""
    activity, bookable = get(db, activity_id)
    if bookable.unit_id not in ancestor_ids(units.get_unit(db, retiree.unit_id)):
        raise NotFound("没有找到这个活动。")
    return activity, bookable


def booked_by_label(value: str) -> str:
    if value.startswith("family"):
        return "家人代报"
    if value.startswith("staff"):
        return "工作人员代报"
    return "本人"


def booking_public(
    db: Session, booking: Booking, bookable: Bookable, retiree_name: str, now: datetime
) -> BookingPublic:
    can_cancel = booking.status == "waitlisted" or (
        booking.status == "confirmed" and now <= as_utc(bookable.cancel_deadline)
    )
    return BookingPublic(
        id=booking.id or 0,
        bookable_id=bookable.id or 0,
        kind=bookable.kind,
        title=bookable.title,
        starts_at=as_utc(bookable.starts_at),
        retiree_id=booking.retiree_id,
        retiree_name=retiree_name,
        quantity=booking.quantity,
        notes=booking.notes,
        status=bookings.STATUS_LABELS[booking.status],
        status_code=booking.status,
        waitlist_position=bookings.waitlist_position(db, booking),
        booked_by=booked_by_label(booking.booked_by),
        can_cancel=can_cancel and bookable.status == "open",
        attended=booking.attended,
        rating=booking.rating,
    )


def _waiting_count(db: Session, bookable_id: int) -> int:
    return int(
        db.exec(
            select(func.count())
            .select_from(Booking)
            .where(Booking.bookable_id == bookable_id, Booking.status == "waitlisted")
        ).one()
    )


def to_public(
    db: Session,
    activity: Activity,
    bookable: Bookable,
    *,
    now: datetime,
    retiree: Retiree | None = None,
    sessions: list[ActivitySession] | None = None,
) -> ActivityPublic:
    """`sessions`: the activity's sessions when the caller fetched them in bulk."""
    if sessions is None:
        sessions = series.sessions_of(db, activity.id or 0)
    mine = None
    why_not = None
    if retiree is not None:
        why_not = bookings.signup_problem(db, bookable, retiree, now)
        booking = bookings.active_booking(db, bookable.id or 0, retiree.id or 0)
        if booking is not None:
            mine = booking_public(db, booking, bookable, retiree.name, now)
            why_not = "您已经报过了。"
    return ActivityPublic(
        id=activity.id or 0,
        bookable_id=bookable.id or 0,
        category=activity.category,
        title=bookable.title,
        description=activity.description,
        place=activity.place,
        starts_at=as_utc(bookable.starts_at),
        ends_at=as_utc(bookable.ends_at) if bookable.ends_at else None,
        capacity=bookable.capacity,
        confirmed=bookable.confirmed_count,
        remaining=max(0, bookable.capacity - bookable.confirmed_count),
        waitlisted=_waiting_count(db, bookable.id or 0),
        opens_at=as_utc(bookable.opens_at),
        closes_at=as_utc(bookable.closes_at),
        cancel_deadline=as_utc(bookable.cancel_deadline),
        max_quantity=bookable.max_quantity,
        status="已取消" if bookable.status == "cancelled" else "正常",
        accessibility=activity.accessibility,
        cost=activity.cost,
        can_sign_up=retiree is not None and why_not is None,
        why_not=why_not,
        my_booking=mine,
        has_photo=bool(activity.photo_path),
        schedule=series.schedule_text(sessions),
        sessions=series.public(sessions),
    )


def upcoming_for(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    category: str | None = None,
    can_join_only: bool = False,
) -> list[ActivityPublic]:
    ancestors = ancestor_ids(units.get_unit(db, retiree.unit_id))
    now = clock.now()
    query = (
        select(Activity, Bookable)
        .join(Bookable, col(Bookable.id) == col(Activity.bookable_id))
        .where(col(Bookable.unit_id).in_(ancestors), col(Bookable.starts_at) > now)
        .order_by(col(Bookable.starts_at))
    )
    if category:
        query = query.where(Activity.category == category)
    rows = db.exec(query).all()
    by_activity = series.sessions_by_activity(db, [a.id or 0 for a, _ in rows])
    result = [
        to_public(db, a, b, now=now, retiree=retiree, sessions=by_activity.get(a.id or 0, []))
        for a, b in rows
    ]
    if can_join_only:
        result = [a for a in result if a.can_sign_up]
    return result


def list_in_scope(db: Session, *, clock: Clock, scope: Unit) -> list[ActivityPublic]:
    now = clock.now()
    rows = db.exec(
        select(Activity, Bookable)
        .join(Bookable, col(Bookable.id) == col(Activity.bookable_id))
        .where(unit_in(Bookable.unit_id, scope))
        .order_by(col(Bookable.starts_at).desc())
        .limit(200)
    ).all()
    by_activity = series.sessions_by_activity(db, [a.id or 0 for a, _ in rows])
    return [to_public(db, a, b, now=now, sessions=by_activity.get(a.id or 0, [])) for a, b in rows]


def roster(db: Session, *, bookable: Bookable) -> list[RosterRow]:
    rows = db.exec(
        select(Booking, Retiree, Unit.name)
        .join(Retiree, col(Retiree.id) == col(Booking.retiree_id))
        .join(Unit, col(Unit.id) == col(Retiree.unit_id))
        .where(Booking.bookable_id == bookable.id, col(Booking.status).in_(bookings.ACTIVE))
        .order_by(col(Booking.status), col(Booking.id))
    ).all()
    position = 0
    result = []
    for booking, retiree, unit_name in rows:
        if booking.status == "waitlisted":
            position += 1
        result.append(
            RosterRow(
                booking_id=booking.id or 0,
                retiree_id=retiree.id or 0,
                retiree_name=retiree.name,
                unit_name=unit_name,
                phone_masked=mask_phone(retiree.phone),
                quantity=booking.quantity,
                notes=booking.notes,
                status=bookings.STATUS_LABELS[booking.status],
                waitlist_position=position if booking.status == "waitlisted" else None,
                booked_by=booked_by_label(booking.booked_by),
                attended=booking.attended,
                rating=booking.rating,
            )
        )
    return result


def export_xlsx(db: Session, *, bookable: Bookable, activity: Activity) -> bytes:
    book = Book("报名名单")
    sheet = book.first
    sheet.append([bookable.title, activity.place, format_local(bookable.starts_at)])
    sheet.append(["姓名", "单位", "人数", "状态", "候补序号", "报名方式", "备注", "签到", "评价"])
    for row in roster(db, bookable=bookable):
        sheet.append(
            [
                row.retiree_name,
                row.unit_name,
                row.quantity,
                row.status,
                row.waitlist_position or "",
                row.booked_by,
                row.notes or "",
                {True: "到了", False: "没来", None: ""}[row.attended],
                row.rating or "",
            ]
        )
    return book.to_bytes()


def get_booking_in_scope(db: Session, booking_id: int, scope: Unit) -> Booking:
    booking = get_scoped(db, Booking, booking_id, scope, missing="没有找到这条报名。")
    bookable = db.get(Bookable, booking.bookable_id)
    if bookable is None or bookable.kind != KIND:
        raise NotFound("没有找到这条报名。")
    return booking


def mark_attendance(
    db: Session, *, clock: Clock, staff: StaffAccount, booking: Booking, attended: bool
) -> Booking:
    if booking.status != "confirmed":
        raise BadRequest("只有已报名的才能签到。")
    before = {"attended": booking.attended}
    booking.attended = attended
    db.add(booking)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="booking.attendance",
        entity="booking",
        entity_id=booking.id,
        unit_id=booking.unit_id,
        before=before,
        after={"attended": attended},
    )
    return booking


def _when(value: datetime) -> str:
    local = to_local(value)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def check_sign_in_window(
    *, starts_at: datetime, ends_at: datetime | None, now: datetime, what: str = "活动"
) -> None:
    """A sign-in code works from two hours before the start to the end (a one-off without an
    end: to the end of its day). `what` is 活动 or 这次课 for a weekly class's session."""
    start = as_utc(starts_at)
    end = as_utc(ends_at) if ends_at is not None else local_day(to_local(start).date())[1]
    opens = start - SIGN_IN_EARLY
    if now < opens:
        raise BadRequest(
            f"还没到签到时间。{what}{_when(start)}开始，签到从{_when(opens)}开始（开始前2小时）。",
            code="sign_in_not_open",
        )
    if now > end:
        raise BadRequest(
            f"{what}已经结束了，不能再扫码签到。要补记到场，请在名单上点“到了”。",
            code="sign_in_closed",
        )


def rate(
    db: Session, *, clock: Clock, booking: Booking, rating: Rating, note: str | None
) -> Booking:
    bookable = db.get(Bookable, booking.bookable_id)
    if bookable is not None and clock.now() < as_utc(bookable.starts_at):
        raise BadRequest(
            f"活动还没开始（{_when(bookable.starts_at)}开始），参加以后才能评价。",
            code="rating_not_open",
        )
    if booking.attended is not True:
        raise BadRequest("参加活动以后才能评价。")
    booking.rating = rating.value
    booking.rating_note = (note or "").strip() or None
    db.add(booking)
    return booking


def eligibility_text(bookable: Bookable) -> str:
    rules = json.loads(bookable.eligibility or "{}")
    parts = []
    if rules.get("categories"):
        parts.append("、".join(rules["categories"]))
    if rules.get("care_flags"):
        parts.append("、".join(rules["care_flags"]))
    if rules.get("min_age"):
        parts.append(f"{rules['min_age']}岁以上")
    return "；".join(parts) or "本单位所有在册老同志"


# ---- staff actions (each audited) -----------------------------------------------------------


def staff_set_capacity(
    db: Session, *, clock: Clock, staff: StaffAccount, bookable: Bookable, capacity: int
) -> Bookable:
    before = {"capacity": bookable.capacity}
    updated = bookings.set_capacity(
        db, clock=clock, bookable_id=bookable.id or 0, capacity=capacity
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="activity.capacity",
        entity="activity",
        entity_id=bookable.id,
        unit_id=bookable.unit_id,
        before=before,
        after={"capacity": capacity},
    )
    return updated


def staff_cancel_activity(
    db: Session, *, clock: Clock, staff: StaffAccount, bookable: Bookable, reason: str
) -> int:
    count = bookings.cancel_bookable(
        db, clock=clock, bookable_id=bookable.id or 0, reason=reason, by=staff_actor(staff).label
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="activity.cancel",
        entity="activity",
        entity_id=bookable.id,
        unit_id=bookable.unit_id,
        after={"reason": reason, "bookings_cancelled": count},
    )
    return count


def staff_signup(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    bookable: Bookable,
    retiree_id: int,
    quantity: int,
    notes: str | None,
    channel: str,
    idempotency_key: str | None,
) -> Booking:

    retiree = get_scoped(db, Retiree, retiree_id, scope)
    booking = bookings.book(
        db,
        clock=clock,
        bookable_id=bookable.id or 0,
        retiree=retiree,
        quantity=quantity,
        notes=notes,
        booked_by=staff_actor(staff).label,
        channel=channel,
        idempotency_key=idempotency_key,
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="booking.create",
        entity="booking",
        entity_id=booking.id,
        unit_id=booking.unit_id,
        after={"bookable": bookable.title, "status": booking.status, "channel": channel},
    )
    return booking


def staff_cancel_booking(
    db: Session, *, clock: Clock, staff: StaffAccount, booking: Booking, reason: str
) -> Booking:
    before = {"status": booking.status}
    cancelled = bookings.cancel(
        db, clock=clock, booking=booking, by=staff_actor(staff).label, reason=reason, by_staff=True
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="booking.cancel",
        entity="booking",
        entity_id=booking.id,
        unit_id=booking.unit_id,
        before=before,
        after={"status": "cancelled", "reason": reason},
    )
    return cancelled
