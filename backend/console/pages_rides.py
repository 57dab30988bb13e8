"""Console pages for rides (约车): the day's requests, dispatch (new trip or add to a trip),
complete / cancel / 无法安排, request for a retiree who phoned, vehicles, drivers and common
destinations, and the driver's printable run sheet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError, model_validator

from backend.accounts import units
from backend.accounts.scope import get_scoped
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterId,
    PickedRetiree,
    attempt,
    day_or,
    form_errors,
    form_once,
    outcome,
    redirect,
)
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_day, local_today, to_local
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Id, Moment, Text
from backend.rides import dispatch, fleet, requests, views
from backend.rides.enums import FleetKind
from backend.rides.models import RideRequest
from backend.rides.schemas import (
    STATUS_LABELS,
    DestinationIn,
    DestinationKind,
    DriverIn,
    StaffRideIn,
    VehicleIn,
)

router = page_router("/rides")


def _day(value: str | None, clock: ClockDep) -> date:
    return day_or(value, local_today(clock))


def _queue_url(day: str, clock: ClockDep) -> str:
    return f"/console/rides?day={_day(day, clock)}"


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
            "rows": views.staff_many(db, rides, clock=clock),
            "trips": views.run_sheet(
                db, clock=clock, scope=scope, day=chosen, driver_id=None
            ).trips,
            "vehicles": fleet.vehicles(db, scope, active_only=True),
            "drivers": fleet.drivers(db, scope, active_only=True),
            "destinations": fleet.destinations(db, scope, active_only=True),
            "duplicate": duplicate,
        },
        status_code=409 if duplicate else 200,
    )


class DispatchForm(BaseModel):
    """The queue's dispatch form: the ticked requests onto a new trip (DispatchIn) or onto a
    trip already planned (AddToTripIn), by which button was pressed."""

    day: str = ""
    request_ids: list[Id] = Field(title="约车申请", default_factory=list, max_length=20)
    action: Literal["new", "add"] = Field(title="派车方式", default="new")
    trip_id: Id | None = Field(title="车次", default=None)
    vehicle_id: Id | None = Field(title="车辆", default=None)
    driver_id: Id | None = Field(title="司机", default=None)
    starts_at: Moment | None = Field(title="出车时间", default=None)
    ends_at: Moment | None = Field(title="收车时间", default=None)

    @model_validator(mode="after")
    def _complete(self) -> DispatchForm:
        if not self.request_ids:
            raise ValueError("请先在列表里勾选要派车的申请。")
        if self.action == "add" and self.trip_id is None:
            raise ValueError("请选择要加到哪个车次。")
        if self.action == "new" and (self.vehicle_id is None or self.driver_id is None):
            raise ValueError("请选择车辆和司机。")
        return self


class RideRequestForm(PickedRetiree, StaffRideIn):
    day: str = ""

    def fields(self) -> dict[str, str]:
        """The form's values as posted, for the 「仍然要约」 form that confirms a duplicate."""
        moment = lambda v: to_local(v).strftime("%Y-%m-%dT%H:%M") if v else ""  # noqa: E731
        return {
            "day": self.day,
            "retiree_id": str(self.retiree_id),
            "pickup_at": moment(self.pickup_at),
            "return_at": moment(self.return_at),
            "pickup_address": self.pickup_address or "",
            "destination_id": str(self.destination_id or ""),
            "destination_text": self.destination_text or "",
            "passengers": str(self.passengers),
            "wheelchair": "1" if self.wheelchair else "",
            "companion_needed": "1" if self.companion_needed else "",
            "notes": self.notes or "",
            "channel": self.channel,
        }


class EndRideForm(BaseModel):
    day: str = ""
    reason: Text = Field(title="原因", default="", max_length=200)  # the service asks for one


@router.post("/dispatch")
@form_once
def dispatch_rides(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[DispatchForm, Form()],
) -> Response:
    scope = scope_of(request)
    url = _queue_url(form.day, clock)

    def work() -> Any:
        if form.action == "add":
            return dispatch.add_to_trip(
                db,
                clock=clock,
                staff=me,
                scope=scope,
                trip_id=form.trip_id or 0,
                request_ids=form.request_ids,
            )
        return dispatch.dispatch(
            db,
            clock=clock,
            staff=me,
            scope=scope,
            request_ids=form.request_ids,
            vehicle_id=form.vehicle_id or 0,
            driver_id=form.driver_id or 0,
            starts_at=form.starts_at,
            ends_at=form.ends_at,
        )

    _, error = attempt(db, work)
    return outcome(url, error, f"已派车（{len(form.request_ids)}位），已告诉老同志和家属。")


@router.post("/request")
@form_once
def request_for(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[RideRequestForm, Form()],
) -> Response:
    scope = scope_of(request)
    ride, error = attempt(
        db,
        lambda: requests.staff_create(
            db, clock=clock, staff=me, scope=scope, data=form, channel=form.channel
        ),
    )
    if error is not None and error.code == "possible_duplicate":
        # Ask before booking the same trip twice: the same form again, confirmed.
        return _queue_page(
            request,
            db,
            clock,
            day=form.day,
            status=None,
            duplicate={"message": error.message, "fields": form.fields()},
        )
    if error is not None or ride is None:
        return outcome(_queue_url(form.day, clock), error, None)
    day = to_local(ride.pickup_at).date()
    return redirect(f"/console/rides?day={day}", "已代为约车，已告诉老同志。")


def _end_ride(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: Any,
    ride_id: int,
    what: str,
    form: EndRideForm,
) -> Response:
    ride = get_scoped(db, RideRequest, ride_id, scope_of(request))

    def work() -> Any:
        if what == "complete":
            return dispatch.complete(db, clock=clock, staff=me, ride=ride)
        return dispatch.end_by_staff(
            db,
            clock=clock,
            staff=me,
            ride=ride,
            reason=form.reason,
            unarranged=what == "cannot-arrange",
        )

    _, error = attempt(db, work)
    done = {"complete": "已标记完成。", "cancel": "已取消，已告诉老同志和家属。"}
    return outcome(
        _queue_url(form.day, clock), error, done.get(what, "已记下无法安排，已告诉老同志和家属。")
    )


@router.post("/{ride_id}/complete")
def complete(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[EndRideForm, Form()],
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "complete", form)


@router.post("/{ride_id}/cancel")
def cancel(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[EndRideForm, Form()],
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "cancel", form)


@router.post("/{ride_id}/cannot-arrange")
def cannot_arrange(
    request: Request,
    ride_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[EndRideForm, Form()],
) -> Response:
    return _end_ride(request, db, clock, me, ride_id, "cannot-arrange", form)


@router.get("/run-sheet", response_class=HTMLResponse)
def run_sheet(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    day: str | None = None,
    driver_id: FilterId = None,
) -> HTMLResponse:
    scope = scope_of(request)
    chosen = _day(day, clock)
    driver = driver_id
    return page(
        request,
        "rides_run_sheet.html",
        {
            "nav": "rides",
            "day": chosen,
            "driver_id": driver,
            "sheet": views.run_sheet(db, clock=clock, scope=scope, day=chosen, driver_id=driver),
            "drivers": fleet.drivers(db, scope),
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
            "vehicles": fleet.vehicles(db, scope),
            "drivers": fleet.drivers(db, scope),
            "destinations": fleet.destinations(db, scope),
            "units": units.subtree(db, scope),
        },
    )


class FleetForm(BaseModel):
    """The three add forms of the fleet page (one route, {kind} says which schema applies)."""

    unit_id: Id | None = Field(title="单位", default=None)
    plate: str = ""
    description: str = ""
    seats: str = ""
    wheelchair: bool = False
    name: str = ""
    phone: str = ""
    address: str = ""
    place_kind: str = DestinationKind.hospital.value

    def data(self, kind: FleetKind) -> VehicleIn | DriverIn | DestinationIn:
        """The domain's own input schema for this kind (its checks and Chinese titles)."""
        if kind == FleetKind.vehicles:
            return VehicleIn.model_validate(
                {
                    "plate": self.plate,
                    "description": self.description,
                    "seats": self.seats or None,
                    "wheelchair": self.wheelchair,
                    "unit_id": self.unit_id,
                }
            )
        if kind == FleetKind.drivers:
            return DriverIn(name=self.name, phone=self.phone, unit_id=self.unit_id)
        return DestinationIn.model_validate(
            {
                "name": self.name,
                "address": self.address,
                "kind": self.place_kind,
                "unit_id": self.unit_id,
            }
        )


# Any other word in the address than a FleetKind is a page that does not exist.
_CREATE: dict[FleetKind, Any] = {
    FleetKind.vehicles: fleet.create_vehicle,
    FleetKind.drivers: fleet.create_driver,
    FleetKind.destinations: fleet.create_destination,
}
FLEET_URL = "/console/rides/fleet"


class ActiveForm(BaseModel):
    active: bool = Field(title="是否在用", default=False)


@router.post("/fleet/{kind}")
@form_once
def add_to_fleet(
    request: Request,
    kind: FleetKind,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[FleetForm, Form()],
) -> Response:
    scope = scope_of(request)
    try:
        data = form.data(kind)
    except ValidationError as exc:
        return redirect(FLEET_URL, err=_errors(exc))
    create = _CREATE[kind]
    _, error = attempt(db, lambda: create(db, clock=clock, staff=me, scope=scope, data=data))
    return outcome(FLEET_URL, error, "已添加。")


@router.post("/fleet/{kind}/{item_id}/active")
def toggle(
    request: Request,
    kind: FleetKind,
    item_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[ActiveForm, Form()],
) -> Response:
    item = fleet.item_in_scope(db, kind, item_id, scope_of(request))
    _, error = attempt(
        db, lambda: fleet.set_active(db, clock=clock, staff=me, item=item, active=form.active)
    )
    return outcome(FLEET_URL, error, "已启用。" if form.active else "已停用。")
