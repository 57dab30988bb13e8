"""Telling the retiree what happened to a booking, in the words of the consumer's notifier."""

from __future__ import annotations

from sqlmodel import Session

from backend.bookings import notifier, queries
from backend.bookings.enums import BookingEvent
from backend.bookings.models import Bookable, Booking
from backend.core.clock import Clock, local_today, to_local
from backend.notices import service as notices_service


def tell(
    db: Session,
    clock: Clock,
    bookable: Bookable,
    booking: Booking,
    event: BookingEvent,
    *,
    position: int | None = None,
) -> None:
    """Write the message as a notice (one outbox row, expanded after the commit).
    `position`: the waiting-list place when the caller has counted it."""
    words = notifier.for_kind(bookable.kind)
    if words is None:
        return
    if event == BookingEvent.waiting and position is None:
        position = queries.waitlist_position(db, booking)
    facts = facts_of(
        bookable,
        position=(position or 1) if event == BookingEvent.waiting else 1,
        reason=booking.cancel_reason,
    )
    message = words.message(event, facts, booking.retiree_id)
    if message is None:
        return
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=booking.retiree_id,
        title=message.title,
        body=message.body,
        dedupe_key=f"booking:{booking.id}:{event}",
        link_page=message.link_page,
    )


def facts_of(
    bookable: Bookable, *, position: int | str, reason: str | None = None
) -> notifier.Facts:
    """What a message about this bookable may mention. `position`: the place in line (a str
    when the database fills it in, one_trip.py); `reason`: the booking's own, if it has one."""
    return notifier.Facts(
        title=bookable.title,
        starts_at=bookable.starts_at,
        cancel_deadline=bookable.cancel_deadline,
        position=position,
        reason=reason or bookable.cancel_reason or "未说明",
    )


def remind_tomorrow(db: Session, *, clock: Clock, kinds: tuple[str, ...]) -> int:
    """The day-before reminder for every confirmed booking of things starting tomorrow."""
    tomorrow = local_today(clock).toordinal() + 1
    sent = 0
    for bookable, booking in queries.confirmed_upcoming(db, kinds=kinds, after=clock.now()):
        if to_local(bookable.starts_at).date().toordinal() != tomorrow:
            continue
        words = notifier.for_kind(bookable.kind)
        facts = facts_of(bookable, position=1)
        message = words.message(BookingEvent.reminder, facts, booking.retiree_id) if words else None
        if message is None:
            continue
        notice = notices_service.notify(
            db,
            clock=clock,
            retiree_id=booking.retiree_id,
            title=message.title,
            body=message.body,
            dedupe_key=f"booking:{booking.id}:reminder",
            link_page=message.link_page,
        )
        sent += notice is not None
    return sent
