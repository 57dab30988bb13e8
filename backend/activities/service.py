"""Activities: create, browse, sign up through bookings/, roster, attendance, satisfaction."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import audit, units
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    ancestor_ids,
    contains,
    get_scoped,
    staff_actor,
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
from backend.bookings import api as bookings
from backend.bookings import eligibility, queries
from backend.bookings.enums import BookableKind, BookableStatus, BookingStatus
from backend.bookings.status import DEFAULT_LABELS, status_fields
from backend.core import reasons
from backend.core.clock import Clock, as_utc, format_local, from_local, local_day, to_local
from backend.core.errors import BadRequest, NotFound
from backend.core.security import mask_phone
from backend.core.xlsx import Book

if TYPE_CHECKING:
    from backend.bookings.models import Bookable, Booking

KIND = BookableKind.activity
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
    bookable = bookings.create_bookable(
        db,
        clock=clock,
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
    )
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
    found = queries.with_owner(db, Activity, activity_id)
    if found is None:
        raise NotFound("没有找到这个活动。")
    return found


def activity_of(db: Session, bookable_id: int) -> Activity:
    activity = db.exec(select(Activity).where(Activity.bookable_id == bookable_id)).first()
    if activity is None:
        raise NotFound("没有找到这个活动。")
    return activity


def get_in_scope(db: Session, activity_id: int, scope: Unit) -> tuple[Activity, Bookable]:
    get_scoped(db, Activity, activity_id, scope)
    return get(db, activity_id)


def visible_to(
    db: Session, activity_id: int, retiree: Retiree, *, home: Unit | None = None
) -> tuple[Activity, Bookable]:
    """A retiree sees the activities of their own unit and the units above it. `home`: the
    retiree's unit, when the caller has read it."""
    activity, bookable = get(db, activity_id)
    home = home or units.get_unit(db, retiree.unit_id)
    if bookable.unit_id not in ancestor_ids(home):
        raise NotFound("没有找到这个活动。")
    return activity, bookable


def sign_up(
    db: Session,
    *,
    clock: Clock,
    activity_id: int,
    retiree: Retiree,
    quantity: int,
    notes: str | None,
    booked_by: str,
    channel: str,
    idempotency_key: str | None,
) -> tuple[Bookable, bookings.Booked]:
    """A retiree's own (or their family's) sign-up: the activity with its bookable and the
    retiree's unit are each read once, for both the visibility and the eligibility checks."""
    home = units.get_unit(db, retiree.unit_id)
    _, bookable = visible_to(db, activity_id, retiree, home=home)
    booked = bookings.sign_up(
        db,
        clock=clock,
        bookable_id=bookable.id or 0,
        retiree=retiree,
        quantity=quantity,
        notes=notes,
        booked_by=booked_by,
        channel=channel,
        idempotency_key=idempotency_key,
        home=home,
    )
    return bookable, booked


def booked_by_label(value: str) -> str:
    if value.startswith("family"):
        return "家人代报"
    if value.startswith("staff"):
        return "工作人员代报"
    return "本人"


def booking_public(
    db: Session,
    booking: Booking,
    bookable: Bookable,
    retiree_name: str,
    now: datetime,
    *,
    position: int | None | bool = False,
) -> BookingPublic:
    """`position`: the waiting-list position when the caller fetched it in bulk."""
    if position is False:
        position = queries.waitlist_position(db, booking)
    can_cancel = booking.status == BookingStatus.waitlisted or (
        booking.status == BookingStatus.confirmed and now <= as_utc(bookable.cancel_deadline)
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
        status=DEFAULT_LABELS[booking.status],  # the label, kept for older clients
        **status_fields(booking.status),
        waitlist_position=position or None,
        booked_by=booked_by_label(booking.booked_by),
        can_cancel=can_cancel and bookable.status == BookableStatus.open,
        attended=booking.attended,
        rating=booking.rating,
    )


def to_public(
    db: Session,
    activity: Activity,
    bookable: Bookable,
    *,
    now: datetime,
    retiree: Retiree | None = None,
) -> ActivityPublic:
    return to_public_many(db, [(activity, bookable)], now=now, retiree=retiree)[0]


def to_public_many(
    db: Session,
    rows: list[tuple[Activity, Bookable]],
    *,
    now: datetime,
    retiree: Retiree | None = None,
) -> list[ActivityPublic]:
    """The public shape of many activities in a fixed number of queries, whatever their
    number: sessions, waiting counts, the retiree's own bookings and their places in line are
    each read once for the whole list."""
    bookable_ids = [b.id or 0 for _, b in rows]
    by_activity = series.sessions_by_activity(db, [a.id or 0 for a, _ in rows])
    waiting = queries.waiting_counts(db, bookable_ids)
    mine_by_bookable: dict[int, Booking] = {}
    positions: dict[int, int] = {}
    if retiree is not None:
        mine_by_bookable = queries.active_bookings_of(db, retiree.id or 0, bookable_ids)
        positions = queries.waitlist_positions(db, mine_by_bookable.values())
    return [
        _public_one(
            db,
            activity,
            bookable,
            now=now,
            retiree=retiree,
            sessions=by_activity.get(activity.id or 0, []),
            waiting=waiting.get(bookable.id or 0, 0),
            booking=mine_by_bookable.get(bookable.id or 0),
            positions=positions,
        )
        for activity, bookable in rows
    ]


def _public_one(
    db: Session,
    activity: Activity,
    bookable: Bookable,
    *,
    now: datetime,
    retiree: Retiree | None,
    sessions: list[ActivitySession],
    waiting: int,
    booking: Booking | None,
    positions: dict[int, int],
) -> ActivityPublic:
    mine = None
    why_not = None
    if retiree is not None:
        why_not = eligibility.signup_problem(db, bookable, retiree, now)
        if booking is not None:
            position = positions.get(booking.id or 0)
            mine = booking_public(db, booking, bookable, retiree.name, now, position=position)
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
        waitlisted=waiting,
        opens_at=as_utc(bookable.opens_at),
        closes_at=as_utc(bookable.closes_at),
        cancel_deadline=as_utc(bookable.cancel_deadline),
        max_quantity=bookable.max_quantity,
        status="已取消" if bookable.status == BookableStatus.cancelled else "正常",
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
    found = queries.find_bookables(db, kind=KIND, unit_ids=ancestors, starts_after=now)
    rows = _with_activities(db, found, category=category)
    result = to_public_many(db, rows, now=now, retiree=retiree)
    if can_join_only:
        result = [a for a in result if a.can_sign_up]
    return result


def list_in_scope(db: Session, *, clock: Clock, scope: Unit) -> list[ActivityPublic]:
    found = queries.find_bookables(db, kind=KIND, within=scope, newest_first=True, limit=200)
    return to_public_many(db, _with_activities(db, found), now=clock.now())


def _with_activities(
    db: Session, found: list[Bookable], *, category: str | None = None
) -> list[tuple[Activity, Bookable]]:
    """Each bookable beside its activity (one query), in the bookables' order."""
    if not found:
        return []
    query = select(Activity).where(col(Activity.bookable_id).in_([b.id or 0 for b in found]))
    if category:
        query = query.where(Activity.category == category)
    by_bookable = {a.bookable_id: a for a in db.exec(query).all()}
    return [(by_bookable[b.id or 0], b) for b in found if (b.id or 0) in by_bookable]


def roster(db: Session, *, bookable: Bookable) -> list[RosterRow]:
    active = queries.active_of(db, [bookable.id or 0])
    people = {
        r.id: (r, name)
        for r, name in db.exec(
            select(Retiree, Unit.name)
            .join(Unit, col(Unit.id) == col(Retiree.unit_id))
            .where(col(Retiree.id).in_(sorted({b.retiree_id for b in active})))
        ).all()
    }
    rows = [(b, *people[b.retiree_id]) for b in active if b.retiree_id in people]
    position = 0
    result = []
    for booking, retiree, unit_name in rows:
        if booking.status == BookingStatus.waitlisted:
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
                status=DEFAULT_LABELS[booking.status],
                status_code=booking.status,
                waitlist_position=position if booking.status == BookingStatus.waitlisted else None,
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
    booking = queries.booking(db, booking_id)
    bookable = queries.bookable(db, booking.bookable_id) if booking else None
    if booking is None or bookable is None or bookable.kind != KIND:
        raise NotFound("没有找到这条报名。")
    unit = units.get_unit(db, booking.unit_id)
    if not contains(scope, unit):
        raise NotFound("没有找到这条报名。")
    return booking


def mark_attendance(
    db: Session, *, clock: Clock, staff: StaffAccount, booking: Booking, attended: bool
) -> Booking:
    if booking.status != BookingStatus.confirmed:
        raise BadRequest("只有已报名的才能签到。")
    before = {"attended": booking.attended}
    bookings.record_attendance(db, booking=booking, attended=attended)
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
    bookable = queries.bookable(db, booking.bookable_id)
    if bookable is not None and clock.now() < as_utc(bookable.starts_at):
        raise BadRequest(
            f"活动还没开始（{_when(bookable.starts_at)}开始），参加以后才能评价。",
            code="rating_not_open",
        )
    if booking.attended is not True:
        raise BadRequest("参加活动以后才能评价。")
    return bookings.record_rating(db, booking=booking, rating=rating.value, note=note)


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
    reason = reasons.given(reason, "请写取消的原因，会告诉报名的老同志。")
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
    reason = reasons.given(reason, "请写取消的原因。")
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
        after={"status": BookingStatus.cancelled.value, "reason": reason},
    )
    return cancelled
