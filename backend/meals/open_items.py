"""Meals a retiree will still get: standing orders that place new orders (the orders themselves
are bookings, listed by bookings)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.core import open_items
from backend.meals.models import MealStandingOrder


def listed(db: Session, retiree_id: int, _now: datetime) -> list[str]:
    rows = db.exec(
        select(MealStandingOrder)
        .where(MealStandingOrder.retiree_id == retiree_id, MealStandingOrder.active == True)  # noqa: E712
        .order_by(col(MealStandingOrder.id))
    ).all()
    return [f"长期订餐 {r.id}（{r.meal}）" for r in rows]


def install() -> None:
    open_items.register("meals", tables=("meal_standing_order", "meal_order"), open_items=listed)
