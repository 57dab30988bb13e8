"""Activities as both doors show them: the public shape of an activity and of a booking, the
roster, who may sign up — one presentation for the mini-program, the staff API and the console."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlmodel import Session

from backend.accounts import directory, retirees
from backend.accounts.models import Retiree, Unit
from backend.accounts.scope import UnitPlace
from backend.activities import series
from backend.activities.models import Activity, ActivitySession
from backend.activities.schemas import ActivityPublic, BookingPublic, RosterRow
from backend.bookings import eligibility, queries
from backend.bookings import status as booking_status
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.bookings.status import DEFAULT_LABELS, status_fields
from backend.core.clock import as_utc
from backend.core.security import mask_phone

if TYPE_CHECKING:
    from backend.bookings.models import Bookable, Booking
    from backend.bookings.rows import BookableFields, BookingFields


class ActivityFields(Protocol):
    """What the public shape reads of an activity: a loaded `Activity` or a listing's row."""

    @property
    def id(self) -> int | None: ...
    @property
    def category(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def accessibility(self) -> str | None: ...
    @property
    def cost(self) -> str | None: ...
    @property
    def photo_path(self) -> str | None: ...


def booked_by_label(value: str) -> str:
    if value.startswith("family"):
        return "家人代报"
    if value.startswith("staff"):
        return "工作人员代报"
    return "本人"


def booking_public(
    db: Session,
    booking: BookingFields,
    bookable: BookableFields,
    retiree_name: str,
    now: datetime,
    *,
    position: int | None | bool = False,
) -> BookingPublic:
    """`position`: the waiting-list position when the caller fetched it in bulk."""
    if position is False:
        position = queries.waitlist_position(db, booking)
    can_cancel = booking_status.can_cancel(
        booking.status, deadline=as_utc(bookable.cancel_deadline), now=now
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
    home: Unit | None = None,
) -> list[ActivityPublic]:
    """The public shape of many activities in a fixed number of queries, whatever their
    number: sessions, waiting counts, the retiree's own bookings and their places in line, the
    retiree's unit and care flags are each read once for the whole list (`home`: the retiree's
    unit, when the caller has read it)."""
    bookable_ids = [b.id or 0 for _, b in rows]
    by_activity = series.sessions_by_activity(db, [a.id or 0 for a, _ in rows])
    waiting = queries.waiting_counts(db, bookable_ids)
    mine_by_bookable: dict[int, Booking] = {}
    positions: dict[int, int] = {}
    facts: _RetireeFacts | None = None
    if retiree is not None:
        mine_by_bookable = queries.active_bookings_of(db, retiree.id or 0, bookable_ids)
        positions = queries.waitlist_positions(db, mine_by_bookable.values())
        facts = _RetireeFacts.read(db, retiree, [b for _, b in rows], home)
    result = []
    for activity, bookable in rows:
        booking = mine_by_bookable.get(bookable.id or 0)
        result.append(
            _public_one(
                db,
                activity,
                bookable,
                now=now,
                retiree=retiree,
                sessions=by_activity.get(activity.id or 0, []),
                waiting=waiting.get(bookable.id or 0, 0),
                booking=booking,
                position=positions.get(booking.id or 0) if booking is not None else None,
                facts=facts,
            )
        )
    return result


def to_public_listed(
    db: Session,
    listed: list[queries.Listed[ActivityFields]],
    *,
    now: datetime,
    retiree: Retiree,
    home: UnitPlace | None = None,
) -> list[ActivityPublic]:
    """A retiree's list as one `queries.listing` read it (waiting counts, their own bookings
    and places in line already there; `extra[0]`: whether the activity has sessions): the
    sessions are read only when a weekly class is listed, the care flags only when a rule
    needs them."""
    weekly = [item.owner.id or 0 for item in listed if item.extra[0]]
    by_activity = series.sessions_by_activity(db, weekly)
    facts = _RetireeFacts.read(db, retiree, [item.bookable for item in listed], home)
    return [
        _public_one(
            db,
            item.owner,
            item.bookable,
            now=now,
            retiree=retiree,
            sessions=by_activity.get(item.owner.id or 0, []),
            waiting=item.waiting,
            booking=item.mine,
            position=item.position,
            facts=facts,
        )
        for item in listed
    ]


@dataclass(frozen=True)
class _RetireeFacts:
    """What every item's eligibility check reads about the retiree, read once for the list."""

    home: UnitPlace | None
    care_flags: list[str] | None

    @classmethod
    def read(
        cls,
        db: Session,
        retiree: Retiree,
        bookables: Sequence[BookableFields],
        home: UnitPlace | None,
    ) -> _RetireeFacts:
        if bookables and (home is None or home.id != retiree.unit_id):
            home = directory.unit(db, retiree.unit_id)
        flags = None
        if any(eligibility.eligibility_of(b).get("care_flags") for b in bookables):
            rid = retiree.id or 0
            flags = retirees.care_flags_of(db, [rid]).get(rid, [])
        return cls(home=home, care_flags=flags)


def _public_one(
    db: Session,
    activity: ActivityFields,
    bookable: BookableFields,
    *,
    now: datetime,
    retiree: Retiree | None,
    sessions: list[ActivitySession],
    waiting: int,
    booking: BookingFields | None,
    position: int | None,
    facts: _RetireeFacts | None,
) -> ActivityPublic:
    mine = None
    why_not = None
    if retiree is not None:
        why_not = eligibility.signup_problem(
            db,
            bookable,
            retiree,
            now,
            home=facts.home if facts else None,
            care_flags=facts.care_flags if facts else None,
        )
        if booking is not None:
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


def roster(db: Session, *, bookable: Bookable) -> list[RosterRow]:
    active = queries.active_of(db, [bookable.id or 0])
    people = directory.people(db, {b.retiree_id for b in active})
    rows = [(b, people[b.retiree_id]) for b in active if b.retiree_id in people]
    position = 0
    result = []
    for booking, person in rows:
        if booking.status == BookingStatus.waitlisted:
            position += 1
        result.append(
            RosterRow(
                booking_id=booking.id or 0,
                retiree_id=person.id,
                retiree_name=person.name,
                unit_name=person.unit_name,
                phone_masked=mask_phone(person.phone),
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
