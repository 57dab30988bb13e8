"""Book, wait, cancel, promote — one mechanism for activities, meals and rides.

Every change to a bookable's bookings starts by locking its row (an UPDATE of lock_version), so
changes to one bookable are serialised on PostgreSQL and SQLite alike; capacity itself is taken
with a conditional UPDATE (confirmed_count + q ≤ capacity) and guarded by a CHECK constraint."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from backend.accounts import retirees
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, Unit
from backend.accounts.scope import (
    contains,
)
from backend.bookings import messages
from backend.bookings.models import Bookable, Booking
from backend.core.clock import Clock, as_utc, format_local, local_today, to_local
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.notices import service as notices_service

ACTIVE = ("confirmed", "waitlisted")
STATUS_LABELS = {"confirmed": "已报名", "waitlisted": "候补中", "cancelled": "已取消"}


def lock(db: Session, bookable_id: int) -> Bookable:
    result = db.execute(
        sa_update(Bookable)
        .where(col(Bookable.id) == bookable_id)
        .values(lock_version=col(Bookable.lock_version) + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("没有找到这个项目。")
    return db.exec(
        select(Bookable).where(Bookable.id == bookable_id).execution_options(populate_existing=True)
    ).one()


def take(db: Session, bookable_id: int, quantity: int) -> bool:
    """Take `quantity` places if they fit; the caller holds the bookable's lock."""
    result = db.execute(
        sa_update(Bookable)
        .where(
            col(Bookable.id) == bookable_id,
            col(Bookable.confirmed_count) + quantity <= col(Bookable.capacity),
        )
        .values(confirmed_count=col(Bookable.confirmed_count) + quantity)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def release(db: Session, bookable_id: int, quantity: int) -> None:
    """Give places back (the caller then promotes from the waiting list, if it has one)."""
    db.execute(
        sa_update(Bookable)
        .where(col(Bookable.id) == bookable_id)
        .values(confirmed_count=col(Bookable.confirmed_count) - quantity)
        .execution_options(synchronize_session=False)
    )


def eligibility_of(bookable: Bookable) -> dict[str, Any]:
    data = json.loads(bookable.eligibility or "{}")
    return data if isinstance(data, dict) else {}


def why_not_eligible(db: Session, bookable: Bookable, retiree: Retiree, today: date) -> str | None:
    if retiree.status != RetireeStatus.active:
        return "只有在册的老同志可以报名。"
    owner = db.get(Unit, bookable.unit_id)
    home = db.get(Unit, retiree.unit_id)
    if owner is None or home is None or not contains(owner, home):
        return "这个项目只面向本单位的老同志。"
    rules = eligibility_of(bookable)
    if rules.get("categories") and retiree.category not in rules["categories"]:
        return f"这个项目只面向{'、'.join(rules['categories'])}的老同志。"
    if rules.get("care_flags"):
        flags = retirees.care_flags_of(db, [retiree.id or 0]).get(retiree.id or 0, [])
        if not set(flags) & set(rules["care_flags"]):
            return f"这个项目只面向{'、'.join(rules['care_flags'])}的老同志。"
    if rules.get("min_age") and retirees.age_on(retiree.birth_date, today) < rules["min_age"]:
        return f"这个项目只面向{rules['min_age']}岁以上的老同志。"
    return None


def signup_problem(db: Session, bookable: Bookable, retiree: Retiree, now: datetime) -> str | None:
    """Why this retiree cannot sign up now, in words for them; None when they can."""
    if bookable.status != "open":
        return "这个项目已取消。"
    if now < as_utc(bookable.opens_at):
        return f"还没开始报名，{format_local(bookable.opens_at)}开始。"
    if now > as_utc(bookable.closes_at):
        return "报名已截止。"
    return why_not_eligible(db, bookable, retiree, to_local(now).date())


def active_booking(db: Session, bookable_id: int, retiree_id: int) -> Booking | None:
    return db.exec(
        select(Booking).where(
            Booking.bookable_id == bookable_id,
            Booking.retiree_id == retiree_id,
            col(Booking.status).in_(ACTIVE),
        )
    ).first()


def book(
    db: Session,
    *,
    clock: Clock,
    bookable_id: int,
    retiree: Retiree,
    quantity: int,
    notes: str | None,
    booked_by: str,
    channel: str,
    idempotency_key: str | None,
) -> Booking:
    """Confirm if there is room, else put on the waiting list. A repeat with the same key
    returns the first booking.

    Everything that does not depend on the other bookings (who may book, the windows) is
    checked before the bookable's row is locked, so the lock — which every sign-up for the same
    thing queues on — is held only for the few statements that must be serialised."""
    current = db.get(Bookable, bookable_id)
    if current is None:
        raise NotFound("没有找到这个项目。")
    repeat = _repeat(db, bookable_id, retiree, idempotency_key)
    if repeat is not None:
        return repeat
    now = clock.now()
    problem = signup_problem(db, current, retiree, now)
    if problem:
        raise BadRequest(problem, code="cannot_book")
    if not 1 <= quantity <= current.max_quantity:
        raise BadRequest(f"每次最多报{current.max_quantity}人。", code="bad_quantity")
    bookable = lock(db, bookable_id)
    repeat = _repeat(db, bookable_id, retiree, idempotency_key)
    if repeat is not None:
        return repeat
    if bookable.status != "open":
        raise BadRequest("这个项目已取消。", code="cannot_book")
    if active_booking(db, bookable_id, retiree.id or 0) is not None:
        raise Conflict("您已经报过了，不用再报。可以在“我的预约”里查看。", code="already_booked")
    booking = Booking(
        bookable_id=bookable_id,
        retiree_id=retiree.id or 0,
        unit_id=retiree.unit_id,
        quantity=quantity,
        notes=(notes or "").strip() or None,
        status="waitlisted",
        booked_by=booked_by,
        channel=channel,
        idempotency_key=idempotency_key,
        created_at=now,
    )
    if take(db, bookable_id, quantity):
        booking.status = "confirmed"
        booking.confirmed_at = now
    db.add(booking)
    db.flush()
    _tell(db, clock, bookable, booking, "confirmed" if booking.status == "confirmed" else "waiting")
    return booking


def _repeat(
    db: Session, bookable_id: int, retiree: Retiree, idempotency_key: str | None
) -> Booking | None:
    """The booking an earlier request with this key made, if any."""
    if not idempotency_key:
        return None
    repeat = db.exec(
        select(Booking).where(
            Booking.bookable_id == bookable_id, Booking.idempotency_key == idempotency_key
        )
    ).first()
    if repeat is not None and repeat.retiree_id != retiree.id:
        raise Conflict("这次请求的编号已被用过，请重新打开页面再报。", code="key_reused")
    return repeat


def waitlist_position(db: Session, booking: Booking) -> int | None:
    if booking.status != "waitlisted":
        return None
    ahead = db.exec(
        select(Booking.id).where(
            Booking.bookable_id == booking.bookable_id,
            Booking.status == "waitlisted",
            col(Booking.id) < booking.id,
        )
    ).all()
    return len(ahead) + 1


def promote(db: Session, *, clock: Clock, bookable: Bookable) -> list[Booking]:
    """Fill free places from the waiting list, first come first, skipping anyone whose
    quantity does not fit. Call with the bookable locked."""
    if bookable.status != "open" or clock.now() >= as_utc(bookable.starts_at):
        return []
    promoted = []
    waiting = db.exec(
        select(Booking)
        .where(Booking.bookable_id == bookable.id, Booking.status == "waitlisted")
        .order_by(col(Booking.id))
    ).all()
    for booking in waiting:
        if take(db, bookable.id or 0, booking.quantity):
            booking.status = "confirmed"
            booking.confirmed_at = booking.promoted_at = clock.now()
            db.add(booking)
            promoted.append(booking)
            _tell(db, clock, bookable, booking, "promoted")
    return promoted


def cancel(
    db: Session,
    *,
    clock: Clock,
    booking: Booking,
    by: str,
    reason: str | None = None,
    by_staff: bool = False,
) -> Booking:
    """Cancel a booking, leave the waiting list, or decline a promotion. The freed places go to
    the waiting list at once."""
    bookable = lock(db, booking.bookable_id)
    booking = db.exec(
        select(Booking).where(Booking.id == booking.id).execution_options(populate_existing=True)
    ).one()
    if booking.status == "cancelled":
        return booking
    now = clock.now()
    was_confirmed = booking.status == "confirmed"
    if was_confirmed and not by_staff and now > as_utc(bookable.cancel_deadline):
        raise BadRequest(
            f"已过取消时间（{format_local(bookable.cancel_deadline)}）。"
            "如确实去不了，请打电话告诉工作人员。",
            code="too_late_to_cancel",
        )
    booking.status = "cancelled"
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.cancel_reason = reason
    db.add(booking)
    if was_confirmed:
        release(db, bookable.id or 0, booking.quantity)
        db.flush()
        promote(db, clock=clock, bookable=bookable)
    if by_staff:
        _tell(db, clock, bookable, booking, "cancelled_by_staff")
    return booking


def set_capacity(db: Session, *, clock: Clock, bookable_id: int, capacity: int) -> Bookable:
    bookable = lock(db, bookable_id)
    if capacity < bookable.confirmed_count:
        raise BadRequest(
            f"已经确认了{bookable.confirmed_count}个名额，名额不能少于这个数。", code="below_booked"
        )
    bookable.capacity = capacity
    bookable.updated_at = clock.now()
    db.add(bookable)
    db.flush()
    promote(db, clock=clock, bookable=bookable)
    db.flush()
    db.refresh(bookable)
    return bookable


def cancel_bookable(db: Session, *, clock: Clock, bookable_id: int, reason: str, by: str) -> int:
    """Staff call the whole thing off: every booking ends and everyone is told."""
    bookable = lock(db, bookable_id)
    if bookable.status == "cancelled":
        return 0
    now = clock.now()
    bookable.status = "cancelled"
    bookable.cancel_reason = reason
    bookable.updated_at = now
    affected = db.exec(
        select(Booking).where(Booking.bookable_id == bookable_id, col(Booking.status).in_(ACTIVE))
    ).all()
    for booking in affected:
        booking.status = "cancelled"
        booking.cancelled_at = now
        booking.cancelled_by = by
        booking.cancel_reason = reason
        db.add(booking)
        _tell(db, clock, bookable, booking, "bookable_cancelled")
    bookable.confirmed_count = 0
    db.add(bookable)
    return len(affected)


def _tell(db: Session, clock: Clock, bookable: Bookable, booking: Booking, event: str) -> None:
    title, body = messages.message(bookable.kind, event)
    text = body.format(
        title=bookable.title,
        when=format_local(bookable.starts_at, "%m月%d日 %H:%M"),
        deadline=format_local(bookable.cancel_deadline, "%m月%d日 %H:%M"),
        position=waitlist_position(db, booking) or 1,
        reason=booking.cancel_reason or bookable.cancel_reason or "未说明",
    )
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=booking.retiree_id,
        title=title,
        body=text,
        dedupe_key=f"booking:{booking.id}:{event}",
        link_page=messages.page_for(bookable.kind, booking.retiree_id),
    )


def remind_tomorrow(db: Session, *, clock: Clock, kinds: tuple[str, ...]) -> int:
    """The day-before reminder for every confirmed booking of things starting tomorrow."""
    tomorrow = local_today(clock).toordinal() + 1
    sent = 0
    rows = db.exec(
        select(Bookable, Booking)
        .join(Booking, col(Booking.bookable_id) == col(Bookable.id))
        .where(
            col(Bookable.kind).in_(kinds),
            Bookable.status == "open",
            Booking.status == "confirmed",
            col(Bookable.starts_at) > clock.now(),
        )
    ).all()
    for bookable, booking in rows:
        if to_local(bookable.starts_at).date().toordinal() != tomorrow:
            continue
        title, body = messages.message(bookable.kind, "reminder")
        text = body.format(
            title=bookable.title,
            time=format_local(bookable.starts_at, "%H:%M"),
            deadline=format_local(bookable.cancel_deadline, "%m月%d日 %H:%M"),
        )
        notice = notices_service.notify(
            db,
            clock=clock,
            retiree_id=booking.retiree_id,
            title=title,
            body=text,
            dedupe_key=f"booking:{booking.id}:reminder",
            link_page=messages.page_for(bookable.kind, booking.retiree_id),
        )
        sent += notice is not None
    return sent
