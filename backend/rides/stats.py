"""Figures of the rides domain for the monthly sheet, per unit, for [start, end): rides
completed (by pick-up time) and the passengers they carried. One GROUP BY query."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from backend.core.figures import Figures, fold
from backend.rides.enums import RideStatus
from backend.rides.models import RideRequest


def monthly_figures(db: Session, *, unit_ids: list[int], start: datetime, end: datetime) -> Figures:
    if not unit_ids:
        return {}
    rows = db.execute(
        select(RideRequest.unit_id, func.count(), func.sum(RideRequest.passengers))
        .where(
            col(RideRequest.unit_id).in_(unit_ids),
            RideRequest.status == RideStatus.completed,
            col(RideRequest.pickup_at) >= start,
            col(RideRequest.pickup_at) < end,
        )
        .group_by(col(RideRequest.unit_id))
    ).all()
    return fold(rows, ["rides_completed", "ride_passengers"])
