"""What retirees and staff see of menus: the days with options, portions left, my order."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import units
from backend.accounts.models import Retiree, Unit
from backend.bookings import eligibility, queries
from backend.bookings import status as booking_status
from backend.bookings.enums import BookableStatus
from backend.bookings.status import status_fields
from backend.core.clock import Clock, as_utc, local_today
from backend.meals import common, menus
from backend.meals.models import MealMenu, MealOption, MealOrder
from backend.meals.schemas import MealOrderPublic, MenuDay, OptionPublic, StaffMenu, StaffOption

if TYPE_CHECKING:
    from backend.bookings.models import Bookable


def _my_orders(db: Session, retiree_id: int, bookable_ids: list[int]) -> dict[int, int]:
    mine = queries.active_bookings_of(db, retiree_id, bookable_ids)
    if not mine:
        return {}
    orders = db.exec(
        select(MealOrder.booking_id, MealOrder.id).where(
            col(MealOrder.booking_id).in_([b.id or 0 for b in mine.values()])
        )
    ).all()
    order_of = {booking_id: order_id or 0 for booking_id, order_id in orders}
    return {
        bookable_id: order_of[b.id or 0]
        for bookable_id, b in mine.items()
        if (b.id or 0) in order_of
    }


def _why_not(db: Session, menu: MealMenu, retiree: Retiree, clock: Clock) -> str | None:
    if menu.status != common.MenuStatus.open:
        return f"这顿饭取消了。原因：{menu.cancel_reason or '未说明'}。"
    if menus.is_closed(menu, clock.now()):
        return (
            f"已过订餐时间（{common.clock_label(menu.cutoff_at)}）。"
            "如确实需要，请打电话给工作人员。"
        )
    bookable = menus.options_of(db, menu.id or 0)[0][1]
    return eligibility.why_not_eligible(db, bookable, retiree, local_today(clock))


def menu_days(
    db: Session, *, clock: Clock, retiree: Retiree, start: date, days: int
) -> list[MenuDay]:
    result = []
    rows = menus.menus_between(
        db, unit_ids=menus.home_ancestors(db, retiree), start=start, days=days
    )
    for menu in rows:
        pairs = [
            (o, b) for o, b in menus.options_of(db, menu.id or 0) if b.status == BookableStatus.open
        ]
        if not pairs:
            continue
        mine = _my_orders(db, retiree.id or 0, [b.id or 0 for _, b in pairs])
        why_not = _why_not(db, menu, retiree, clock)
        if why_not is None and mine:
            why_not = "这一顿您已经订了。要换的话，请先取消原来的再订。"
        result.append(
            MenuDay(
                date=menu.day,
                meal=menu.meal,
                cutoff_at=as_utc(menu.cutoff_at),
                can_book=why_not is None,
                why_not=why_not,
                options=[
                    OptionPublic(
                        id=o.id or 0,
                        name=o.name,
                        dishes=common.load_list(o.dishes),
                        tags=common.load_list(o.tags),
                        price=common.to_money(o.price_fen),
                        subsidised_price=common.to_money(o.subsidised_fen),
                        portions_left=max(0, b.capacity - b.confirmed_count),
                        my_order_id=mine.get(b.id or 0),
                    )
                    for o, b in pairs
                ],
            )
        )
    return result


def staff_option(
    db: Session, option: MealOption, bookable: Bookable, *, waiting: int | None = None
) -> StaffOption:
    """`waiting`: how many wait, when the caller counted them in bulk."""
    if waiting is None:
        waiting = queries.waiting_counts(db, [bookable.id or 0])[bookable.id or 0]
    return StaffOption(
        id=option.id or 0,
        name=option.name,
        dishes=common.load_list(option.dishes),
        tags=common.load_list(option.tags),
        price=common.to_money(option.price_fen),
        subsidised_price=common.to_money(option.subsidised_fen),
        portions=bookable.capacity,
        booked=bookable.confirmed_count,
        portions_left=max(0, bookable.capacity - bookable.confirmed_count),
        waitlisted=waiting,
        status="已取消" if bookable.status == BookableStatus.cancelled else "正常",
    )


def staff_menu(db: Session, menu: MealMenu) -> StaffMenu:
    unit = units.get_unit(db, menu.unit_id)
    pairs = menus.options_of(db, menu.id or 0)
    for _, bookable in pairs:
        db.refresh(bookable)
    waiting = queries.waiting_counts(db, [b.id or 0 for _, b in pairs])
    return StaffMenu(
        id=menu.id or 0,
        unit_id=menu.unit_id,
        unit_name=unit.name,
        date=menu.day,
        meal=menu.meal,
        serve_at=as_utc(menu.serve_at),
        cutoff_at=as_utc(menu.cutoff_at),
        note=menu.note,
        status="已取消" if menu.status == common.MenuStatus.cancelled else "正常",
        cancel_reason=menu.cancel_reason,
        options=[staff_option(db, o, b, waiting=waiting[b.id or 0]) for o, b in pairs],
    )


def staff_menus(db: Session, *, scope: Unit, start: date, days: int) -> list[StaffMenu]:
    ids = units.subtree_ids(db, scope)
    return [
        staff_menu(db, m) for m in menus.menus_between(db, unit_ids=ids, start=start, days=days)
    ]


def order_public(db: Session, order: MealOrder, now: datetime) -> MealOrderPublic:
    booking = queries.booking(db, order.booking_id)
    option, menu, bookable = menus.get_option(db, order.option_id)
    assert booking is not None
    db.refresh(booking)
    can_cancel = booking_status.can_cancel(booking.status, deadline=as_utc(menu.cutoff_at), now=now)
    return MealOrderPublic(
        id=order.id or 0,
        option_id=option.id or 0,
        date=menu.day,
        meal=menu.meal,
        name=option.name,
        dishes=common.load_list(option.dishes),
        quantity=booking.quantity,
        mode=order.mode,
        address=order.address,
        diet_notes=order.diet_notes,
        status=booking.status,  # the code, kept for older clients
        **status_fields(booking.status, common.STATUS_LABELS),
        waitlist_position=queries.waitlist_position(db, booking),
        amount_due=common.to_money(order.amount_fen),
        paid=order.paid,
        cutoff_at=as_utc(menu.cutoff_at),
        can_cancel=can_cancel and bookable.status == BookableStatus.open,
    )
