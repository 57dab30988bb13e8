"""The time a trip holds: every 15-minute slot it touches, for its vehicle and its driver.

`ride_slot` has UNIQUE (resource_kind, resource_id, slot_start): a second trip for the same
vehicle or driver in an overlapping window cannot be written, whatever the code above does and
however many staff dispatch at once. The slots go in inside a SAVEPOINT, so a clash becomes a
clear 409 and the request's transaction (PostgreSQL) stays usable."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.core.clock import as_utc, format_local
from backend.core.errors import Conflict
from backend.rides.models import RideDriver, RideSlot, RideTrip, RideVehicle

SLOT = timedelta(minutes=15)


def starts(start: datetime, end: datetime) -> list[datetime]:
    """Every 15-minute slot that [start, end) touches (Shanghai is UTC+8: slots align)."""
    start = as_utc(start)
    first = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
    result = []
    current = first
    while current < as_utc(end):
        result.append(current)
        current += SLOT
    return result


def _span(start: datetime, end: datetime) -> str:
    return f"{format_local(start, '%m月%d日 %H:%M')}–{format_local(end, '%H:%M')}"


def clash_message(
    db: Session, vehicle: RideVehicle, driver: RideDriver, slots: list[datetime]
) -> str:
    for kind, resource_id in (("vehicle", vehicle.id), ("driver", driver.id)):
        held = db.exec(
            select(RideTrip)
            .join(RideSlot, col(RideSlot.trip_id) == col(RideTrip.id))
            .where(
                RideSlot.resource_kind == kind,
                RideSlot.resource_id == resource_id,
                col(RideSlot.slot_start).in_(slots),
            )
        ).first()
        if held is None:
            continue
        when = _span(held.starts_at, held.ends_at)
        if kind == "vehicle":
            return (
                f"这辆车（{vehicle.plate}）在这段时间已经派出去了（{when}的车次）。"
                "请换一辆车，或换个时间。"
            )
        return f"司机{driver.name}在这段时间已经有车次了（{when}）。请换一位司机，或换个时间。"
    return "这辆车或这位司机在这段时间已经派出去了。请刷新后再试。"


def claim(
    db: Session, trip: RideTrip, vehicle: RideVehicle, driver: RideDriver, slots: list[datetime]
) -> None:
    if not slots:
        return
    try:
        with db.begin_nested():
            for start in slots:
                db.add(
                    RideSlot(
                        trip_id=trip.id or 0,
                        resource_kind="vehicle",
                        resource_id=vehicle.id or 0,
                        slot_start=start,
                    )
                )
                db.add(
                    RideSlot(
                        trip_id=trip.id or 0,
                        resource_kind="driver",
                        resource_id=driver.id or 0,
                        slot_start=start,
                    )
                )
            db.flush()
    except IntegrityError as exc:
        raise Conflict(clash_message(db, vehicle, driver, slots), code="overlap") from exc


def release(db: Session, trip: RideTrip) -> None:
    db.execute(delete(RideSlot).where(col(RideSlot.trip_id) == trip.id))
