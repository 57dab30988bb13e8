"""Staff change a published menu: cutoff and note, an option's dishes, prices and portions,
or call off an option or the whole meal. Everyone affected is told; every change is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from backend.accounts import audit
from backend.accounts.models import StaffAccount, Unit
from backend.accounts.scope import staff_actor
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.core import reasons
from backend.core.clock import Clock, from_local
from backend.core.errors import BadRequest
from backend.meals import common, menus, standing
from backend.meals.models import MealMenu, MealOption
from backend.meals.schemas import MenuIn, MenuPatch, OptionPatch

if TYPE_CHECKING:
    from backend.bookings.models import Bookable


def publish(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, data: MenuIn
) -> MealMenu:
    """Publish, then place the standing orders that fall on this meal at once."""
    menu = menus.publish(db, clock=clock, staff=staff, scope=scope, data=data)
    standing.apply(db, clock=clock, menu_ids=[menu.id or 0])
    return menu


def _active_count(db: Session, bookable_ids: list[int]) -> int:
    return len(queries.active_of(db, bookable_ids))


def _need_reason(db: Session, bookable_ids: list[int], reason: str | None) -> str:
    if _active_count(db, bookable_ids) and not (reason or "").strip():
        raise BadRequest("已经有老同志订了，请写明改动的原因，会发消息告诉他们。")
    return (reason or "").strip() or "未说明"


def patch_menu(
    db: Session, *, clock: Clock, staff: StaffAccount, menu: MealMenu, data: MenuPatch
) -> MealMenu:
    if menu.status != common.MenuStatus.open:
        raise BadRequest("这顿饭已经取消了，不能再改。")
    pairs = menus.options_of(db, menu.id or 0)
    ids = [b.id or 0 for _, b in pairs]
    before: dict[str, Any] = {"cutoff_at": menu.cutoff_at, "note": menu.note}
    changes: list[str] = []
    if data.cutoff_at is not None:
        cutoff = from_local(data.cutoff_at)
        if cutoff <= clock.now():
            raise BadRequest("新的截止时间已经过了，请填一个以后的时间。")
        if cutoff > menu.serve_at:
            raise BadRequest("订餐截止时间不能晚于开饭时间。")
        if cutoff != menu.cutoff_at:
            menu.cutoff_at = cutoff
            for _, bookable in pairs:
                bookings.update_bookable(
                    db,
                    clock=clock,
                    bookable_id=bookable.id or 0,
                    closes_at=cutoff,
                    cancel_deadline=cutoff,
                )
            changes.append(f"订餐和取消截止改为{common.clock_label(cutoff)}")
    if data.note is not None and (data.note.strip() or None) != menu.note:
        menu.note = data.note.strip() or None
        changes.append(f"说明：{menu.note or '无'}")
    if not changes:
        return menu
    reason = _need_reason(db, ids, data.reason)
    menu.updated_at = clock.now()
    db.add(menu)
    db.flush()
    label = common.day_label(menu.day, menu.meal)
    menus.tell_orders(
        db,
        clock=clock,
        bookable_ids=ids,
        title="订餐有变动",
        body=f"{label}有变动：{'；'.join(changes)}。原因：{reason}。如有疑问请打电话给工作人员。",
        key=f"meal-menu:{menu.id}:changed:{menu.updated_at.timestamp():.0f}",
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_menu.update",
        entity="meal_menu",
        entity_id=menu.id,
        unit_id=menu.unit_id,
        before=before,
        after={"cutoff_at": menu.cutoff_at, "note": menu.note, "reason": reason},
    )
    return menu


def patch_option(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    option: MealOption,
    menu: MealMenu,
    bookable: Bookable,
    data: OptionPatch,
) -> MealOption:
    if menu.status != common.MenuStatus.open or bookable.status != BookableStatus.open:
        raise BadRequest("这个套餐已经取消了，不能再改。")
    before = {
        "name": option.name,
        "dishes": common.load_list(option.dishes),
        "tags": common.load_list(option.tags),
        "price_fen": option.price_fen,
        "subsidised_fen": option.subsidised_fen,
        "portions": bookable.capacity,
    }
    told: list[str] = []
    if data.name is not None and data.name.strip() != option.name:
        option.name = data.name.strip()
        bookable = bookings.update_bookable(
            db,
            clock=clock,
            bookable_id=bookable.id or 0,
            title=f"{common.day_label(menu.day, menu.meal)}·{option.name}",
        )
        told.append(f"名称改为“{option.name}”")
    if data.dishes is not None:
        dishes = [d.strip() for d in data.dishes if d.strip()]
        if not dishes:
            raise BadRequest("请至少填一个菜名。")
        if dishes != before["dishes"]:
            option.dishes = common.dump_list(dishes)
            told.append(f"菜品改为{'、'.join(dishes)}")
    if data.tags is not None:
        option.tags = common.dump_list([t.value for t in data.tags])
    price = common.to_fen(data.price) if data.price is not None else option.price_fen
    subsidised = (
        common.to_fen(data.subsidised_price)
        if data.subsidised_price is not None
        else option.subsidised_fen
    )
    if subsidised > price:
        raise BadRequest("补贴后价格不能高于原价。")
    if (price, subsidised) != (option.price_fen, option.subsidised_fen):
        option.price_fen, option.subsidised_fen = price, subsidised
        _reprice_unpaid(db, option)
        told.append(f"价格改为{common.yuan(price)}（补贴后{common.yuan(subsidised)}）")
    if told:
        reason = _need_reason(db, [bookable.id or 0], data.reason)
        menus.tell_orders(
            db,
            clock=clock,
            bookable_ids=[bookable.id or 0],
            title="订餐有变动",
            body=f"您订的“{bookable.title}”有变动：{'；'.join(told)}。原因：{reason}。"
            "不想要了请在截止前取消，有困难请打电话给工作人员。",
            key=f"meal-option:{option.id}:changed:{clock.now().timestamp():.0f}",
        )
    db.add(option)
    db.flush()
    if data.portions is not None and data.portions != bookable.capacity:
        menus.close_waitlist(db, clock=clock, bookable=bookable)
        bookings.set_capacity(db, clock=clock, bookable_id=bookable.id or 0, capacity=data.portions)
    db.refresh(bookable)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_option.update",
        entity="meal_option",
        entity_id=option.id,
        unit_id=menu.unit_id,
        before=before,
        after={
            "name": option.name,
            "dishes": common.load_list(option.dishes),
            "tags": common.load_list(option.tags),
            "price_fen": option.price_fen,
            "subsidised_fen": option.subsidised_fen,
            "portions": bookable.capacity,
            "reason": data.reason,
        },
    )
    return option


def _reprice_unpaid(db: Session, option: MealOption) -> None:
    for order, booking in menus.orders_of_option(db, option.id or 0):
        if order.paid or booking.status == BookingStatus.cancelled:
            continue
        order.amount_fen = common.amount_for(
            price_fen=option.price_fen,
            subsidised_fen=option.subsidised_fen,
            quantity=booking.quantity,
        )
        db.add(order)


def cancel_option(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    option: MealOption,
    menu: MealMenu,
    reason: str,
) -> int:
    reason = reasons.given(reason, "请写取消的原因，会告诉订了的老同志。")
    count = bookings.cancel_bookable(
        db, clock=clock, bookable_id=option.bookable_id, reason=reason, by=staff_actor(staff).label
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_option.cancel",
        entity="meal_option",
        entity_id=option.id,
        unit_id=menu.unit_id,
        after={"reason": reason, "orders_cancelled": count},
    )
    return count


def cancel_menu(
    db: Session, *, clock: Clock, staff: StaffAccount, menu: MealMenu, reason: str
) -> int:
    reason = reasons.given(reason, "请写取消的原因，会告诉订了饭的老同志。")
    if menu.status == common.MenuStatus.cancelled:
        return 0
    count = 0
    for option, _ in menus.options_of(db, menu.id or 0):
        count += bookings.cancel_bookable(
            db,
            clock=clock,
            bookable_id=option.bookable_id,
            reason=reason,
            by=staff_actor(staff).label,
        )
    menu.status = common.MenuStatus.cancelled
    menu.cancel_reason = reason
    menu.updated_at = clock.now()
    db.add(menu)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_menu.cancel",
        entity="meal_menu",
        entity_id=menu.id,
        unit_id=menu.unit_id,
        after={"reason": reason, "orders_cancelled": count},
    )
    return count
