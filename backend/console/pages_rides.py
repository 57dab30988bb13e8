"""Console pages for rides (约车): the day's requests, dispatch (new trip or add to a trip),
complete / cancel / 无法安排, request for a retiree who phoned, vehicles, drivers and common
destinations, and the driver's printable run sheet."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from backend.accounts import units
from backend.accounts.scope import get_scoped
from backend.console.auth import ConsoleStaff, check_csrf, scope_of
from backend.console.forms import (
    PICK_ONE,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    redirect,
)
from backend.console.render import page
from backend.core.clock import local_day, local_today, to_local
from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import BadRequest
from backend.rides import dispatch, display, fleet, requests
from backend.rides.models import RideDestination, RideDriver, RideRequest, RideVehicle
from backend.rides.schemas import (
    STATUS_LABELS,
    DestinationIn,
    DestinationPatch,
    DriverIn,
    DriverPatch,
    StaffRideIn,
    VehicleIn,
    VehiclePatch,
)

router = APIRouter(prefix="/rides")
_MODELS: dict[str, tuple[Any, Any]] = {
    "vehicles": (RideVehicle, VehiclePatch),
    "drivers": (RideDriver, DriverPatch),
    "destinations": (RideDestination, DestinationPatch),
}


def _day(value: str | None, clock: ClockDep) -> date:
    try:
        return date.fromisoformat(value) if value else local_today(clock)
    except ValueError:
        return local_today(clock)


def _back(url: str, ok: str | None = None, err: str | None = None) -> RedirectResponse:
    return redirect(url, ok, err=err)


def _local(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest("时间格式不对，请用日期时间选择框。") from exc


def _errors(exc: ValidationError) -> str:
    return "；".join(form_errors(exc))


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    day: str | None = None,
    status: str | None = None,
) -> HTMLResponse:
    return _queue_page(request, db, clock, day=day, status=status)


def _queue_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    *,
    day: str | None,
    status: str | None,
    duplicate: dict[str, Any] | None = None,
) -> HTMLResponse:
    scope = scope_of(request)
    chosen = _day(day, clock)
    start, end = local_day(chosen)
    code = status if status in STATUS_LABELS else None
    rides = requests.in_range(db, scope=scope, start=start, end=end, status=code)
    return page(
        request,
        "rides.html",
        {
            "nav": "rides",
            "day": chosen,
            "prev": chosen - timedelta(days=1),
            "next": chosen + timedelta(days=1),
            "status": code,
            "statuses": STATUS_LABELS,
            "rows": display.staff_many(db, rides, clock=clock),
            "trips": display.run_sheet(
                db, clock=clock, scope=scope, day=chosen, driver_id=None
            ).trips,
            "vehicles": fleet.list_in_scope(db, RideVehicle, scope, active_only=True),
            "drivers": fleet.list_in_scope(db, RideDriver, scope, active_only=True),
            "destinations": fleet.list_in_scope(db, RideDestination, scope, active_only=True),
            "err": request.query_params.get("err"),
            "msg": request.query_params.get("msg"),
            "duplicate": duplicate,
        },
        status_code=409 if duplicate else 200,
    )


@router.post("/dispatch")
@form_once
def dispatch_rides(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    day: str = Form(""),
    request_ids: list[str] = Form([]),
    vehicle_id: str = Form(""),
    driver_id: str = Form(""),
    trip_id: str = Form(""),
    starts_at: str = Form(""),
    ends_at: str = Form(""),
    action: str = Form("new"),
) -> Response:
    check_csrf(request, csrf)
    scope = scope_of(request)
    url = f"/console/rides?day={_day(day, clock)}"
    ids = [int(i) for i in request_ids if i.isdigit()]

    def work() -> Any:
        if not ids:
            raise BadRequest("请先在列表里勾选要派车的申请。")
        if action == "add":
            if not trip_id.isdigit():
                raise BadRequest("请选择要加到哪个车次。")
            return dispatch.add_to_trip(
                db, clock=clock, staff=me, scope=scope, trip_id=int(trip_id), request_ids=ids
            )
        if not vehicle_id.isdigit() or not driver_id.isdigit():
            raise BadRequest("请选择车辆和司机。")
        return dispatch.dispatch(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            request_ids=ids,
            vehicle_id=int(vehicle_id),
            driver_id=int(driver_id),
            starts_at=_local(starts_at),
            ends_at=_local(ends_at),
        )

    _, error = attempt(db, work)
    if error is not None:
        return _back(url, err=error.message)
    return _back(url, ok=f"已派车（{len(ids)}位），已告诉老同志和家属。")


@router.post("/request")
@form_once
def request_for(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    day: str = Form(""),
    retiree_id: str = Form(""),
    pickup_at: str = Form(""),
    return_at: str = Form(""),
    pickup_address: str = Form(""),
    destination_id: str = Form(""),
    destination_text: str = Form(""),
    passengers: str = Form("1"),
    wheelchair: str = Form(""),
    companion_needed: str = Form(""),
    notes: str = Form(""),
    channel: str = Form("电话"),
    confirm_duplicate: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    url = f"/console/rides?day={_day(day, clock)}"
    if not retiree_id.strip().isdigit():
        return _back(url, err=PICK_ONE)
    try:
        data = StaffRideIn(
            retiree_id=int(retiree_id) if retiree_id.strip().isdigit() else 0,
            pickup_at=_local(pickup_at) or "",  # type: ignore[arg-type]
            return_at=_local(return_at),
            pickup_address=blank_to_none(pickup_address),
            destination_id=int(destination_id) if destination_id.isdigit() else None,
            destination_text=blank_to_none(destination_text),
            passengers=int(passengers) if passengers.strip().isdigit() else 0,
            wheelchair=wheelchair == "1",
            companion_needed=companion_needed == "1",
            notes=blank_to_none(notes),
            channel=channel,
            confirm_duplicate=confirm_duplicate == "1",
        )
    except ValidationError as exc:
        return _back(url, err=_errors(exc))
    except BadRequest as exc:
        return _back(url, err=exc.message)
    scope = scope_of(request)
    ride, error = attempt(
        db,
        lambda: requests.staff_create(
            db, clock=clock, staff=me, scope=scope, data=data, channel=data.channel
        ),
    )
    if error is not None and error.code == "possible_duplicate":
        # Ask before booking the same trip twice: the same form again, confirmed.
        fields = {
            "day": day,
            "retiree_id": retiree_id,
            "pickup_at": pickup_at,
            "return_at": return_at,
            "pickup_address": pickup_address,
            "destination_id": destination_id,
            "destination_text": destination_text,
            "passengers": passengers,
            "wheelchair": wheelchair,
            "companion_needed": companion_needed,
            "notes": notes,
            "channel": channel,
        }
        return _queue_page(
            request,
            db,
            clock,
            day=day,
            status=None,
            duplicate={"message": error.message, "fields": fields},
        )
    if error is not None or ride is None:
        return _back(url, err=error.message if error else "没有约上")
    return _back(
        f"/console/rides?day={to_local(ride.pickup_at).date()}", ok="已代为约车，已告诉老同志。"
    )


def _end_ride(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: Any,
    ride_id: int,
    what: str,
    csrf: str,
    day: str,
    reason: str,
) -> Response:
    check_csrf(request, csrf)
    url = f"/console/rides?day={_day(day, clock)}"
    ride = get_scoped(db, RideRequest, ride_id, scope_of(request))

    def work() -> Any:
        if what == "complete":
            return dispatch.complete(db, clock=clock, staff=me, ride=ride)
        if not reason.strip():
            raise BadRequest("请写原因，会告诉老同志和家属。")
        return dispatch.end_by_staff(
            db,
            clock=clock,
            staff=me,
            ride=ride,
            reason=reason.strip()[:200],
            unarranged=what == "cannot-arrange",
        )

    _, error = attempt(db, work)
    if error is not None:
        return _back(url, err=error.message)
    done = {"complete": "已标记完成。", "cancel": "已取消，已告诉老同志和家属。"}
    return _back(url, ok=done.get(what, "已记下无法安排，已告诉老同志和家属。"))


@router.post("/{ride_id}/complete")
def complete(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    day: str = Form(""),
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "complete", csrf, day, "")


@router.post("/{ride_id}/cancel")
def cancel(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    day: str = Form(""),
    reason: str = Form(""),
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "cancel", csrf, day, reason)


@router.post("/{ride_id}/cannot-arrange")
def cannot_arrange(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    day: str = Form(""),
    reason: str = Form(""),
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "cannot-arrange", csrf, day, reason)


@router.get("/run-sheet", response_class=HTMLResponse)
def run_sheet(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    day: str | None = None,
    driver_id: str | None = None,
) -> HTMLResponse:
    scope = scope_of(request)
    chosen = _day(day, clock)
    driver = int(driver_id) if driver_id and driver_id.isdigit() else None
    return page(
        request,
        "rides_run_sheet.html",
        {
            "nav": "rides",
            "day": chosen,
            "driver_id": driver,
            "sheet": display.run_sheet(db, clock=clock, scope=scope, day=chosen, driver_id=driver),
            "drivers": fleet.list_in_scope(db, RideDriver, scope),
        },
    )


@router.get("/fleet", response_class=HTMLResponse)
def fleet_page(request: Request, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    scope = scope_of(request)
    return page(
        request,
        "rides_fleet.html",
        {
            "nav": "rides",
            "vehicles": fleet.list_in_scope(db, RideVehicle, scope),
            "drivers": fleet.list_in_scope(db, RideDriver, scope),
            "destinations": fleet.list_in_scope(db, RideDestination, scope),
            "units": units.subtree(db, scope),
            "err": request.query_params.get("err"),
            "msg": request.query_params.get("msg"),
        },
    )


@router.post("/fleet/{kind}")
@form_once
def add_to_fleet(
    request: Request,
    kind: str,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    unit_id: str = Form(""),
    plate: str = Form(""),
    description: str = Form(""),
    seats: str = Form(""),
    wheelchair: str = Form(""),
    name: str = Form(""),
    phone: str = Form(""),
    address: str = Form(""),
    place_kind: str = Form("医院"),
) -> Response:
    check_csrf(request, csrf)
    scope = scope_of(request)
    unit = int(unit_id) if unit_id.isdigit() else None
    url = "/console/rides/fleet"
    try:
        if kind == "vehicles":
            data: Any = VehicleIn(
                plate=plate,
                description=description.strip(),
                seats=int(seats) if seats.strip().isdigit() else 0,
                wheelchair=wheelchair == "1",
                unit_id=unit,
            )
            create: Any = fleet.create_vehicle
        elif kind == "drivers":
            data = DriverIn(name=name.strip(), phone=phone.strip(), unit_id=unit)
            create = fleet.create_driver
        else:
            data = DestinationIn(
                name=name.strip(),
                address=address.strip(),
                kind=place_kind,  # type: ignore[arg-type]
                unit_id=unit,
            )
            create = fleet.create_destination
    except ValidationError as exc:
        return _back(url, err=_errors(exc))
    _, error = attempt(db, lambda: create(db, clock=clock, staff=me, scope=scope, data=data))
    return _back(url, err=error.message) if error else _back(url, ok="已添加。")


@router.post("/fleet/{kind}/{item_id}/active")
def toggle(
    request: Request,
    kind: str,
    item_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    csrf: str = Form(""),
    active: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    if kind not in _MODELS:
        return _back("/console/rides/fleet", err="不支持这种操作。")
    model, patch = _MODELS[kind]
    item = get_scoped(db, model, item_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: fleet.update(
            db, clock=clock, staff=me, item=item, patch=patch(active=active == "1")
        ),
    )
    if error is not None:
        return _back("/console/rides/fleet", err=error.message)
    return _back("/console/rides/fleet", ok="已启用。" if active == "1" else "已停用。")
