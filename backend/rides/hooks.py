"""How rides react to other domains' events: open rides follow the retiree's new address, and
end when the retiree dies."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.models import Retiree, StaffAccount
from backend.accounts.retirees import same_address
from backend.core import events
from backend.core.clock import Clock, format_local
from backend.notices import alerts
from backend.rides.enums import OPEN, RideStatus
from backend.rides.models import RideRequest, RideSeries

DECEASED = "老同志去世"


def on_address_changed(
    *,
    db: Session,
    retiree: Retiree,
    old_address: str,
    clock: Clock,
    staff: StaffAccount | None,
) -> None:
    """Rides not yet made that pick up at (or go back to) the old home now use the new one.
    Rides already dispatched change too, and the unit's staff are told which, so the driver
    is told."""
    new_address = (retiree.address or "").strip()
    rides = db.exec(
        select(RideRequest)
        .where(
            RideRequest.retiree_id == retiree.id,
            col(RideRequest.status).in_(OPEN),
            col(RideRequest.pickup_at) > clock.now(),
        )
        .order_by(col(RideRequest.pickup_at), col(RideRequest.id))
    ).all()
    moved: list[RideRequest] = []
    for ride in rides:
        pickup = same_address(ride.pickup_address, old_address)
        home = ride.destination_id is None and same_address(ride.destination, old_address)
        if not pickup and not home:
            continue
        if pickup:
            ride.pickup_address = new_address[:200]
        if home:
            ride.destination = new_address[:260]
        ride.updated_at = clock.now()
        db.add(ride)
        moved.append(ride)
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="ride.follow_address",
            entity="ride_request",
            entity_id=ride.id,
            unit_id=ride.unit_id,
            before={"address": old_address},
            after={"address": new_address},
        )
    dispatched = [r for r in moved if r.status == RideStatus.dispatched]
    if not dispatched:
        return
    lines = "；".join(
        f"{format_local(r.pickup_at, '%m月%d日 %H:%M')}去{r.destination}" for r in dispatched
    )
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=retiree.unit_id,
        title=f"{retiree.name}换了住址，已派车的接送地址已改",
        body=(
            f"{retiree.name}的住址改成了“{new_address}”。已经派车的{len(dispatched)}次用车"
            f"（{lines}）已改用新地址，请告诉司机，出车单已更新。"
        ),
        dedupe_key=f"ride-address:{retiree.id}:{dispatched[0].id}:{retiree.version}",
        link=f"/console/rides/run-sheet?day={format_local(dispatched[0].pickup_at, '%Y-%m-%d')}",
    )


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock, **_: object) -> None:
    """Open rides end (their seats go back through bookings); nobody is told but the unit's
    staff, and only when a car had been sent, so the driver is stopped."""
    from backend.rides import dispatch

    rides = db.exec(
        select(RideRequest)
        .where(RideRequest.retiree_id == retiree.id, col(RideRequest.status).in_(OPEN))
        .order_by(col(RideRequest.id))
    ).all()
    stopped = [r for r in rides if r.status == RideStatus.dispatched]
    for ride in rides:
        ride = dispatch.lock_ride(db, ride.id or 0)
        dispatch.release(db, clock=clock, ride=ride, by="system", reason=DECEASED)
        ride.status = RideStatus.cancelled
        ride.status_reason = DECEASED
        ride.cancelled_by = "system"
        ride.updated_at = clock.now()
        db.add(ride)
    for series in db.exec(
        select(RideSeries).where(
            RideSeries.retiree_id == retiree.id, col(RideSeries.cancelled_at).is_(None)
        )
    ).all():
        series.cancelled_at = clock.now()
        db.add(series)
    db.flush()
    if stopped:
        lines = "；".join(
            f"{format_local(r.pickup_at, '%m月%d日 %H:%M')}去{r.destination}" for r in stopped
        )
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=retiree.unit_id,
            title=f"{retiree.name}同志的用车已取消",
            body=f"{retiree.name}同志已登记去世，已派车的用车（{lines}）已取消，请告诉司机。",
            dedupe_key=f"ride-deceased:{retiree.id}",
            link=f"/console/rides/run-sheet?day={format_local(stopped[0].pickup_at, '%Y-%m-%d')}",
        )


def on_death_revoked(
    *, db: Session, retiree: Retiree, marked_at: datetime, not_restored: list[str], **_: object
) -> None:
    ended = db.exec(
        select(RideSeries.id).where(
            RideSeries.retiree_id == retiree.id, col(RideSeries.cancelled_at) >= marked_at
        )
    ).all()
    if ended:
        not_restored.append("固定用车已取消，需要的话请重新约车")


def install() -> None:
    from backend.rides import open_items

    open_items.install()
    events.subscribe(events.ADDRESS_CHANGED, on_address_changed)
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
