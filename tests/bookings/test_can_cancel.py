"""When a booking can be given up: the one rule activities and meals both show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.bookings.enums import BookingStatus
from backend.bookings.status import can_cancel

DEADLINE = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


def test_a_waiting_place_can_always_be_given_up() -> None:
    assert can_cancel(BookingStatus.waitlisted, deadline=DEADLINE, now=DEADLINE + timedelta(days=3))


def test_a_confirmed_place_until_the_deadline_and_not_after() -> None:
    assert can_cancel(BookingStatus.confirmed, deadline=DEADLINE, now=DEADLINE)
    assert not can_cancel(
        BookingStatus.confirmed, deadline=DEADLINE, now=DEADLINE + timedelta(seconds=1)
    )


def test_a_cancelled_booking_cannot_be_cancelled_again() -> None:
    assert not can_cancel(
        BookingStatus.cancelled, deadline=DEADLINE, now=DEADLINE - timedelta(days=1)
    )
