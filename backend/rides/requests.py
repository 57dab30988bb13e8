"""Asking for a ride (once, or recurring), and cancelling it, for a retiree, their family or
staff on the phone."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import (
    get_scoped,
    staff_actor,
    unit_in,
)
from backend.core.clock import SHANGHAI, Clock, as_utc, from_local, local_day, to_local
from backend.core.errors import BadRequest, Conflict
from backend.rides import dispatch, fleet, messages
from backend.rides.enums import OPEN, RideStatus
from backend.rides.models import RideRequest, RideSeries
from backend.rides.schemas import RideIn
from backend.rides.times import cancel_deadline
from backend.rides.views import requested_by_label

LEAD_TIME = timedelta(hours=2)  # the mini-program side asks at least this far ahead
FARTHEST = timedelta(days=92)
MOST_IN_SERIES = 60
NEAR = timedelta(minutes=60)  # two rides this close for one person are probably one ride


def _occurrences(data: RideIn, first: datetime) -> list[datetime]:
    if data.repeat is None:
        return [first]
    local = to_local(first)
    start_day = local.date()
    if data.repeat.until < start_day:
        raise BadRequest("“重复到哪天”不能早于第一次用车的日期。")
    if data.repeat.until > start_day + FARTHEST:
        raise BadRequest("定期用车一次最多约3个月。到时候再约下一段就行。")
    result = []
    day = start_day
    while day <= data.repeat.until:
        if day.isoweekday() in data.repeat.weekdays:
            wall = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=SHANGHAI)
            result.append(as_utc(wall))
        day += timedelta(days=1)
    if not result:
        raise BadRequest("选的星期几在这段时间里没有一天，请重新选。")
    if len(result) > MOST_IN_SERIES:
        raise BadRequest(f"定期用车一次最多{MOST_IN_SERIES}次，请把结束日期提前一些。")
    return result


def _repeat(db: Session, retiree_id: int, key: str | None) -> RideRequest | None:
    if not key:
        return None
    return db.exec(
        select(RideRequest).where(
            RideRequest.retiree_id == retiree_id, RideRequest.idempotency_key == key
        )
    ).first()


def _same_place(ride: RideRequest, destination_id: int | None, destination: str) -> bool:
    if destination_id is not None and ride.destination_id == destination_id:
        return True
    return "".join(ride.destination.split()) == "".join(destination.split())


def _check_duplicate(
    db: Session,
    *,
    retiree: Retiree,
    times: list[datetime],
    destination_id: int | None,
    destination: str,
) -> None:
    """The retiree and a daughter both book the same trip: an open ride of the same person
    within an hour of a new pickup, or on the same day to the same place, is refused until the
    caller confirms (`confirm_duplicate`)."""
    first_day = local_day(to_local(times[0]).date())[0]
    last_day = local_day(to_local(times[-1]).date())[1]
    existing = db.exec(
        select(RideRequest)
        .where(
            RideRequest.retiree_id == retiree.id,
            col(RideRequest.status).in_(OPEN),
            col(RideRequest.pickup_at) >= first_day - NEAR,
            col(RideRequest.pickup_at) < last_day + NEAR,
        )
        .order_by(col(RideRequest.pickup_at))
    ).all()
    for at in times:
        for ride in existing:
            other = as_utc(ride.pickup_at)
            close = abs(other - at) <= NEAR
            same_day = to_local(other).date() == to_local(at).date()
            if close or (same_day and _same_place(ride, destination_id, destination)):
                local = to_local(other)
                who = requested_by_label(ride.requested_by)
                who = "本人约的" if who == "本人" else who
                raise Conflict(
                    f"{retiree.name}{local.month}月{local.day}日 {local:%H:%M}已经约了"
                    f"去{ride.destination}的车（{who}）。是不是约重复了？"
                    "如果确实还要再约一次，请确认后再提交。",
                    code="possible_duplicate",
                    detail={
                        "ride_id": ride.id,
                        "pickup_at": other.isoformat(),
                        "destination": ride.destination,
                        "requested_by": who,
                    },
                )


def _checked_times(
    data: RideIn, *, now: datetime, by_staff: bool
) -> tuple[datetime, datetime | None]:
    """The pickup (and return) as UTC instants, refused when too soon, past or too far."""
    pickup_at = from_local(data.pickup_at)
    if not by_staff and pickup_at < now + LEAD_TIME:
        raise BadRequest("约车请至少提前2小时。急着用车请直接打电话给工作人员。")
    if pickup_at <= now:
        raise BadRequest("上车时间应在现在之后。")
    if pickup_at > now + FARTHEST:
        raise BadRequest("最多只能约3个月以内的车。")
    return_at = from_local(data.return_at) if data.return_at else None
    if return_at is not None and return_at - pickup_at > timedelta(hours=12):
        raise BadRequest("回程时间应在出发当天，请检查一下。")
    return pickup_at, return_at


def _destination(db: Session, retiree: Retiree, data: RideIn) -> str:
    if data.destination_id is not None:
        place = fleet.destination_for(db, retiree, data.destination_id)
        return f"{place.name}（{place.address}）"
    return (data.destination_text or "").strip()


def create(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    data: RideIn,
    requested_by: str,
    by_staff: bool = False,
) -> RideRequest:
    """One request, or one per date of a recurring ride (all created now, each its own id).
    A repeat with the same idempotency key returns the first request and creates nothing."""
    earlier = _repeat(db, retiree.id or 0, data.idempotency_key)
    if earlier is not None:
        return earlier
    if retiree.status != RetireeStatus.active:
        raise BadRequest("只有在册的老同志可以约车。如有需要请打电话给工作人员。")
    now = clock.now()
    pickup_at, return_at = _checked_times(data, now=now, by_staff=by_staff)
    address = (data.pickup_address or "").strip() or (retiree.address or "").strip()
    if not address:
        raise BadRequest("请填写在哪里上车。")
    destination = _destination(db, retiree, data)
    times = _occurrences(data, pickup_at)
    if not data.confirm_duplicate:
        _check_duplicate(
            db,
            retiree=retiree,
            times=times,
            destination_id=data.destination_id,
            destination=destination[:260],
        )
    back = return_at - pickup_at if return_at is not None else None
    rows = [
        RideRequest(
            retiree_id=retiree.id or 0,
            unit_id=retiree.unit_id,
            pickup_address=address,
            destination_id=data.destination_id,
            destination=destination[:260],
            pickup_at=at,
            return_at=at + back if back is not None else None,
            passengers=data.passengers,
            wheelchair=data.wheelchair,
            companion_needed=data.companion_needed,
            notes=(data.notes or "").strip() or None,
            requested_by=requested_by,
            idempotency_key=data.idempotency_key if index == 0 else None,
            created_at=now,
            updated_at=now,
        )
        for index, at in enumerate(times)
    ]
    series = None
    try:
        with db.begin_nested():
            if data.repeat is not None:
                series = RideSeries(
                    retiree_id=retiree.id or 0,
                    unit_id=retiree.unit_id,
                    weekdays=",".join(str(d) for d in data.repeat.weekdays),
                    until=data.repeat.until,
                    created_at=now,
                )
                db.add(series)
                db.flush()
                for row in rows:
                    row.series_id = series.id
            db.add(rows[0])
            db.flush()
    except IntegrityError:
        # The same key raced in from a double tap: the other one won, return it.
        earlier = _repeat(db, retiree.id or 0, data.idempotency_key)
        if earlier is None:
            raise
        return earlier
    for row in rows[1:]:
        db.add(row)
    db.flush()
    if series is not None:
        messages.tell_series(db, clock=clock, series=series, first=rows[0], count=len(rows))
    else:
        messages.tell(db, clock=clock, ride=rows[0], event="requested")
    return rows[0]


def staff_create(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    scope: Unit,
    data: RideIn,
    channel: str,
) -> RideRequest:

    retiree = get_scoped(db, Retiree, data.retiree_id, scope)
    ride = create(
        db,
        clock=clock,
        retiree=retiree,
        data=data,
        requested_by=staff_actor(staff).label,
        by_staff=True,
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="ride.create",
        entity="ride_request",
        entity_id=ride.id,
        unit_id=ride.unit_id,
        after={
            "retiree_id": retiree.id,
            "pickup_at": ride.pickup_at,
            "series_id": ride.series_id,
            "channel": channel,
        },
    )
    return ride


def for_retiree(db: Session, *, clock: Clock, retiree_id: int) -> list[RideRequest]:
    """Upcoming rides and those of the last 7 days, soonest first."""
    since = clock.now() - timedelta(days=7)
    return list(
        db.exec(
            select(RideRequest)
            .where(RideRequest.retiree_id == retiree_id, col(RideRequest.pickup_at) >= since)
            .order_by(col(RideRequest.pickup_at), col(RideRequest.id))
            .limit(200)
        ).all()
    )


def _cancel_one(db: Session, clock: Clock, ride: RideRequest, by: str, reason: str | None) -> None:
    dispatch.release(db, clock=clock, ride=ride, by=by, reason=reason)
    ride.status = RideStatus.cancelled
    ride.cancelled_by = by
    ride.status_reason = (reason or "").strip() or None
    ride.updated_at = clock.now()
    db.add(ride)
    db.flush()


def cancel_own(
    db: Session, *, clock: Clock, ride: RideRequest, by: str, reason: str | None
) -> RideRequest:
    """The retiree or family cancel, until 2 hours before the pickup."""
    ride = dispatch.lock_ride(db, ride.id or 0)
    if ride.status == RideStatus.cancelled:
        return ride
    if ride.status not in dispatch.OPEN:
        raise BadRequest("这次用车已经结束了，不用取消。")
    if clock.now() > cancel_deadline(ride):
        raise BadRequest(
            "离上车不到2小时了，小程序里不能取消。请打电话告诉工作人员。", code="too_late_to_cancel"
        )
    _cancel_one(db, clock, ride, by, reason)
    messages.tell(db, clock=clock, ride=ride, event="cancelled_self")
    return ride


def cancel_series(db: Session, *, clock: Clock, series: RideSeries, by: str) -> int:
    """Cancel every ride of the series still more than 2 hours away; returns how many."""
    now = clock.now()
    rides = db.exec(
        select(RideRequest)
        .where(RideRequest.series_id == series.id, col(RideRequest.status).in_(dispatch.OPEN))
        .order_by(col(RideRequest.pickup_at))
    ).all()
    cancelled = []
    for ride in rides:
        ride = dispatch.lock_ride(db, ride.id or 0)
        if ride.status in dispatch.OPEN and now <= cancel_deadline(ride):
            _cancel_one(db, clock, ride, by, "定期用车全部取消")
            cancelled.append(ride)
    series.cancelled_at = now
    db.add(series)
    if cancelled:
        from backend.notices import service as notices_service

        soon = any(r.status in dispatch.OPEN for r in rides)
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=series.retiree_id,
            title="定期用车已取消",
            body=f"您的定期用车已取消，以后的{len(cancelled)}次都不派车了。"
            + ("离上车不到2小时的那一次，请打电话告诉工作人员。" if soon else "")
            + "如还要用车，请重新申请。",
            dedupe_key=f"ride-series:{series.id}:cancelled",
            link_page=f"pages/rides/rides?retiree_id={series.retiree_id}",
        )
    return len(cancelled)


def in_range(
    db: Session, *, scope: Unit, start: datetime, end: datetime, status: str | None
) -> list[RideRequest]:
    query = (
        select(RideRequest)
        .where(
            unit_in(RideRequest.unit_id, scope),
            col(RideRequest.pickup_at) >= start,
            col(RideRequest.pickup_at) < end,
        )
        .order_by(col(RideRequest.pickup_at), col(RideRequest.id))
    )
    if status:
        query = query.where(RideRequest.status == status)
    return list(db.exec(query.limit(500)).all())
