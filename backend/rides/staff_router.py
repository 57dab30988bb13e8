"""Staff API for rides: vehicles, drivers, destinations; the request queue; dispatch (new trip
or add to a trip); complete, cannot arrange, cancel; request for a retiree who phoned; the
driver's run sheet. Every write is audited."""

from __future__ import annotations

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.scope import get_scoped
from backend.core.clock import local_day, local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Day, Id, Line
from backend.core.routing import APIRouter
from backend.rides import dispatch, fleet, requests, views
from backend.rides.models import RideDestination, RideDriver, RideRequest, RideTrip, RideVehicle
from backend.rides.schemas import (
    STATUS_CODES,
    AddToTripIn,
    DestinationIn,
    DestinationPatch,
    DestinationsStaff,
    DestinationStaff,
    DispatchIn,
    DriverIn,
    DriverPatch,
    DriversStaff,
    DriverStaff,
    ReasonIn,
    RunSheet,
    StaffRide,
    StaffRideIn,
    StaffRides,
    VehicleIn,
    VehiclePatch,
    VehiclesStaff,
    VehicleStaff,
)

router = APIRouter(prefix="/api/v1/staff/rides", tags=["工作人员：约车"])


# ---- vehicles, drivers, destinations ---------------------------------------------------------


@router.get("/vehicles", response_model=VehiclesStaff, summary="车辆")
def vehicles(db: SessionDep, scope: StaffScope) -> VehiclesStaff:
    data = [
        VehicleStaff.model_validate(v.model_dump())
        for v in fleet.list_in_scope(db, RideVehicle, scope)
    ]
    return VehiclesStaff(data=data, count=len(data))


@router.post("/vehicles", response_model=VehicleStaff, status_code=201, summary="登记车辆")
def add_vehicle(
    body: VehicleIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> VehicleStaff:
    vehicle = fleet.create_vehicle(db, clock=clock, staff=me, scope=scope, data=body)
    return VehicleStaff.model_validate(vehicle.model_dump())


@router.patch("/vehicles/{vehicle_id}", response_model=VehicleStaff, summary="修改或停用车辆")
def edit_vehicle(
    vehicle_id: Id,
    body: VehiclePatch,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> VehicleStaff:
    vehicle = get_scoped(db, RideVehicle, vehicle_id, scope)
    vehicle = fleet.update(db, clock=clock, staff=me, item=vehicle, patch=body)
    return VehicleStaff.model_validate(vehicle.model_dump())


@router.get("/drivers", response_model=DriversStaff, summary="司机")
def drivers(db: SessionDep, scope: StaffScope) -> DriversStaff:
    data = [
        DriverStaff.model_validate(d.model_dump())
        for d in fleet.list_in_scope(db, RideDriver, scope)
    ]
    return DriversStaff(data=data, count=len(data))


@router.post("/drivers", response_model=DriverStaff, status_code=201, summary="登记司机")
def add_driver(
    body: DriverIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> DriverStaff:
    driver = fleet.create_driver(db, clock=clock, staff=me, scope=scope, data=body)
    return DriverStaff.model_validate(driver.model_dump())


@router.patch("/drivers/{driver_id}", response_model=DriverStaff, summary="修改或停用司机")
def edit_driver(
    driver_id: Id,
    body: DriverPatch,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> DriverStaff:
    driver = get_scoped(db, RideDriver, driver_id, scope)
    driver = fleet.update(db, clock=clock, staff=me, item=driver, patch=body)
    return DriverStaff.model_validate(driver.model_dump())


@router.get("/destinations", response_model=DestinationsStaff, summary="常去地点")
def destinations(db: SessionDep, scope: StaffScope) -> DestinationsStaff:
    rows = fleet.list_in_scope(db, RideDestination, scope)
    data = [DestinationStaff.model_validate(d.model_dump()) for d in rows]
    return DestinationsStaff(data=data, count=len(data))


@router.post(
    "/destinations", response_model=DestinationStaff, status_code=201, summary="添加常去地点"
)
def add_destination(
    body: DestinationIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> DestinationStaff:
    row = fleet.create_destination(db, clock=clock, staff=me, scope=scope, data=body)
    return DestinationStaff.model_validate(row.model_dump())


@router.patch(
    "/destinations/{destination_id}", response_model=DestinationStaff, summary="修改或停用地点"
)
def edit_destination(
    destination_id: Id,
    body: DestinationPatch,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> DestinationStaff:
    row = get_scoped(db, RideDestination, destination_id, scope)
    row = fleet.update(db, clock=clock, staff=me, item=row, patch=body)
    return DestinationStaff.model_validate(row.model_dump())


# ---- requests and dispatch -------------------------------------------------------------------


@router.get("", response_model=StaffRides, summary="约车申请（按日期、状态）")
def queue(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    date: Day | None = None,
    status: Line | None = None,
) -> StaffRides:
    start, end = local_day(date or local_today(clock))
    rides = requests.in_range(
        db, scope=scope, start=start, end=end, status=STATUS_CODES.get(status or "", status)
    )
    data = views.staff_many(db, rides, clock=clock)
    return StaffRides(data=data, count=len(data))


@router.post("", response_model=StaffRide, status_code=201, summary="代老同志约车（电话、窗口）")
def request_for(
    body: StaffRideIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffRide:
    ride = requests.staff_create(
        db, clock=clock, staff=me, scope=scope, data=body, channel=body.channel
    )
    return views.staff_many(db, [ride], clock=clock)[0]


@router.get("/run-sheet", response_model=RunSheet, summary="司机出车单（一天）")
def run_sheet(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    date: Day | None = None,
    driver_id: Id | None = None,
) -> RunSheet:
    day = date or local_today(clock)
    return views.run_sheet(db, clock=clock, scope=scope, day=day, driver_id=driver_id)


@router.post("/dispatch", response_model=RunSheet, status_code=201, summary="派车（新车次）")
def dispatch_rides(
    body: DispatchIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> RunSheet:
    trip = dispatch.dispatch(
        db,
        clock=clock,
        staff=me,
        scope=scope,
        request_ids=body.request_ids,
        vehicle_id=body.vehicle_id,
        driver_id=body.driver_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
    )
    return _trip_sheet(db, clock, trip.id or 0, scope)


@router.post("/trips/{trip_id}/requests", response_model=RunSheet, summary="把申请加到已有车次上")
def add_to_trip(
    trip_id: Id,
    body: AddToTripIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> RunSheet:
    dispatch.add_to_trip(
        db, clock=clock, staff=me, scope=scope, trip_id=trip_id, request_ids=body.request_ids
    )
    return _trip_sheet(db, clock, trip_id, scope)


def _trip_sheet(db: SessionDep, clock: ClockDep, trip_id: Id, scope: StaffScope) -> RunSheet:
    """The run sheet of the trip's day, with only this trip on it."""
    from backend.core.clock import to_local

    trip = get_scoped(db, RideTrip, trip_id, scope)
    sheet = views.run_sheet(
        db, clock=clock, scope=scope, day=to_local(trip.starts_at).date(), driver_id=None
    )
    sheet.trips = [t for t in sheet.trips if t.id == trip_id]
    return sheet


@router.post("/{ride_id}/complete", response_model=StaffRide, summary="标记已完成")
def complete(
    ride_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffRide:
    ride = get_scoped(db, RideRequest, ride_id, scope)
    dispatch.complete(db, clock=clock, staff=me, ride=ride)
    return views.staff_many(db, [ride], clock=clock)[0]


@router.post("/{ride_id}/cannot-arrange", response_model=StaffRide, summary="无法安排（写原因）")
def cannot_arrange(
    ride_id: Id,
    body: ReasonIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffRide:
    ride = get_scoped(db, RideRequest, ride_id, scope)
    dispatch.end_by_staff(
        db, clock=clock, staff=me, ride=ride, reason=body.reason.strip(), unarranged=True
    )
    return views.staff_many(db, [ride], clock=clock)[0]


@router.post(
    "/{ride_id}/cancel", response_model=StaffRide, summary="取消用车（写原因，告诉老同志）"
)
def cancel(
    ride_id: Id,
    body: ReasonIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffRide:
    ride = get_scoped(db, RideRequest, ride_id, scope)
    dispatch.end_by_staff(
        db, clock=clock, staff=me, ride=ride, reason=body.reason.strip(), unarranged=False
    )
    return views.staff_many(db, [ride], clock=clock)[0]
