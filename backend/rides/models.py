"""Rides (约车): what staff keep (vehicles, drivers, common destinations), what retirees ask
for (requests, recurring series) and what staff dispatch (trips).

A trip is a Bookable (kind="ride", capacity = the vehicle's seats); each request on it holds a
Booking for its seats, so seats are never oversold. A trip also claims every 15-minute slot it
covers for its vehicle and its driver in `ride_slot`; the unique index there refuses a vehicle
or driver in two overlapping trips, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.accounts.scope import declare
from backend.core.types import UTCDateTime


class RideDestination(SQLModel, table=True):
    __tablename__ = "ride_destination"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=60)
    address: str = Field(max_length=200)
    kind: str = Field(default="医院", max_length=6)  # 医院 / 其他
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class RideVehicle(SQLModel, table=True):
    __tablename__ = "ride_vehicle"
    __table_args__ = (CheckConstraint("seats >= 1", name="ck_ride_vehicle_seats"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    plate: str = Field(max_length=12, unique=True)
    description: str = Field(default="", max_length=60)
    seats: int
    wheelchair: bool = False
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class RideDriver(SQLModel, table=True):
    __tablename__ = "ride_driver"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=30)
    phone: str = Field(max_length=30)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class RideSeries(SQLModel, table=True):
    """A recurring ride (dialysis twice a week): its requests are all created up front."""

    __tablename__ = "ride_series"

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    weekdays: str = Field(max_length=20)  # "2,5" (ISO: Monday = 1)
    until: date
    created_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RideTrip(SQLModel, table=True):
    """A vehicle and a driver for a time window, carrying one or more requests.

    status: active / done / cancelled. A cancelled trip has released its slots."""

    __tablename__ = "ride_trip"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_ride_trip_window"),)

    id: int | None = Field(default=None, primary_key=True)
    bookable_id: int = Field(foreign_key="bookable.id", unique=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    vehicle_id: int = Field(foreign_key="ride_vehicle.id", index=True)
    driver_id: int = Field(foreign_key="ride_driver.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="active", sa_type=String(12))
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_account.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class RideSlot(SQLModel, table=True):
    """One 15-minute slot of a vehicle's or a driver's time, held by one trip."""

    __tablename__ = "ride_slot"
    __table_args__ = (
        UniqueConstraint("resource_kind", "resource_id", "slot_start", name="uq_ride_slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trip_id: int = Field(foreign_key="ride_trip.id", index=True)
    resource_kind: str = Field(sa_type=String(8))  # vehicle / driver
    resource_id: int
    slot_start: datetime = Field(sa_type=UTCDateTime)


class RideRequest(SQLModel, table=True):
    """status: requested (已申请) / dispatched (已派车) / completed (已完成) /
    cancelled (已取消) / unarranged (无法安排)."""

    __tablename__ = "ride_request"
    __table_args__ = (
        UniqueConstraint("retiree_id", "idempotency_key", name="uq_ride_request_idempotency"),
        CheckConstraint("passengers >= 1 AND passengers <= 4", name="ck_ride_request_passengers"),
        Index("ix_ride_request_unit_pickup", "unit_id", "pickup_at"),
        Index("ix_ride_request_status_pickup", "status", "pickup_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    retiree_id: int = Field(foreign_key="retiree.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    series_id: int | None = Field(default=None, foreign_key="ride_series.id", index=True)
    pickup_address: str = Field(max_length=200)
    destination_id: int | None = Field(default=None, foreign_key="ride_destination.id")
    destination: str = Field(max_length=260)  # a snapshot: "name（address）" or the free text
    pickup_at: datetime = Field(sa_type=UTCDateTime)
    return_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    passengers: int = 1
    wheelchair: bool = False
    companion_needed: bool = False
    notes: str | None = Field(default=None, max_length=200)
    status: str = Field(default="requested", sa_type=String(12))
    status_reason: str | None = Field(default=None, max_length=200)
    cancelled_by: str | None = Field(default=None, max_length=40)
    requested_by: str = Field(max_length=40)  # self / family:<binding id> / staff:<id>
    idempotency_key: str | None = Field(default=None, max_length=64)
    trip_id: int | None = Field(default=None, foreign_key="ride_trip.id", index=True)
    booking_id: int | None = Field(default=None, foreign_key="booking.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# How a row maps to a staff member's scope (backend/accounts/scope.py).
declare(RideRequest, missing="没有找到这次用车。")
declare(RideTrip, missing="没有找到这个车次。")
declare(RideVehicle, missing="没有找到这个车辆。")
declare(RideDriver, missing="没有找到这个司机。")
declare(RideDestination, missing="没有找到这个常去地点。")
