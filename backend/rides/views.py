"""Shaping rides, trips and run sheets for replies and pages (loading related rows in batches)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.accounts.models import Unit
from backend.accounts.scope import unit_in
from backend.bookings import queries
from backend.core.clock import Clock, as_utc, local_day
from backend.rides.enums import OPEN, RideStatus, TripStatus
from backend.rides.models import RideDriver, RideRequest, RideTrip, RideVehicle
from backend.rides.schemas import (
    STATUS_LABELS,
    DriverOut,
    RidePublic,
    RunSheet,
    RunSheetStop,
    StaffRide,
    TripPublic,
    VehicleOut,
)
from backend.rides.times import cancel_deadline, seats_of

REQUESTED_BY = {"self": "本人", "family": "家人代约", "staff": "工作人员代约"}


def _by_id(db: Session, model: type[Any], ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.exec(select(model).where(col(model.id).in_(ids))).all()
    return {row.id: row for row in rows}


def _crew(db: Session, rides: Sequence[RideRequest]) -> dict[int, tuple[RideVehicle, RideDriver]]:
    trips = _by_id(db, RideTrip, {r.trip_id for r in rides if r.trip_id})
    vehicles = _by_id(db, RideVehicle, {t.vehicle_id for t in trips.values()})
    drivers = _by_id(db, RideDriver, {t.driver_id for t in trips.values()})
    return {trip_id: (vehicles[t.vehicle_id], drivers[t.driver_id]) for trip_id, t in trips.items()}


def _fields(
    ride: RideRequest, crew: tuple[RideVehicle, RideDriver] | None, now: datetime
) -> dict[str, Any]:
    vehicle, driver = crew if crew else (None, None)
    return {
        "id": ride.id or 0,
        "pickup_address": ride.pickup_address,
        "destination": ride.destination,
        "pickup_at": as_utc(ride.pickup_at),
        "return_at": as_utc(ride.return_at) if ride.return_at else None,
        "passengers": ride.passengers,
        "wheelchair": ride.wheelchair,
        "companion_needed": ride.companion_needed,
        "notes": ride.notes,
        "status": STATUS_LABELS[ride.status],
        "status_code": ride.status,
        "status_label": STATUS_LABELS[ride.status],
        "status_reason": ride.status_reason,
        "vehicle": VehicleOut(plate=vehicle.plate, description=vehicle.description)
        if vehicle
        else None,
        "driver": DriverOut(name=driver.name, phone=driver.phone) if driver else None,
        "can_cancel": ride.status in OPEN and now <= cancel_deadline(ride),
        "series_id": ride.series_id,
    }


def public_many(db: Session, rides: Sequence[RideRequest], *, clock: Clock) -> list[RidePublic]:
    crew = _crew(db, rides)
    now = clock.now()
    return [RidePublic(**_fields(r, crew.get(r.trip_id or 0), now)) for r in rides]


def public_one(db: Session, ride: RideRequest, *, clock: Clock) -> RidePublic:
    return public_many(db, [ride], clock=clock)[0]


def requested_by_label(value: str) -> str:
    return REQUESTED_BY.get(value.split(":", 1)[0], value)


def staff_many(db: Session, rides: Sequence[RideRequest], *, clock: Clock) -> list[StaffRide]:
    crew = _crew(db, rides)
    people = directory.people(db, {r.retiree_id for r in rides})
    unit_names = directory.unit_names(db, {r.unit_id for r in rides})
    now = clock.now()
    result = []
    for ride in rides:
        person = people[ride.retiree_id]
        result.append(
            StaffRide(
                **_fields(ride, crew.get(ride.trip_id or 0), now),
                retiree_id=ride.retiree_id,
                retiree_name=person.name,
                retiree_phone=person.phone,
                unit_name=unit_names[ride.unit_id],
                seats=seats_of(ride),
                trip_id=ride.trip_id,
                requested_by=requested_by_label(ride.requested_by),
                cancelled_by=ride.cancelled_by,
                created_at=as_utc(ride.created_at),
            )
        )
    return result


def trip_status_label(trip: RideTrip, now: datetime) -> str:
    """What a trip is doing at `now`: a dispatched trip is 待出发 until it starts, 进行中 while
    its window is open, 待确认完成 after its end until staff mark its rides done."""
    if trip.status == TripStatus.done:
        return "已完成"
    if trip.status == TripStatus.cancelled:
        return "已取消"
    if now < as_utc(trip.starts_at):
        return "待出发"
    if now < as_utc(trip.ends_at):
        return "进行中"
    return "待确认完成"


def run_sheet(
    db: Session, *, clock: Clock, scope: Unit, day: date, driver_id: int | None
) -> RunSheet:
    """The day's trips in time order with every pickup, phone and need on them."""
    now = clock.now()
    start, end = local_day(day)
    query = (
        select(RideTrip)
        .where(
            unit_in(RideTrip.unit_id, scope),
            col(RideTrip.starts_at) >= start,
            col(RideTrip.starts_at) < end,
            RideTrip.status != TripStatus.cancelled,
        )
        .order_by(col(RideTrip.starts_at), col(RideTrip.id))
    )
    if driver_id is not None:
        query = query.where(RideTrip.driver_id == driver_id)
    trips = db.exec(query).all()
    trip_ids = [t.id for t in trips]
    rides = db.exec(
        select(RideRequest)
        .where(
            col(RideRequest.trip_id).in_(trip_ids),
            col(RideRequest.status).in_((RideStatus.dispatched, RideStatus.completed)),
        )
        .order_by(col(RideRequest.pickup_at), col(RideRequest.id))
    ).all()
    people = directory.people(db, {r.retiree_id for r in rides})
    vehicles = _by_id(db, RideVehicle, {t.vehicle_id for t in trips})
    drivers = _by_id(db, RideDriver, {t.driver_id for t in trips})
    bookables = queries.bookables(db, {t.bookable_id for t in trips})
    result = []
    for trip in trips:
        vehicle, driver = vehicles[trip.vehicle_id], drivers[trip.driver_id]
        stops = [
            RunSheetStop(
                ride_id=r.id or 0,
                retiree_name=people[r.retiree_id].name,
                retiree_phone=people[r.retiree_id].phone,
                pickup_address=r.pickup_address,
                pickup_at=as_utc(r.pickup_at),
                destination=r.destination,
                return_at=as_utc(r.return_at) if r.return_at else None,
                passengers=r.passengers,
                seats=seats_of(r),
                wheelchair=r.wheelchair,
                companion_needed=r.companion_needed,
                notes=r.notes,
                status=STATUS_LABELS[r.status],
            )
            for r in rides
            if r.trip_id == trip.id
        ]
        result.append(
            TripPublic(
                id=trip.id or 0,
                vehicle_id=vehicle.id or 0,
                driver_id=driver.id or 0,
                vehicle=VehicleOut(plate=vehicle.plate, description=vehicle.description),
                driver=DriverOut(name=driver.name, phone=driver.phone),
                wheelchair_vehicle=vehicle.wheelchair,
                starts_at=as_utc(trip.starts_at),
                ends_at=as_utc(trip.ends_at),
                seats=vehicle.seats,
                seats_taken=bookables[trip.bookable_id].confirmed_count,
                status=trip_status_label(trip, now),
                stops=stops,
            )
        )
    return RunSheet(date=day, trips=result)
