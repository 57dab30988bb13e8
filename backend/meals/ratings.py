"""After a meal is served, its diners are offered the three satisfaction buttons (satisfaction/):
on each served order's detail, and through one 请评价 notice a week (meals are daily; more
would be a nuisance). A meal counts as served an hour after its time, if the order was still
confirmed then."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from backend.bookings import queries
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.core.clock import Clock, as_utc, local_today, to_local
from backend.meals import common, menus
from backend.meals.models import MealMenu, MealOrder
from backend.satisfaction import service as satisfaction
from backend.satisfaction.schemas import Source

SERVED_AFTER = timedelta(hours=1)


def ask_ratings(db: Session, *, clock: Clock) -> int:
    """Offer the buttons for every order served today or yesterday not yet offered. Returns
    how many orders were newly offered."""
    now = clock.now()
    today = local_today(clock)
    recent = db.exec(
        select(MealMenu)
        .where(
            MealMenu.status == common.MenuStatus.open,
            col(MealMenu.day) >= today - timedelta(days=1),
            col(MealMenu.day) <= today,
        )
        .order_by(col(MealMenu.id))
    ).all()
    labels: dict[int, str] = {}
    for menu_id, pairs in menus.options_of_menus(db, [m.id or 0 for m in recent]).items():
        menu = next(m for m in recent if m.id == menu_id)
        for _, bookable in pairs:
            if (
                bookable.status == BookableStatus.open
                and as_utc(bookable.starts_at) + (SERVED_AFTER) <= now
            ):
                labels[bookable.id or 0] = common.day_label(menu.day, menu.meal)
    served = queries.of_status(db, labels, [BookingStatus.confirmed])
    if not served:
        return 0
    orders = {
        o.booking_id: o
        for o in db.exec(
            select(MealOrder).where(col(MealOrder.booking_id).in_([b.id or 0 for b in served]))
        ).all()
    }
    asks = [
        satisfaction.Ask(
            source_id=orders[b.id or 0].id or 0,
            retiree_id=b.retiree_id,
            unit_id=b.unit_id,
            label=labels[b.bookable_id],
        )
        for b in sorted(served, key=lambda b: b.id or 0)
        if (b.id or 0) in orders
    ]
    return satisfaction.invite_many(db, clock=clock, source=Source.meal, asks=asks)


def is_daytime(clock: Clock) -> bool:
    return 9 <= to_local(clock.now()).hour < 21
