"""Menus: publish, look up, change and cancel. Each option is a Bookable of kind "meal"
(capacity = portions, closes at the cutoff), so capacity and the waiting list are bookings/'s."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import audit, units
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import ancestor_ids, get_scoped
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.core.actors import Actor
from backend.core.clock import Clock, as_utc, from_local, local_at
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.meals import common, wording
from backend.meals.models import MealMenu, MealOption, MealOrder
from backend.meals.schemas import MenuIn, OptionIn
from backend.notices import service as notices_service

if TYPE_CHECKING:
    from backend.bookings.models import Bookable, Booking


def _new_bookable(
    db: Session, *, clock: Clock, menu: MealMenu, option: OptionIn, staff: StaffAccount
) -> Bookable:
    return bookings.create_bookable(
        db,
        clock=clock,
        kind=common.KIND,
        unit_id=menu.unit_id,
        title=f"{common.day_label(menu.day, menu.meal)}·{option.name.strip()}",
        capacity=option.portions,
        starts_at=menu.serve_at,
        ends_at=None,
        opens_at=clock.now(),
        closes_at=menu.cutoff_at,
        cancel_deadline=menu.cutoff_at,
        max_quantity=common.MAX_QUANTITY,
        created_by_staff_id=staff.id,
    )


def publish(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: MenuIn
) -> MealMenu:
    unit = get_scoped(db, Unit, data.unit_id, scope) if data.unit_id else scope
    meal = data.meal.value
    serve_at = local_at(data.date, common.SERVE_TIME[meal])
    cutoff_at = (
        from_local(data.cutoff_at)
        if data.cutoff_at
        else local_at(data.date, common.DEFAULT_CUTOFF[meal])
    )
    now = clock.now()
    if cutoff_at <= now:
        raise BadRequest("订餐截止时间已经过了。请换一天，或把截止时间改晚一点。")
    if cutoff_at > serve_at:
        raise BadRequest(f"订餐截止时间不能晚于开饭时间（{common.clock_label(serve_at)}）。")
    names = [o.name.strip() for o in data.options]
    if len(set(names)) != len(names):
        raise BadRequest("几个套餐的名字不能一样。")
    existing = db.exec(
        select(MealMenu).where(
            MealMenu.unit_id == unit.id,
            MealMenu.day == data.date,
            MealMenu.meal == meal,
            MealMenu.status == common.MenuStatus.open,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"{common.day_label(data.date, meal)}的菜单已经发布过了，请在原来的菜单上修改。",
            code="menu_exists",
        )
    menu = MealMenu(
        unit_id=unit.id or 0,
        day=data.date,
        meal=meal,
        serve_at=serve_at,
        cutoff_at=cutoff_at,
        note=(data.note or "").strip() or None,
        created_by_staff_id=staff.id,
        created_at=now,
        updated_at=now,
    )
    db.add(menu)
    db.flush()
    for position, option in enumerate(data.options):
        bookable = _new_bookable(db, clock=clock, menu=menu, option=option, staff=staff)
        db.add(
            MealOption(
                menu_id=menu.id or 0,
                bookable_id=bookable.id or 0,
                position=position,
                name=option.name.strip(),
                dishes=common.dump_list(option.dishes),
                tags=common.dump_list([t.value for t in option.tags]),
                price_fen=common.to_fen(option.price),
                subsidised_fen=common.to_fen(option.subsidised_price),
            )
        )
    db.flush()
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_menu.publish",
        entity="meal_menu",
        entity_id=menu.id,
        unit_id=menu.unit_id,
        after={"day": menu.day, "meal": meal, "options": names, "cutoff_at": cutoff_at},
    )
    return menu


def options_of(db: Session, menu_id: int) -> list[tuple[MealOption, Bookable]]:
    return options_of_menus(db, [menu_id]).get(menu_id, [])


def options_of_menus(
    db: Session, menu_ids: list[int]
) -> dict[int, list[tuple[MealOption, Bookable]]]:
    """Each menu's options beside their bookables, in two queries for any number of menus."""
    if not menu_ids:
        return {}
    options = db.exec(
        select(MealOption)
        .where(col(MealOption.menu_id).in_(sorted(set(menu_ids))))
        .order_by(col(MealOption.position), col(MealOption.id))
    ).all()
    by_id = queries.bookables(db, [o.bookable_id for o in options])
    result: dict[int, list[tuple[MealOption, Bookable]]] = {}
    for option in options:
        result.setdefault(option.menu_id, []).append((option, by_id[option.bookable_id]))
    return result


def get_option(db: Session, option_id: int) -> tuple[MealOption, MealMenu, Bookable]:
    option = db.get(MealOption, option_id)
    if option is None:
        raise NotFound("没有找到这个套餐。")
    menu = db.get(MealMenu, option.menu_id)
    bookable = queries.bookable(db, option.bookable_id)
    assert menu is not None and bookable is not None
    return option, menu, bookable


def get_option_in_scope(
    db: Session, option_id: int, scope: Unit
) -> tuple[MealOption, MealMenu, Bookable]:
    get_scoped(db, MealOption, option_id, scope)
    return get_option(db, option_id)


def home_ancestors(db: Session, retiree: Retiree) -> list[int]:
    return ancestor_ids(units.get_unit(db, retiree.unit_id))


def get_option_for(
    db: Session, option_id: int, retiree: Retiree
) -> tuple[MealOption, MealMenu, Bookable]:
    """An option the retiree can see: menus of their own unit and the units above it."""
    option, menu, bookable = get_option(db, option_id)
    if menu.unit_id not in home_ancestors(db, retiree):
        raise NotFound("没有找到这个套餐。")
    return option, menu, bookable


def menus_between(
    db: Session, *, unit_ids: list[int], start: date, days: int, meal: str | None = None
) -> list[MealMenu]:
    query = select(MealMenu).where(
        col(MealMenu.unit_id).in_(unit_ids),
        col(MealMenu.day) >= start,
        col(MealMenu.day) < start + timedelta(days=days),
    )
    if meal:
        query = query.where(MealMenu.meal == meal)
    rows = db.exec(query).all()
    return sorted(rows, key=lambda m: (m.day, common.MEAL_ORDER.get(m.meal, 9), m.unit_id))


def close_waitlist(db: Session, *, clock: Clock, bookable: Bookable) -> int:
    """After the cutoff nobody moves up: whoever still waits is told they did not get a meal.
    Call before anything that frees places after the cutoff."""
    if clock.now() <= as_utc(bookable.closes_at):
        return 0
    waiting = queries.waiting_of(db, bookable.id or 0)
    for booking in waiting:
        bookings.cancel(
            db,
            clock=clock,
            booking=booking,
            by=Actor.system("cutoff").label,
            reason="截止时没有空出来的份",
        )
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=booking.retiree_id,
            title="这次没订上",
            body=f"很抱歉，“{bookable.title}”到订餐截止时也没有空出来的份，这次没订上。"
            "可以看看别的饭菜，或打电话给工作人员。",
            dedupe_key=f"meal-booking:{booking.id}:not_served",
            link_page=wording.page_for(booking.retiree_id),
        )
    return len(waiting)


def tell_orders(
    db: Session,
    *,
    clock: Clock,
    bookable_ids: list[int],
    title: str,
    body: str,
    key: str,
) -> int:
    """A notice to everyone with an active order on these options, once per key."""
    rows = queries.active_of(db, bookable_ids)
    for booking in rows:
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=booking.retiree_id,
            title=title,
            body=body,
            dedupe_key=f"{key}:{booking.id}",
            link_page=wording.page_for(booking.retiree_id),
        )
    return len(rows)


def orders_of_option(db: Session, option_id: int) -> list[tuple[MealOrder, Booking]]:
    orders = db.exec(
        select(MealOrder).where(MealOrder.option_id == option_id).order_by(col(MealOrder.id))
    ).all()
    by_id = queries.bookings(db, [o.booking_id for o in orders])
    return [(o, by_id[o.booking_id]) for o in orders if o.booking_id in by_id]


def is_closed(menu: MealMenu, now: datetime) -> bool:
    return now > as_utc(menu.cutoff_at)
