"""The reminder two hours before a dispatched ride's pickup (once per request)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from backend.core.clock import Clock
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.rides import messages
from backend.rides.enums import RideStatus
from backend.rides.models import RideDriver, RideRequest, RideTrip, RideVehicle

REMIND_BEFORE = timedelta(hours=2)


def remind_soon(db: Session, *, clock: Clock) -> int:
    """Tell everyone whose dispatched ride picks them up within two hours (dedupe key: once)."""
    now = clock.now()
    rows = db.exec(
        select(RideRequest, RideVehicle, RideDriver)
        .join(RideTrip, col(RideTrip.id) == col(RideRequest.trip_id))
        .join(RideVehicle, col(RideVehicle.id) == col(RideTrip.vehicle_id))
        .join(RideDriver, col(RideDriver.id) == col(RideTrip.driver_id))
        .where(
            RideRequest.status == RideStatus.dispatched,
            col(RideRequest.pickup_at) > now,
            col(RideRequest.pickup_at) <= now + REMIND_BEFORE,
        )
    ).all()
    sent = 0
    for ride, vehicle, driver in rows:
        sent += messages.tell(
            db, clock=clock, ride=ride, event="reminder", vehicle=vehicle, driver=driver
        )
    return sent


def send_reminders(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return remind_soon(db, clock=ctx.clock)


def job_send_reminders() -> None:
    send_reminders(current_context())


JOBS = [IntervalJob(id="rides.reminders", func=job_send_reminders, seconds=300)]
