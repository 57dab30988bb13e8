"""Mini-program side of rides (约车): common destinations, request (once or recurring), my rides,
cancel one, cancel a recurring ride."""

from __future__ import annotations

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import NotFound
from backend.core.inputs import Id
from backend.core.routing import APIRouter
from backend.rides import fleet, requests, views
from backend.rides.models import RideRequest, RideSeries
from backend.rides.schemas import (
    DestinationPublic,
    DestinationsPublic,
    OptionalReasonIn,
    RideIn,
    RidePublic,
    RidesPublic,
    SeriesCancelled,
)

router = APIRouter(prefix="/api/v1/rides", tags=["小程序：约车"])


@router.get("/destinations", response_model=DestinationsPublic, summary="常去的医院和地点")
def destinations(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> DestinationsPublic:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    data = [
        DestinationPublic(id=d.id or 0, name=d.name, address=d.address, kind=d.kind)
        for d in fleet.destinations_for(db, acting.retiree)
    ]
    return DestinationsPublic(data=data, count=len(data))


@router.post("", response_model=RidePublic, summary="约车（可定期重复；同一个编号重发只算一次）")
def request_ride(
    body: RideIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> RidePublic:
    acting = act_for(db, viewer, body.retiree_id, Permission.book)
    ride = requests.create(
        db, clock=clock, retiree=acting.retiree, data=body, requested_by=acting.label
    )
    return views.public_one(db, ride, clock=clock)


@router.get("", response_model=RidesPublic, summary="我的约车（近期和以后的）")
def my_rides(retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> RidesPublic:
    act_for(db, viewer, retiree_id, Permission.view)
    rides = requests.for_retiree(db, clock=clock, retiree_id=retiree_id)
    data = views.public_many(db, rides, clock=clock)
    return RidesPublic(data=data, count=len(data))


@router.post("/{ride_id}/cancel", response_model=RidePublic, summary="取消这次用车（出发2小时前）")
def cancel(
    ride_id: Id,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
    body: OptionalReasonIn | None = None,
) -> RidePublic:
    ride = db.get(RideRequest, ride_id)
    if ride is None:
        raise NotFound("没有找到这次用车。")
    acting = act_for(db, viewer, ride.retiree_id, Permission.book, missing="没有找到这次用车。")
    ride = requests.cancel_own(
        db, clock=clock, ride=ride, by=acting.label, reason=body.reason if body else None
    )
    return views.public_one(db, ride, clock=clock)


@router.post(
    "/series/{series_id}/cancel", response_model=SeriesCancelled, summary="定期用车全部取消"
)
def cancel_series(
    series_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> SeriesCancelled:
    series = db.get(RideSeries, series_id)
    if series is None:
        raise NotFound("没有找到这个定期用车。")
    acting = act_for(
        db, viewer, series.retiree_id, Permission.book, missing="没有找到这个定期用车。"
    )
    count = requests.cancel_series(db, clock=clock, series=series, by=acting.label)
    return SeriesCancelled(cancelled=count)
