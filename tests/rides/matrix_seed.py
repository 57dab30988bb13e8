"""What the access matrix needs for rides, on retiree A's side of the world: a vehicle, a
driver and a destination of 第一军休所, a spare vehicle and driver, a recurring ride whose first
date is dispatched on a trip, and an open request half an hour later."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.rides import dispatch, fleet, requests
from backend.rides.schemas import DestinationIn, DriverIn, RepeatIn, RideIn, VehicleIn

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def seed_rides(db: Session, *, retiree_id: int, staff_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    scope = db.get(Unit, unit_id)
    retiree = db.get(Retiree, retiree_id)
    assert staff is not None and scope is not None and retiree is not None
    common: dict[str, Any] = {"clock": clock, "staff": staff, "scope": scope}
    vehicle = fleet.create_vehicle(db, **common, data=VehicleIn(plate="京M00001", seats=6))
    spare = fleet.create_vehicle(db, **common, data=VehicleIn(plate="京M00002", seats=4))
    driver = fleet.create_driver(db, **common, data=DriverIn(name="周师傅", phone="13900000001"))
    other = fleet.create_driver(db, **common, data=DriverIn(name="吴师傅", phone="13900000002"))
    place = fleet.create_destination(
        db, **common, data=DestinationIn(name="北京医院", address="东单大华路1号")
    )
    first = requests.create(
        db,
        clock=clock,
        retiree=retiree,
        data=RideIn(
            retiree_id=retiree_id,
            destination_id=place.id,
            pickup_at=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
            repeat=RepeatIn(weekdays=[2], until=date(2026, 3, 17)),
        ),
        requested_by="self",
    )
    trip = dispatch.dispatch(
        db,
        **common,
        request_ids=[first.id or 0],
        vehicle_id=vehicle.id or 0,
        driver_id=driver.id or 0,
    )
    open_ride = requests.create(
        db,
        clock=clock,
        retiree=retiree,
        data=RideIn(
            retiree_id=retiree_id,
            destination_text="社区医院",
            pickup_at=datetime(2026, 3, 10, 1, 30, tzinfo=UTC),
            confirm_duplicate=True,  # a second ride half an hour later, on purpose
        ),
        requested_by="self",
    )
    return {
        "ride_id": first.id or 0,
        "series_id": first.series_id or 0,
        "trip_id": trip.id or 0,
        "vehicle_id": vehicle.id or 0,
        "driver_id": driver.id or 0,
        "destination_id": place.id or 0,
        "open_ride_id": open_ride.id or 0,
        "spare_vehicle_id": spare.id or 0,
        "spare_driver_id": other.id or 0,
    }
