"""Meal orders on top of bookings/: order (confirmed or waitlisted), cancel before the cutoff,
mark paid, and the shapes the retiree and staff see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.accounts import audit
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.accounts.scope import get_scoped, staff_actor
from backend.bookings import api as bookings
from backend.bookings import queries
from backend.bookings.enums import BookableStatus, BookingStatus
from backend.core import reasons
from backend.core.clock import Clock, local_today
from backend.core.errors import BadRequest, Conflict, NotFound
from backend.meals import common, menus, views
from backend.meals.models import MealMenu, MealOption, MealOrder
from backend.meals.schemas import MealOrderPublic, StaffOrderIn

if TYPE_CHECKING:
    from backend.bookings.models import Booking


def _delivery_address(retiree: Retiree, mode: str, address: str | None) -> str | None:
    if mode != "送餐":
        return None
    chosen = (address or "").strip() or (retiree.address or "").strip()
    if not chosen:
        raise BadRequest(
            "送餐需要地址。请填写送餐地址，或请工作人员在您的资料里登记住址。", code="no_address"
        )
    return chosen[:200]


def _existing_for_key(db: Session, bookable_id: int, key: str | None) -> Booking | None:
    if not key:
        return None
    return queries.by_idempotency_key(db, [bookable_id], key)


def order_of_booking(db: Session, booking_id: int) -> MealOrder | None:
    return db.exec(select(MealOrder).where(MealOrder.booking_id == booking_id)).first()


def active_order_in_menu(db: Session, menu_id: int, retiree_id: int) -> MealOption | None:
    options = db.exec(
        select(MealOption)
        .where(MealOption.menu_id == menu_id)
        .order_by(col(MealOption.position), col(MealOption.id))
    ).all()
    mine = queries.active_bookings_of(db, retiree_id, [o.bookable_id for o in options])
    return next((o for o in options if o.bookable_id in mine), None)


def place_order(
    db: Session,
    *,
    clock: Clock,
    retiree: Retiree,
    option_id: int,
    quantity: int,
    mode: str,
    address: str | None,
    diet_notes: str | None,
    booked_by: str,
    channel: str,
    idempotency_key: str | None,
    standing_order_id: int | None = None,
) -> MealOrder:
    """Confirmed when there are portions left, else on the waiting list. The same key again
    returns the first order."""
    option, menu, bookable = menus.get_option_for(db, option_id, retiree)
    repeat = _existing_for_key(db, bookable.id or 0, idempotency_key)
    if repeat is not None and repeat.retiree_id == retiree.id:
        found = order_of_booking(db, repeat.id or 0)
        if found is not None:
            return found
    if menu.status != common.MenuStatus.open or bookable.status != BookableStatus.open:
        raise BadRequest("这顿饭已经取消了。可以看看别的饭菜。", code="cannot_book")
    if menus.is_closed(menu, clock.now()):
        raise BadRequest(
            f"已过订餐时间（{common.clock_label(menu.cutoff_at)}）。"
            "如确实需要，请打电话给工作人员。",
            code="past_cutoff",
        )
    if not 1 <= quantity <= common.MAX_QUANTITY:
        raise BadRequest(f"每次最多订{common.MAX_QUANTITY}份。", code="bad_quantity")
    chosen_address = _delivery_address(retiree, mode, address)
    # Lock the menu's first option before looking for another order in the same meal: every
    # order of one meal passes this lock, so two taps on 套餐A and 套餐B cannot both win.
    first = menus.options_of(db, menu.id or 0)[0][1]
    bookings.lock(db, first.id or 0)
    already = active_order_in_menu(db, menu.id or 0, retiree.id or 0)
    if already is not None and repeat is None:
        raise Conflict(
            f"这一顿您已经订了“{already.name}”。要换的话，请先取消原来的再订。",
            code="already_ordered",
        )
    booking = bookings.book(
        db,
        clock=clock,
        bookable_id=bookable.id or 0,
        retiree=retiree,
        quantity=quantity,
        notes=None,
        booked_by=booked_by,
        channel=channel,
        idempotency_key=idempotency_key,
    )
    found = order_of_booking(db, booking.id or 0)
    if found is not None:
        return found
    order = MealOrder(
        booking_id=booking.id or 0,
        option_id=option.id or 0,
        retiree_id=retiree.id or 0,
        mode=mode,
        address=chosen_address,
        diet_notes=(diet_notes or "").strip()[:200] or None,
        amount_fen=common.amount_for(
            price_fen=option.price_fen, subsidised_fen=option.subsidised_fen, quantity=quantity
        ),
        standing_order_id=standing_order_id,
    )
    db.add(order)
    db.flush()
    return order


def staff_place_order(
    db: Session, *, clock: Clock, staff: StaffAccount, retiree: Retiree, data: StaffOrderIn
) -> MealOrder:
    """A retiree phoned or came to the counter."""
    placed = place_order(
        db,
        clock=clock,
        retiree=retiree,
        option_id=data.option_id,
        quantity=data.quantity,
        mode=data.mode.value,
        address=data.address,
        diet_notes=data.diet_notes,
        booked_by=staff_actor(staff).label,
        channel=data.channel,
        idempotency_key=data.idempotency_key,
    )
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_order.create",
        entity="meal_order",
        entity_id=placed.id,
        unit_id=retiree.unit_id,
        after={"option_id": data.option_id, "quantity": data.quantity, "mode": data.mode.value},
    )
    return placed


def get_order(db: Session, order_id: int) -> tuple[MealOrder, Booking]:
    order = db.get(MealOrder, order_id)
    booking = queries.booking(db, order.booking_id) if order else None
    if order is None or booking is None:
        raise NotFound("没有找到这份订餐。")
    return order, booking


def get_order_in_scope(db: Session, order_id: int, scope: Unit) -> tuple[MealOrder, Booking]:
    get_scoped(db, MealOrder, order_id, scope)
    return get_order(db, order_id)


def menu_of_order(db: Session, order_id: int) -> int | None:
    """The id of the menu an order belongs to (None for an order that does not exist)."""
    order = db.get(MealOrder, order_id)
    option = db.get(MealOption, order.option_id) if order else None
    return option.menu_id if option else None


def cancel_order(
    db: Session,
    *,
    clock: Clock,
    order: MealOrder,
    by: str,
    reason: str | None = None,
    staff: StaffAccount | None = None,
) -> MealOrder:
    """The retiree cancels until the cutoff; staff any time (with a reason, and the retiree is
    told). After the cutoff the freed portion goes to nobody."""
    if staff is not None:
        reason = reasons.given(reason, "请写取消的原因，会告诉老同志。")
    booking = queries.booking(db, order.booking_id)
    assert booking is not None
    bookable = queries.bookable(db, booking.bookable_id)
    assert bookable is not None
    before = booking.status
    menus.close_waitlist(db, clock=clock, bookable=bookable)
    bookings.cancel(
        db,
        clock=clock,
        booking=booking,
        by=by,
        reason=reason,
        by_staff=staff is not None,
    )
    if staff is not None:
        audit.record(
            db,
            clock=clock,
            staff=staff,
            action="meal_order.cancel",
            entity="meal_order",
            entity_id=order.id,
            unit_id=booking.unit_id,
            before={"status": before},
            after={"status": BookingStatus.cancelled.value, "reason": reason},
        )
    return order


def mark_paid(
    db: Session, *, clock: Clock, staff: StaffAccount, order: MealOrder, booking: Booking
) -> MealOrder:
    if booking.status != BookingStatus.confirmed:
        raise BadRequest("只有已订上的饭才能记已付。")
    if order.paid:
        return order
    order.paid = True
    order.paid_at = clock.now()
    order.paid_by_staff_id = staff.id
    db.add(order)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="meal_order.paid",
        entity="meal_order",
        entity_id=order.id,
        unit_id=booking.unit_id,
        after={"paid": True, "amount_fen": order.amount_fen},
    )
    return order


def orders_of(db: Session, *, clock: Clock, retiree: Retiree) -> list[MealOrderPublic]:
    """The retiree's orders from a week ago on, newest meal first."""
    start = local_today(clock).toordinal() - 7
    rows = db.exec(
        select(MealOrder, MealMenu)
        .join(MealOption, col(MealOption.id) == col(MealOrder.option_id))
        .join(MealMenu, col(MealMenu.id) == col(MealOption.menu_id))
        .where(MealOrder.retiree_id == retiree.id)
        .order_by(col(MealMenu.day).desc(), col(MealMenu.meal), col(MealOrder.id).desc())
        .limit(200)
    ).all()
    now = clock.now()
    return [views.order_public(db, o, now) for o, m in rows if m.day.toordinal() >= start]


def booked_by_label(value: str) -> str:
    if value.startswith("family"):
        return "家人代订"
    if value.startswith("staff"):
        return "工作人员代订"
    if value.startswith("standing"):
        return "长期订餐"
    return "本人"
