"""Figures of the meals domain for the monthly sheet, per unit, for [start, end): portions
served (confirmed orders of menus that were not cancelled, by serving time) and how many of
them were delivered to the door (送餐). One GROUP BY query."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from backend.bookings import queries as bookings
from backend.core.figures import Figures, fold
from backend.meals.models import MealMenu, MealOption, MealOrder


def monthly_figures(db: Session, *, unit_ids: list[int], start: datetime, end: datetime) -> Figures:
    if not unit_ids:
        return {}
    booking = bookings.confirmed_rows()
    rows = db.execute(
        select(
            MealMenu.unit_id,
            func.sum(booking.c.quantity),
            func.sum(case((col(MealOrder.mode) == "送餐", booking.c.quantity), else_=0)),
        )
        .select_from(MealMenu)
        .join(MealOption, col(MealOption.menu_id) == col(MealMenu.id))
        .join(booking, booking.c.bookable_id == col(MealOption.bookable_id))
        .outerjoin(MealOrder, col(MealOrder.booking_id) == booking.c.id)
        .where(
            col(MealMenu.unit_id).in_(unit_ids),
            MealMenu.status == "open",
            col(MealMenu.serve_at) >= start,
            col(MealMenu.serve_at) < end,
        )
        .group_by(col(MealMenu.unit_id))
    ).all()
    return fold(rows, ["meals_served", "meals_delivered"])
