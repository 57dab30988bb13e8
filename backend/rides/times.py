"""Small shared rules: wall-clock times, seats a request takes, the retiree's cancel deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.core.clock import as_utc
from backend.rides.models import RideRequest

# Retirees (and family) may cancel in the mini-program until this long before the pickup;
# after it they phone the staff, who may cancel at any time.
CANCEL_BEFORE = timedelta(hours=2)


def seats_of(ride: RideRequest) -> int:
    """The passengers, plus one seat for the companion the centre sends when one is needed."""
    return ride.passengers + (1 if ride.companion_needed else 0)


def cancel_deadline(ride: RideRequest) -> datetime:
    return as_utc(ride.pickup_at) - CANCEL_BEFORE
