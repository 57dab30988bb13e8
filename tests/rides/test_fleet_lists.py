"""The fleet lists behind the console's 车辆和司机 page, as a service on the suite's database
(SQLite, then PostgreSQL): its page is tried in the browser only once."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.rides import fleet
from backend.rides.enums import FleetKind
from backend.rides.schemas import DestinationIn, DriverIn, VehicleIn
from tests.factories import World


def test_lists_stay_in_scope_and_out_of_use_items_can_be_left_out(
    engine: Engine, clock: FrozenClock, world: World
) -> None:
    with transaction(engine) as db:
        for staff, scope in ((world.staff1, world.unit1), (world.staff2, world.unit2)):
            fleet.create_vehicle(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=VehicleIn(plate=f"京A{scope.id}", seats=5),
            )
            fleet.create_driver(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=DriverIn(name="赵师傅", phone="13700000000"),
            )
            fleet.create_destination(
                db,
                clock=clock,
                staff=staff,
                scope=scope,
                data=DestinationIn(name="人民医院", address="健康路1号"),
            )
    with transaction(engine) as db:
        vehicle = fleet.vehicles(db, world.unit1)[0]
        item = fleet.item_in_scope(db, FleetKind.vehicles, vehicle.id or 0, world.unit1)
        fleet.set_active(db, clock=clock, staff=world.staff1, item=item, active=False)
    with transaction(engine) as db:
        assert [v.plate for v in fleet.vehicles(db, world.unit1)] == [f"京A{world.unit1.id}"]
        assert fleet.vehicles(db, world.unit1, active_only=True) == []
        assert len(fleet.vehicles(db, world.centre, active_only=True)) == 1
        assert [d.name for d in fleet.drivers(db, world.unit2, active_only=True)] == ["赵师傅"]
        assert len(fleet.destinations(db, world.centre)) == 2
        assert len(fleet.destinations(db, world.unit1, active_only=True)) == 1
