"""Rides still to come for a retiree, and recurring rides not ended."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.core import open_items
from backend.core.clock import to_local
from backend.rides.enums import OPEN
from backend.rides.models import RideRequest, RideSeries


def listed(db: Session, retiree_id: int, now: datetime) -> list[str]:
    rides = db.exec(
        select(RideRequest)
        .where(RideRequest.retiree_id == retiree_id, col(RideRequest.status).in_(OPEN))
        .order_by(col(RideRequest.id))
    ).all()
    series = db.exec(
        select(RideSeries)
        .where(
            RideSeries.retiree_id == retiree_id,
            col(RideSeries.cancelled_at).is_(None),
            col(RideSeries.until) >= to_local(now).date(),
        )
        .order_by(col(RideSeries.id))
    ).all()
    return [f"用车 {r.id}（{r.status}）" for r in rides] + [f"固定用车 {s.id}" for s in series]


def install() -> None:
    open_items.register("rides", tables=("ride_request", "ride_series"), open_items=listed)
