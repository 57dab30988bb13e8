"""Small shared rules: wall-clock times, seats a request takes, the retiree's cancel deadline."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from backend.core.clock import SHANGHAI, as_utc
from backend.rides.models import RideRequest

# Retirees (and family) may cancel in the mini-program until this long before the pickup;
# after it they phone the staff, who may cancel at any time.
CANCEL_BEFORE = timedelta(hours=2)


def aware(value: datetime | None) -> datetime | None:
    """Times without a zone are Shanghai wall-clock times, as people type them."""
    if value is None:
        return None
    return as_utc(value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value)


def seats_of(ride: RideRequest) -> int:
    """The passengers, plus one seat for the companion the centre sends when one is needed."""
    return ride.passengers + (1 if ride.companion_needed else 0)


def cancel_deadline(ride: RideRequest) -> datetime:
    return as_utc(ride.pickup_at) - CANCEL_BEFORE


def local_day(day: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a Shanghai calendar day."""
    start = datetime.combine(day, time(0, 0), tzinfo=SHANGHAI)
    return as_utc(start), as_utc(start + timedelta(days=1))
