"""The values bookings' rows hold. StrEnum members compare and store as the same strings the
database already holds, so no migration is needed."""

from __future__ import annotations

from enum import StrEnum


class BookingStatus(StrEnum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


class BookableStatus(StrEnum):
    open = "open"
    cancelled = "cancelled"


class BookableKind(StrEnum):
    activity = "activity"
    meal = "meal"
    ride = "ride"


class BookingEvent(StrEnum):
    """What happened to a booking, for the consumer's notifier to word."""

    confirmed = "confirmed"
    waiting = "waiting"
    promoted = "promoted"
    cancelled_by_staff = "cancelled_by_staff"
    bookable_cancelled = "bookable_cancelled"
    reminder = "reminder"


ACTIVE: tuple[BookingStatus, ...] = (BookingStatus.confirmed, BookingStatus.waitlisted)
