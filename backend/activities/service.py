"""Activities: create, browse, sign up through bookings/, roster, attendance, satisfaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from backend.accounts import audit, units
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    ancestor_ids,
    contains,
    get_scoped,
    staff_actor,
    unit_alias,
)
from backend.activities import series, views
from backend.activities.models import Activity
from backend.activities.schemas import (
    ActivityIn,
    ActivityPublic,
    Rating,
)
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableKind, BookingStatus
from backend.core import reasons
from backend.core.clock import Clock, as_utc, format_local, from_local, local_day, to_local
from backend.core.errors import BadRequest, NotFound
from backend.core.xlsx import Book
from backend.satisfaction import service as satisfaction
from backend.satisfaction.schemas import Score, Source

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
    commits_next: bool = False,
) -> tuple[Bookable, bookings.Booked]:
    """A retiree's own (or their family's) sign-up: the activity with its bookable, the
    retiree's unit and whether they booked it already are read in one query, for the
    visibility, eligibility and idempotency checks. `commits_next`: as bookings.sign_up's."""
    found = queries.for_sign_up(
        db,
        Activity,
        activity_id,
        home_id=retiree.unit_id,
        retiree_id=retiree.id or 0,
        key=idempotency_key,
    )
    if found is None:
        raise NotFound("没有找到这个活动。")
    _, bookable, home, maybe_earlier = found
    if home is None:
        raise NotFound("没有找到这个单位。")
    if bookable.unit_id not in ancestor_ids(home):
        raise NotFound("没有找到这个活动。")
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
        maybe_earlier=maybe_earlier,
        commits_next=commits_next,
    )
    return bookable, booked


# A retiree's list in one statement (built once: see queries.listing): the activities of their
# unit and the units above it, each with whether it is a weekly class and the retiree's unit
# (the sign-up checks read it).
_HOME = unit_alias("home")
_LISTING = queries.listing(
    Activity, series.has_sessions(), queries.Fields("home", _HOME, ("id", "path")), home=_HOME
)
_LISTING_OF_CATEGORY = _LISTING.where(col(Activity.category) == bindparam("category"))


def upcoming_for(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    category: str | None = None,
    can_join_only: bool = False,
) -> list[ActivityPublic]:
    now = clock.now()
    params: dict[str, Any] = {"home_unit_id": retiree.unit_id}
    if category:
        params["category"] = category
    listed = queries.read_listing(
        db,
        _LISTING_OF_CATEGORY if category else _LISTING,
        kind=KIND,
        starts_after=now,
        retiree_id=retiree.id,
        **params,
    )
    home = listed[0].extra[1] if listed else None
    result = views.to_public_listed(db, listed, now=now, retiree=retiree, home=home)
    if can_join_only:
        result = [a for a in result if a.can_sign_up]
    return result


def list_in_scope(db: Session, *, clock: Clock, scope: Unit) -> list[ActivityPublic]:
    found = queries.find_bookables(db, kind=KIND, within=scope, newest_first=True, limit=200)
    return views.to_public_many(db, _with_activities(db, found), now=clock.now())


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


def export_xlsx(db: Session, *, bookable: Bookable, activity: Activity) -> bytes:
    book = Book("报名名单")
    sheet = book.first
    sheet.append([bookable.title, activity.place, format_local(bookable.starts_at)])
    sheet.append(["姓名", "单位", "人数", "状态", "候补序号", "报名方式", "备注", "签到", "评价"])
    for row in views.roster(db, bookable=bookable):
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


# The activity page's three answers on the one scale every rating uses (satisfaction/).
SCORES = {Rating.good: Score.good, Rating.fair: Score.fair, Rating.poor: Score.poor}


def rate(
    db: Session,
    *,
    clock: Clock,
    booking: Booking,
    rating: Rating,
    note: str | None,
    by: str = "self",
) -> Booking:
    bookable = queries.bookable(db, booking.bookable_id)
    if bookable is not None and clock.now() < as_utc(bookable.starts_at):
        raise BadRequest(
            f"活动还没开始（{_when(bookable.starts_at)}开始），参加以后才能评价。",
            code="rating_not_open",
        )
    if booking.attended is not True:
        raise BadRequest("参加活动以后才能评价。")
    satisfaction.record_rating(
        db,
        clock=clock,
        source=Source.activity,
        source_id=booking.id or 0,
        retiree_id=booking.retiree_id,
        unit_id=booking.unit_id,
        score=SCORES[rating],
        comment=note,
        by=by,
        label=bookable.title if bookable is not None else "活动",
    )
    return bookings.record_rating(db, booking=booking, rating=rating.value, note=note)


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
