"""The statuses rides' rows hold (the same strings as before: no migration)."""

from __future__ import annotations

from enum import StrEnum


class RideStatus(StrEnum):
    requested = "requested"
    dispatched = "dispatched"
    completed = "completed"
    cancelled = "cancelled"
    unarranged = "unarranged"


class TripStatus(StrEnum):
    active = "active"
    done = "done"
    cancelled = "cancelled"


OPEN: tuple[RideStatus, ...] = (RideStatus.requested, RideStatus.dispatched)


class FleetKind(StrEnum):
    """What the fleet keeps, as the console's addresses name it (/fleet/vehicles …)."""

    vehicles = "vehicles"
    drivers = "drivers"
    destinations = "destinations"
