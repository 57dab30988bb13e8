"""Meals jobs: place standing orders once menus exist, close the waiting lists at the cutoff
(and tell the kitchen's staff the counts are final), and the day-before reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import units
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.core.clock import Clock, local_today, to_local
from backend.core.context import AppContext
from backend.core.db import transaction
from backend.core.scheduler import IntervalJob, current_context
from backend.meals import common, menus, ratings, standing
from backend.meals.models import MealMenu, MealOrder
from backend.notices import alerts

if TYPE_CHECKING:
    from backend.bookings.models import Bookable


def close_at_cutoff(db: Session, *, clock: Clock) -> int:
    """Menus whose cutoff has passed (within the last two days): close their waiting lists and
    tell the unit's staff once that the kitchen counts are final."""
    now = clock.now()
    recent = db.exec(
        select(MealMenu).where(
            MealMenu.status == common.MenuStatus.open,
            col(MealMenu.cutoff_at) <= now,
            col(MealMenu.day) >= local_today(clock) - timedelta(days=2),
        )
    ).all()
    closed = 0
    for menu in recent:
        portions = 0
        delivered = 0
        for _, bookable in menus.options_of(db, menu.id or 0):
            if bookable.status != BookableStatus.open:
                continue
            if queries.waiting_counts(db, [bookable.id or 0])[bookable.id or 0]:
                closed += menus.close_waitlist(db, clock=clock, bookable=bookable)
            portions += bookable.confirmed_count
            delivered += _delivery_portions(db, bookable)
        label = common.day_label(menu.day, menu.meal)
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=menu.unit_id,
            title=f"{label}订餐已截止",
            body=f"{units.get_unit(db, menu.unit_id).name}{label}共{portions}份，"
            f"其中送餐{delivered}份。厨房统计和送餐名单可以打印或导出。",
            dedupe_key=f"meal-menu:{menu.id}:cutoff",
            link=f"/console/meals/kitchen?date={menu.day.isoformat()}&meal={menu.meal}",
        )
    return closed


def _delivery_portions(db: Session, bookable: Bookable) -> int:
    confirmed = queries.of_status(db, [bookable.id or 0], [BookingStatus.confirmed])
    if not confirmed:
        return 0
    delivered = set(
        db.exec(
            select(MealOrder.booking_id).where(
                col(MealOrder.booking_id).in_([b.id or 0 for b in confirmed]),
                MealOrder.mode == "送餐",
            )
        ).all()
    )
    return sum(b.quantity for b in confirmed if b.id in delivered)


def place_standing_orders(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return standing.apply(db, clock=ctx.clock)


def close_cutoffs(ctx: AppContext) -> int:
    with transaction(ctx.engine) as db:
        return close_at_cutoff(db, clock=ctx.clock)


def send_reminders(ctx: AppContext) -> int:
    if not 9 <= to_local(ctx.clock.now()).hour < 20:
        return 0
    with transaction(ctx.engine) as db:
        return bookings.remind_tomorrow(db, clock=ctx.clock, kinds=(common.KIND,))


def ask_ratings(ctx: AppContext) -> int:
    if not ratings.is_daytime(ctx.clock):  # no 请评价 notice at night
        return 0
    with transaction(ctx.engine) as db:
        return ratings.ask_ratings(db, clock=ctx.clock)


def job_ask_ratings() -> None:
    ask_ratings(current_context())


def job_place_standing_orders() -> None:
    place_standing_orders(current_context())


def job_close_cutoffs() -> None:
    close_cutoffs(current_context())


def job_send_reminders() -> None:
    send_reminders(current_context())


JOBS = [
    IntervalJob(id="meals.standing", func=job_place_standing_orders, seconds=600),
    IntervalJob(id="meals.cutoff", func=job_close_cutoffs, seconds=300),
    IntervalJob(id="meals.reminders", func=job_send_reminders, seconds=1800),
    IntervalJob(id="meals.ask_ratings", func=job_ask_ratings, seconds=1800),
]
