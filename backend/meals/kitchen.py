"""For the kitchen and the counter: the orders of a menu, counts by option, dish, diet note and
mode, and the delivery list grouped by building."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import directory, units
from backend.accounts.directory import Person
from backend.accounts.models import Unit
from backend.bookings import queries
from backend.bookings.enums import ACTIVE, BookableStatus, BookingStatus
from backend.bookings.status import status_fields
from backend.core.clock import Clock
from backend.meals import common, menus, service
from backend.meals.models import MealMenu, MealOption, MealOrder
from backend.meals.schemas import (
    Count,
    DeliveryGroup,
    DeliveryList,
    DeliveryStop,
    KitchenMenu,
    KitchenSheet,
    StaffOrderRow,
)

if TYPE_CHECKING:
    from backend.bookings.models import Booking

NO_NOTE = "无特殊要求"
_PREFIX = re.compile(r"^(?:.{1,8}?(?:省|自治区))?(?:.{1,8}?市(?:.{1,8}?(?:区|县))?)?")
_BUILDING = re.compile(r"^(.*?(?:号楼|栋|幢))")
_COMPOUND = re.compile(r"^(.*?(?:号院|小区|大院|号))")


def building_of(address: str) -> str:
    """The building a delivery goes to, read off the address: "北京市东城区和平里北街12号院
    3号楼2单元301" → "和平里北街12号院3号楼". Without a building, the compound or street number;
    failing that, the address itself."""
    rest = _PREFIX.sub("", address.strip(), count=1) or address.strip()
    for pattern in (_BUILDING, _COMPOUND):
        found = pattern.match(rest)
        if found:
            return found.group(1)
    return rest


def _rows(
    db: Session, menu_ids: list[int], statuses: tuple[str, ...]
) -> list[tuple[MealOrder, Booking, MealOption, Person]]:
    """The menus' orders in these booking statuses, with the option and the person (their
    name, phone, address and unit): three queries, whatever the number of orders."""
    found = db.exec(
        select(MealOrder, MealOption)
        .join(MealOption, col(MealOption.id) == col(MealOrder.option_id))
        .where(col(MealOption.menu_id).in_(menu_ids))
    ).all()
    by_id = queries.bookings(db, [o.booking_id for o, _ in found])
    people = directory.people(db, {o.retiree_id for o, _ in found})
    return sorted(
        (
            (o, by_id[o.booking_id], p, people[o.retiree_id])
            for o, p in found
            if o.retiree_id in people
            and o.booking_id in by_id
            and by_id[o.booking_id].status in statuses
        ),
        key=lambda row: (row[2].position, row[1].status, row[1].id or 0),
    )


def menu_orders(db: Session, menu: MealMenu) -> list[StaffOrderRow]:
    result = []
    rows = _rows(db, [menu.id or 0], ACTIVE)
    positions = queries.waitlist_positions(db, [b for _, b, _, _ in rows])
    for order, booking, option, retiree in rows:
        result.append(
            StaffOrderRow(
                id=order.id or 0,
                booking_id=booking.id or 0,
                retiree_id=retiree.id,
                retiree_name=retiree.name,
                unit_name=retiree.unit_name,
                phone=retiree.phone,
                option_id=option.id or 0,
                option_name=option.name,
                quantity=booking.quantity,
                mode=order.mode,
                address=order.address,
                diet_notes=order.diet_notes,
                status=booking.status,
                **status_fields(booking.status, common.STATUS_LABELS),
                waitlist_position=positions.get(booking.id or 0),
                amount_due=common.to_money(order.amount_fen),
                paid=order.paid,
                channel=service.booked_by_label(booking.booked_by),
                standing=order.standing_order_id is not None,
            )
        )
    return result


def menus_for(db: Session, *, scope: Unit, day: date, meal: str) -> list[MealMenu]:
    ids = units.subtree_ids(db, scope)
    return [
        m
        for m in menus.menus_between(db, unit_ids=ids, start=day, days=1, meal=meal)
        if m.status == common.MenuStatus.open
    ]


def _counts(counter: Counter[str], order: list[str] | None = None) -> list[Count]:
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], k))
    return [Count(label=k, portions=counter[k]) for k in keys]


def kitchen_sheet(db: Session, *, clock: Clock, scope: Unit, day: date, meal: str) -> KitchenSheet:
    result = []
    for menu in menus_for(db, scope=scope, day=day, meal=meal):
        pairs = menus.options_of(db, menu.id or 0)
        by_option: Counter[str] = Counter(
            {o.name: 0 for o, b in pairs if b.status == BookableStatus.open}
        )
        by_dish: Counter[str] = Counter()
        by_note: Counter[str] = Counter()
        by_mode: Counter[str] = Counter(dict.fromkeys(("堂食", "自取", "送餐"), 0))
        dish_order: list[str] = []
        for option, bookable in pairs:
            if bookable.status == BookableStatus.open:
                for dish in common.load_list(option.dishes):
                    if dish not in dish_order:
                        dish_order.append(dish)
                        by_dish[dish] += 0
        for order, booking, option, _ in _rows(db, [menu.id or 0], (BookingStatus.confirmed,)):
            q = booking.quantity
            by_option[option.name] += q
            for dish in common.load_list(option.dishes):
                by_dish[dish] += q
            by_note[(order.diet_notes or "").strip() or NO_NOTE] += q
            by_mode[order.mode] += q
        result.append(
            KitchenMenu(
                menu_id=menu.id or 0,
                unit_name=units.get_unit(db, menu.unit_id).name,
                cutoff_at=menu.cutoff_at,
                closed=menus.is_closed(menu, clock.now()),
                total=sum(by_mode.values()),
                by_option=_counts(
                    by_option, [o.name for o, b in pairs if b.status == BookableStatus.open]
                ),
                by_dish=_counts(by_dish, dish_order),
                by_diet_note=_counts(by_note),
                by_mode=_counts(by_mode, ["堂食", "自取", "送餐"]),
            )
        )
    return KitchenSheet(date=day, meal=meal, menus=result)


def delivery_list(db: Session, *, scope: Unit, day: date, meal: str) -> DeliveryList:
    ids = [m.id or 0 for m in menus_for(db, scope=scope, day=day, meal=meal)]
    groups: dict[str, list[DeliveryStop]] = {}
    portions: Counter[str] = Counter()
    for order, booking, option, retiree in _rows(db, ids, (BookingStatus.confirmed,)):
        if order.mode != "送餐":
            continue
        address = order.address or retiree.address or "（没有地址，请电话确认）"
        building = building_of(address)
        groups.setdefault(building, []).append(
            DeliveryStop(
                order_id=order.id or 0,
                retiree_name=retiree.name,
                phone=retiree.phone,
                address=address,
                option_name=option.name,
                quantity=booking.quantity,
                diet_notes=order.diet_notes,
                amount_due=common.to_money(order.amount_fen),
                paid=order.paid,
            )
        )
        portions[building] += booking.quantity
    data = [
        DeliveryGroup(
            building=b, portions=portions[b], stops=sorted(groups[b], key=lambda s: s.address)
        )
        for b in sorted(groups)
    ]
    return DeliveryList(date=day, meal=meal, groups=data, count=sum(len(g.stops) for g in data))
