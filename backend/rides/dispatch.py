"""Dispatch: a trip (vehicle + driver + time window) carrying one or more ride requests.

Two things are kept by the database, not by checks in Python:
- seats: a trip is a Bookable (kind="ride", capacity = the vehicle's seats) and each request on
  it holds a confirmed Booking for its seats, taken with the bookings mechanism (row lock +
  conditional UPDATE + CHECK constraint), so a vehicle is never overfilled;
- time: a trip claims every 15-minute slot it covers for its vehicle and its driver in
  `ride_slot` (UNIQUE resource_kind, resource_id, slot_start), so a vehicle or a driver can never
  be in two overlapping trips. The slots are inserted in a SAVEPOINT: a clash is a clear 409 and
  the request's transaction stays usable (PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from backend.accounts import audit, directory
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import get_scoped, staff_actor
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableKind, BookingStatus
from backend.core import reasons
from backend.core.clock import Clock, as_utc, from_local, to_local
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.rides import messages, slots
from backend.rides.enums import OPEN, RideStatus, TripStatus
from backend.rides.models import RideDriver, RideRequest, RideTrip, RideVehicle
from backend.rides.times import seats_of
from backend.satisfaction import service as satisfaction
from backend.satisfaction.schemas import Source

if TYPE_CHECKING:
    from backend.bookings.models import Booking

KIND = BookableKind.ride
AFTER_LAST = timedelta(hours=1)  # default trip end: one hour after the last pickup or return
LONGEST_TRIP = timedelta(hours=14)


def lock_ride(db: Session, ride_id: int) -> RideRequest:
    """Lock a request's row and read it fresh, so two people changing it at once (staff
    dispatching while the retiree cancels) are serialised and the second sees the first's
    result."""
    db.execute(
        sa_update(RideRequest)
        .where(col(RideRequest.id) == ride_id)
        .values(updated_at=col(RideRequest.updated_at))
        .execution_options(synchronize_session=False)
    )
    ride = db.exec(
        select(RideRequest)
        .where(RideRequest.id == ride_id)
        .execution_options(populate_existing=True)
    ).first()
    if ride is None:
        raise NotFound("没有找到这次用车。")
    return ride


def _free_trip(db: Session, clock: Clock, trip: RideTrip, reason: str) -> None:
    slots.release(db, trip)
    trip.status = TripStatus.cancelled
    db.add(trip)
    bookings.cancel_bookable(
        db, clock=clock, bookable_id=trip.bookable_id, reason=reason[:200], by="system"
    )


def _take_seats(db: Session, clock: Clock, trip: RideTrip, ride: RideRequest) -> Booking:
    seats = seats_of(ride)
    booking = bookings.take_places(
        db,
        clock=clock,
        bookable_id=trip.bookable_id,
        retiree_id=ride.retiree_id,
        unit_id=ride.unit_id,
        quantity=seats,
        notes=ride.notes,
        booked_by=ride.requested_by,
        channel="工作人员派车",
    )
    if booking is None:
        bookable = queries.bookable(db, trip.bookable_id)
        assert bookable is not None
        free = bookable.capacity - bookable.confirmed_count
        raise Conflict(
            f"车上坐不下了：还剩{free}个座位，这一位要{seats}个（含陪同）。"
            "请换一辆大一点的车，或分两趟。",
            code="no_seats",
        )
    return booking


def release(db: Session, *, clock: Clock, ride: RideRequest, by: str, reason: str | None) -> None:
    """Take a dispatched request off its trip: its seats go back, and a trip with nobody left
    on it frees its vehicle's and driver's time."""
    if ride.trip_id is None:
        return
    trip = db.get(RideTrip, ride.trip_id)
    assert trip is not None
    booking = queries.booking(db, ride.booking_id) if ride.booking_id else None
    if booking is not None and booking.status == BookingStatus.confirmed:
        # staff-side cancel: no deadline; rides tells the retiree in its own words
        bookings.cancel(
            db, clock=clock, booking=booking, by=by, reason=reason, by_staff=True, quiet=True
        )
    ride.trip_id = None
    db.add(ride)
    db.flush()
    left = set(db.exec(select(RideRequest.status).where(RideRequest.trip_id == trip.id)).all())
    if not left & {RideStatus.dispatched, RideStatus.completed}:
        _free_trip(db, clock, trip, reason or "没有乘客了")
    elif RideStatus.dispatched not in left:
        trip.status = TripStatus.done
        db.add(trip)


def _check_rides(
    db: Session, clock: Clock, scope: Unit, request_ids: list[int], vehicle: RideVehicle
) -> list[RideRequest]:

    rides = []
    for ride_id in sorted(set(request_ids)):  # one lock order: no deadlock between dispatchers
        get_scoped(db, RideRequest, ride_id, scope)
        rides.append(lock_ride(db, ride_id))
    now = clock.now()
    names = directory.retiree_names(db, {r.retiree_id for r in rides})
    for ride in rides:
        name = names.get(ride.retiree_id, "这位老同志")
        if ride.status != RideStatus.requested:
            raise BadRequest(f"{name}的这次用车已经不是“已申请”了，请刷新后再派。")
        if as_utc(ride.pickup_at) <= now:
            raise BadRequest(f"{name}的上车时间已经过了，不能再派车。")
        if ride.wheelchair and not vehicle.wheelchair:
            raise BadRequest(
                f"{name}要坐轮椅，这辆车（{vehicle.plate}）不能放轮椅。请换一辆能放轮椅的车。",
                code="needs_wheelchair",
            )
    return rides


def _window(
    rides: list[RideRequest], starts_at: datetime | None, ends_at: datetime | None
) -> tuple[datetime, datetime]:
    start = from_local(starts_at) if starts_at else min(as_utc(r.pickup_at) for r in rides)
    end = (
        from_local(ends_at)
        if ends_at
        else max(as_utc(r.return_at or r.pickup_at) for r in rides) + AFTER_LAST
    )
    if end <= start:
        raise BadRequest("车次的结束时间应晚于开始时间。")
    if end - start > LONGEST_TRIP:
        raise BadRequest("一个车次最长14小时。请分成几个车次。")
    for ride in rides:
        if not start <= as_utc(ride.pickup_at) < end or (
            ride.return_at is not None and as_utc(ride.return_at) > end
        ):
            raise BadRequest("车次的时间要包括每个人的上车时间和回程时间，请改一下开始或结束时间。")
    return start, end


def _resources(
    db: Session, scope: Unit, vehicle_id: int, driver_id: int
) -> tuple[RideVehicle, RideDriver]:
    vehicle = get_scoped(db, RideVehicle, vehicle_id, scope)
    driver = get_scoped(db, RideDriver, driver_id, scope)
    if not vehicle.active:
        raise BadRequest(f"车辆{vehicle.plate}已停用，请换一辆。")
    if not driver.active:
        raise BadRequest(f"司机{driver.name}已停用，请换一位。")
    return vehicle, driver


def _assign(
    db: Session,
    clock: Clock,
    trip: RideTrip,
    ride: RideRequest,
    vehicle: RideVehicle,
    driver: RideDriver,
) -> None:
    booking = _take_seats(db, clock, trip, ride)
    ride.trip_id = trip.id
    ride.booking_id = booking.id
    ride.status = RideStatus.dispatched
    ride.updated_at = clock.now()
    db.add(ride)
    db.flush()
    messages.tell(
        db,
        clock=clock,
        ride=ride,
        event="dispatched",
        vehicle=vehicle,
        driver=driver,
        key_suffix=f":{trip.id}",
    )


def dispatch(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    request_ids: list[int],
    vehicle_id: int,
    driver_id: int,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> RideTrip:
    """A new trip for these requests: refused if the vehicle or driver is already out in an
    overlapping window, if a wheelchair does not fit, or if the seats do not suffice."""
    vehicle, driver = _resources(db, scope, vehicle_id, driver_id)
    rides = _check_rides(db, clock, scope, request_ids, vehicle)
    start, end = _window(rides, starts_at, ends_at)
    now = clock.now()
    bookable = bookings.create_bookable(
        db,
        clock=clock,
        kind=KIND,
        unit_id=vehicle.unit_id,
        title=f"{vehicle.plate} {driver.name}",
        capacity=vehicle.seats,
        starts_at=start,
        ends_at=end,
        opens_at=now,
        closes_at=end,
        cancel_deadline=start,
        max_quantity=vehicle.seats,
        created_by_staff_id=staff.id,
    )
    trip = RideTrip(
        bookable_id=bookable.id or 0,
        unit_id=vehicle.unit_id,
        vehicle_id=vehicle.id or 0,
        driver_id=driver.id or 0,
        starts_at=start,
        ends_at=end,
        created_by_staff_id=staff.id,
        created_at=now,
    )
    db.add(trip)
    db.flush()
    slots.claim(db, trip, vehicle, driver, slots.starts(start, end))
    for ride in rides:
        _assign(db, clock, trip, ride, vehicle, driver)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="ride.dispatch",
        entity="ride_trip",
        entity_id=trip.id,
        unit_id=trip.unit_id,
        after={
            "vehicle": vehicle.plate,
            "driver": driver.name,
            "starts_at": start,
            "ends_at": end,
            "requests": [r.id for r in rides],
        },
    )
    return trip


def add_to_trip(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    trip_id: int,
    request_ids: list[int],
) -> RideTrip:
    """More requests on an existing trip; its window grows (claiming more slots) if needed."""
    trip = get_scoped(db, RideTrip, trip_id, scope)
    if trip.status != TripStatus.active:
        raise BadRequest("这个车次已经结束或取消了，请新派一个车次。")
    vehicle, driver = _resources(db, scope, trip.vehicle_id, trip.driver_id)
    rides = _check_rides(db, clock, scope, request_ids, vehicle)
    old_start, old_end = as_utc(trip.starts_at), as_utc(trip.ends_at)
    need_start, need_end = _window(rides, None, None)
    start, end = min(old_start, need_start), max(old_end, need_end)
    if end - start > LONGEST_TRIP:
        raise BadRequest("加上以后这个车次超过14小时了。请新派一个车次。")
    if (start, end) != (old_start, old_end):
        held = set(slots.starts(old_start, old_end))
        more = [s for s in slots.starts(start, end) if s not in held]
        slots.claim(db, trip, vehicle, driver, more)
        trip.starts_at, trip.ends_at = start, end
        db.add(trip)
        bookings.update_bookable(
            db,
            clock=clock,
            bookable_id=trip.bookable_id,
            starts_at=start,
            ends_at=end,
            closes_at=end,
            cancel_deadline=start,
        )
    for ride in rides:
        _assign(db, clock, trip, ride, vehicle, driver)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="ride.add_to_trip",
        entity="ride_trip",
        entity_id=trip.id,
        unit_id=trip.unit_id,
        after={"requests": [r.id for r in rides], "starts_at": start, "ends_at": end},
    )
    return trip


def complete(db: Session, *, clock: Clock, staff: StaffAccount, ride: RideRequest) -> RideRequest:
    ride = lock_ride(db, ride.id or 0)
    if ride.status != RideStatus.dispatched:
        raise BadRequest("只有“已派车”的用车才能标记完成。")
    if clock.now() < as_utc(ride.pickup_at):
        raise BadRequest("还没到上车时间，不能标记完成。")
    ride.status = RideStatus.completed
    ride.updated_at = clock.now()
    db.add(ride)
    db.flush()
    trip = db.get(RideTrip, ride.trip_id) if ride.trip_id else None
    if trip is not None:
        pending = db.exec(
            select(RideRequest.id).where(
                RideRequest.trip_id == trip.id, RideRequest.status == RideStatus.dispatched
            )
        ).first()
        if pending is None:
            trip.status = TripStatus.done
            db.add(trip)
    messages.tell(db, clock=clock, ride=ride, event="completed")
    pickup = to_local(ride.pickup_at)
    satisfaction.invite(
        db,
        clock=clock,
        source=Source.ride,
        source_id=ride.id or 0,
        retiree_id=ride.retiree_id,
        unit_id=ride.unit_id,
        label=f"{pickup.month}月{pickup.day}日的用车",
    )
    _audit(db, clock, staff, ride, "ride.complete", "dispatched", None)
    return ride


def end_by_staff(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    ride: RideRequest,
    reason: str,
    unarranged: bool,
) -> RideRequest:
    """Staff cancel a request, or record that it cannot be arranged; everyone is told."""
    reason = reasons.given(reason, "请写原因，会告诉老同志和家属。")
    ride = lock_ride(db, ride.id or 0)
    if ride.status not in OPEN:
        raise BadRequest("这次用车已经结束或取消了。")
    before = ride.status
    release(db, clock=clock, ride=ride, by=staff_actor(staff).label, reason=reason)
    ride.status = RideStatus.unarranged if unarranged else RideStatus.cancelled
    ride.status_reason = reason
    ride.cancelled_by = None if unarranged else staff_actor(staff).label
    ride.updated_at = clock.now()
    db.add(ride)
    db.flush()
    messages.tell(
        db, clock=clock, ride=ride, event="unarranged" if unarranged else "cancelled_staff"
    )
    action = "ride.unarranged" if unarranged else "ride.cancel"
    _audit(db, clock, staff, ride, action, before, reason)
    return ride


def _audit(
    db: Session,
    clock: Clock,
    staff: StaffAccount,
    ride: RideRequest,
    action: str,
    before: str,
    reason: str | None,
) -> None:
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action=action,
        entity="ride_request",
        entity_id=ride.id,
        unit_id=ride.unit_id,
        before={"status": before},
        after={"status": ride.status, "reason": reason},
    )
