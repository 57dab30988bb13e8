"""What staff keep for rides: vehicles, drivers and common destinations, per unit subtree.

Every write is audited."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.accounts import audit, units
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    WRONG_UNIT,
    ancestor_ids,
    contains,
    get_scoped,
    unit_in,
)
from backend.core.clock import Clock
from backend.core.errors import BadRequest, Conflict
from backend.rides.enums import FleetKind
from backend.rides.models import RideDestination, RideDriver, RideVehicle
from backend.rides.schemas import (
    DestinationIn,
    DestinationPatch,
    DriverIn,
    DriverPatch,
    VehicleIn,
    VehiclePatch,
)

T = TypeVar("T", RideVehicle, RideDriver, RideDestination)
FleetItem = RideVehicle | RideDriver | RideDestination

_NAMES: dict[type, str] = {RideVehicle: "车辆", RideDriver: "司机", RideDestination: "常去地点"}
_ENTITIES: dict[type, str] = {
    RideVehicle: "ride_vehicle",
    RideDriver: "ride_driver",
    RideDestination: "ride_dest",
}


def _unit_for(db: Session, scope: Unit, unit_id: int | None) -> Unit:
    unit = units.get_unit(db, unit_id) if unit_id else scope
    if not contains(scope, unit):
        raise BadRequest(WRONG_UNIT)
    return unit


def list_in_scope(
    db: Session, model: type[T], scope: Unit, *, active_only: bool = False
) -> list[T]:
    query = select(model).where(unit_in(model.unit_id, scope)).order_by(col(model.id))
    if active_only:
        query = query.where(model.active == True)  # noqa: E712
    return list(db.exec(query).all())


def vehicles(db: Session, scope: Unit, *, active_only: bool = False) -> list[RideVehicle]:
    return list_in_scope(db, RideVehicle, scope, active_only=active_only)


def drivers(db: Session, scope: Unit, *, active_only: bool = False) -> list[RideDriver]:
    return list_in_scope(db, RideDriver, scope, active_only=active_only)


def destinations(db: Session, scope: Unit, *, active_only: bool = False) -> list[RideDestination]:
    return list_in_scope(db, RideDestination, scope, active_only=active_only)


_MODELS: dict[FleetKind, type[Any]] = {
    FleetKind.vehicles: RideVehicle,
    FleetKind.drivers: RideDriver,
    FleetKind.destinations: RideDestination,
}
_PATCHES: dict[type, type[VehiclePatch | DriverPatch | DestinationPatch]] = {
    RideVehicle: VehiclePatch,
    RideDriver: DriverPatch,
    RideDestination: DestinationPatch,
}


def item_in_scope(db: Session, kind: FleetKind, item_id: int, scope: Unit) -> FleetItem:
    """The vehicle, driver or destination with this id, if it is inside the scope."""
    item: FleetItem = get_scoped(db, _MODELS[kind], item_id, scope)
    return item


def set_active(
    db: Session, *, clock: Clock, staff: StaffAccount, item: FleetItem, active: bool
) -> FleetItem:
    """Put an item in use or out of use (audited like any other change)."""
    patch = _PATCHES[type(item)](active=active)
    changed: FleetItem = update(db, clock=clock, staff=staff, item=cast(Any, item), patch=patch)
    return changed


def _audit(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    item: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity=_ENTITIES[type(item)],
        entity_id=item.id,
        unit_id=item.unit_id,
        before=before,
        after=after,
    )


def create_vehicle(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: VehicleIn
) -> RideVehicle:
    unit = _unit_for(db, scope, data.unit_id)
    plate = data.plate.strip().upper().replace(" ", "")
    vehicle = RideVehicle(
        unit_id=unit.id or 0,
        plate=plate,
        description=data.description.strip(),
        seats=data.seats,
        wheelchair=data.wheelchair,
        created_at=clock.now(),
    )
    try:
        with db.begin_nested():
            db.add(vehicle)
            db.flush()
    except IntegrityError as exc:
        raise Conflict(f"车牌{plate}已经登记过了。", code="plate_taken") from exc
    _audit(db, clock, staff, vehicle, "ride_vehicle.create", None, vehicle.model_dump())
    return vehicle


def create_driver(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: DriverIn
) -> RideDriver:
    unit = _unit_for(db, scope, data.unit_id)
    driver = RideDriver(
        unit_id=unit.id or 0,
        name=data.name.strip(),
        phone=data.phone.strip(),
        created_at=clock.now(),
    )
    db.add(driver)
    db.flush()
    _audit(db, clock, staff, driver, "ride_driver.create", None, {"name": driver.name})
    return driver


def create_destination(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: DestinationIn
) -> RideDestination:
    unit = _unit_for(db, scope, data.unit_id)
    destination = RideDestination(
        unit_id=unit.id or 0,
        name=data.name.strip(),
        address=data.address.strip(),
        kind=data.kind.value,
        created_at=clock.now(),
    )
    db.add(destination)
    db.flush()
    after = {"name": destination.name, "address": destination.address}
    _audit(db, clock, staff, destination, "ride_dest.create", None, after)
    return destination


def update(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    item: T,
    patch: VehiclePatch | DriverPatch | DestinationPatch,
) -> T:
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        raise BadRequest("没有要修改的内容。")
    before = {k: getattr(item, k) for k in changes}
    for key, value in changes.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    db.add(item)
    db.flush()
    after = {k: getattr(item, k) for k in changes}
    if isinstance(item, RideDriver) and "phone" in changes:
        before["phone"], after["phone"] = "***", "***"
    action = f"{_ENTITIES[type(item)]}.update"
    _audit(db, clock, staff, item, action, before, after)
    return item


def destinations_for(db: Session, retiree: Retiree) -> list[RideDestination]:
    """The active common destinations of the retiree's unit and the units above it."""
    ancestors = ancestor_ids(units.get_unit(db, retiree.unit_id))
    return list(
        db.exec(
            select(RideDestination)
            .where(col(RideDestination.unit_id).in_(ancestors), RideDestination.active == True)  # noqa: E712
            .order_by(col(RideDestination.kind).desc(), col(RideDestination.id))
        ).all()
    )


def destination_for(db: Session, retiree: Retiree, destination_id: int) -> RideDestination:
    for destination in destinations_for(db, retiree):
        if destination.id == destination_id:
            return destination
    raise BadRequest("这个地点不在常去地点里了，请重新选择，或直接写上地址。")
