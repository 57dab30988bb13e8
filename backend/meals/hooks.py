"""How meals react to other domains' events: deliveries follow the retiree's new address; a
death stops standing orders (the orders already placed are bookings, ended by bookings)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.models import Retiree, StaffAccount
from backend.accounts.retirees import same_address
from backend.bookings import queries
from backend.bookings.enums import ACTIVE
from backend.core import events
from backend.core.clock import Clock, as_utc
from backend.meals import common
from backend.meals.models import MealMenu, MealOption, MealOrder, MealStandingOrder
from backend.notices import alerts


def on_address_changed(
    *,
    db: Session,
    retiree: Retiree,
    old_address: str,
    clock: Clock,
    staff: StaffAccount | None,
) -> None:
    """Deliveries to the old home that are not yet cut off go to the new one; standing orders
    that named the old home name the new one. Deliveries already cut off (the kitchen has the
    list) are not changed behind the staff's back: the staff are told which."""
    new_address = (retiree.address or "").strip()[:200]
    now = clock.now()
    found = db.exec(
        select(MealOrder, MealMenu)
        .join(MealOption, col(MealOption.id) == col(MealOrder.option_id))
        .join(MealMenu, col(MealMenu.id) == col(MealOption.menu_id))
        .where(
            MealOrder.retiree_id == retiree.id,
            MealOrder.mode == "送餐",
            MealMenu.status == common.MenuStatus.open,
            col(MealMenu.serve_at) > now,
        )
        .order_by(col(MealMenu.serve_at), col(MealOrder.id))
    ).all()
    booked = queries.bookings(db, [o.booking_id for o, _ in found])
    rows = [
        (o, m) for o, m in found if o.booking_id in booked and booked[o.booking_id].status in ACTIVE
    ]
    too_late: list[MealMenu] = []
    for order, menu in rows:
        if not same_address(order.address, old_address):
            continue
        if as_utc(menu.cutoff_at) <= now:
            too_late.append(menu)
            continue
        order.address = new_address
        db.add(order)
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="meal_order.follow_address",
            entity="meal_order",
            entity_id=order.id,
            unit_id=retiree.unit_id,
            before={"address": old_address},
            after={"address": new_address},
        )
    standing = db.exec(
        select(MealStandingOrder).where(
            MealStandingOrder.retiree_id == retiree.id,
            MealStandingOrder.active == True,  # noqa: E712
        )
    ).all()
    for row in standing:
        if same_address(row.address, old_address):
            row.address = new_address
            db.add(row)
    if too_late:
        meals = "、".join(common.day_label(m.day, m.meal) for m in too_late)
        alerts.alert_staff(
            db,
            clock=clock,
            unit_id=retiree.unit_id,
            title=f"{retiree.name}换了住址，已截止的送餐还是旧地址",
            body=(
                f"{retiree.name}的住址改成了“{new_address}”。{meals}的送餐已经截止，"
                "送餐名单上还是旧地址，请告诉送餐的同事送到新地址。"
            ),
            dedupe_key=f"meal-address:{retiree.id}:{too_late[0].id}:{retiree.version}",
        )


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock, **_: object) -> None:
    from backend.meals import standing

    for row in db.exec(
        select(MealStandingOrder)
        .where(MealStandingOrder.retiree_id == retiree.id, MealStandingOrder.active == True)  # noqa: E712
        .order_by(col(MealStandingOrder.id))
    ).all():
        standing.stop(db, clock=clock, row=row, by="system:deceased")


def on_death_revoked(
    *, db: Session, retiree: Retiree, marked_at: datetime, restored: list[str], **_: object
) -> None:
    rows = db.exec(
        select(MealStandingOrder)
        .where(
            MealStandingOrder.retiree_id == retiree.id,
            MealStandingOrder.active == False,  # noqa: E712
            MealStandingOrder.stopped_by == "system:deceased",
        )
        .order_by(col(MealStandingOrder.id))
    ).all()
    for row in rows:
        if row.stopped_at is None or as_utc(row.stopped_at) < marked_at:
            continue
        row.active, row.stopped_at, row.stopped_by = True, None, None
        db.add(row)
        restored.append(f"长期订{row.meal}已恢复")


def install() -> None:
    from backend.meals import open_items

    open_items.install()
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
    events.subscribe(events.ADDRESS_CHANGED, on_address_changed)
