"""Standing orders ("every weekday lunch"): once a day's menu exists, the order is placed for
that day (idempotency key standing:<id>:<date>:<meal>, so a re-run never books twice). Days
without a menu are skipped quietly; a day with no option carrying the wanted diet tag gets one
gentle notice."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import Session, col, select

from backend.accounts import directory
from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree
from backend.bookings import queries
from backend.bookings.enums import BookableStatus
from backend.core.clock import Clock, local_today, to_local
from backend.core.errors import AppError, BadRequest, Conflict, NotFound
from backend.meals import common, menus, service
from backend.meals.models import MealMenu, MealStandingOrder
from backend.meals.schemas import StandingOrderIn, StandingOrderPublic
from backend.notices import service as notices_service

log = logging.getLogger(__name__)
HORIZON_DAYS = 14


def to_public(row: MealStandingOrder) -> StandingOrderPublic:
    return StandingOrderPublic(
        id=row.id or 0,
        meal=row.meal,
        weekdays=[int(d) for d in row.weekdays.split(",") if d],
        mode=row.mode,
        quantity=row.quantity,
        diet_notes=row.diet_notes,
        tag=row.tag,
        active=row.active,
        created_at=row.created_at,
    )


def list_for(db: Session, retiree: Retiree) -> list[MealStandingOrder]:
    return list(
        db.exec(
            select(MealStandingOrder)
            .where(MealStandingOrder.retiree_id == retiree.id)
            .order_by(col(MealStandingOrder.active).desc(), col(MealStandingOrder.id).desc())
        ).all()
    )


def get(db: Session, standing_id: int) -> MealStandingOrder:
    row = db.get(MealStandingOrder, standing_id)
    if row is None:
        raise NotFound("没有找到这个长期订餐。")
    return row


def create(
    db: Session, *, clock: Clock, retiree: Retiree, data: StandingOrderIn, by: str
) -> MealStandingOrder:
    if data.quantity > common.MAX_QUANTITY:
        raise BadRequest(f"每次最多订{common.MAX_QUANTITY}份。")
    duplicate = db.exec(
        select(MealStandingOrder).where(
            MealStandingOrder.retiree_id == retiree.id,
            MealStandingOrder.meal == data.meal.value,
            MealStandingOrder.active == True,  # noqa: E712
        )
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"您已经有长期订{data.meal.value}了。要改的话，请先停掉原来的，再新订一个。",
            code="standing_exists",
        )
    address = None
    if data.mode.value == "送餐":
        address = (data.address or "").strip() or None
        if address is None and not (retiree.address or "").strip():
            raise BadRequest("送餐需要地址。请填写送餐地址，或请工作人员在您的资料里登记住址。")
    row = MealStandingOrder(
        retiree_id=retiree.id or 0,
        meal=data.meal.value,
        weekdays=",".join(str(d) for d in data.weekdays),
        mode=data.mode.value,
        quantity=data.quantity,
        diet_notes=(data.diet_notes or "").strip() or None,
        address=address,
        tag=data.tag.value if data.tag else None,
        created_by=by,
        created_at=clock.now(),
    )
    db.add(row)
    db.flush()
    apply(db, clock=clock, standing_ids=[row.id or 0])
    return row


def stop(db: Session, *, clock: Clock, row: MealStandingOrder, by: str) -> MealStandingOrder:
    """Stops future days; orders already placed stay (cancel them one by one before the
    cutoff)."""
    if row.active:
        row.active = False
        row.stopped_at = clock.now()
        row.stopped_by = by
        db.add(row)
    return row


def _choose(db: Session, menu: MealMenu, tag: str | None) -> int | None:
    pairs = [
        (o, b) for o, b in menus.options_of(db, menu.id or 0) if b.status == BookableStatus.open
    ]
    if tag:
        pairs = [(o, b) for o, b in pairs if tag in common.load_list(o.tags)]
    if not pairs:
        return None
    with_room = [o for o, b in pairs if b.confirmed_count < b.capacity]
    return (with_room or [pairs[0][0]])[0].id


def apply(
    db: Session,
    *,
    clock: Clock,
    standing_ids: list[int] | None = None,
    menu_ids: list[int] | None = None,
) -> int:
    """Place the orders due: every active standing order × every open menu before its cutoff
    in the next two weeks on one of its weekdays. Returns how many orders were placed."""
    today = local_today(clock)
    query = select(MealStandingOrder).where(MealStandingOrder.active == True)  # noqa: E712
    if standing_ids is not None:
        query = query.where(col(MealStandingOrder.id).in_(standing_ids))
    standing = db.exec(query.order_by(col(MealStandingOrder.id))).all()
    if not standing:
        return 0
    menu_query = select(MealMenu).where(
        MealMenu.status == common.MenuStatus.open,
        col(MealMenu.cutoff_at) > clock.now(),
        col(MealMenu.day) <= today + timedelta(days=HORIZON_DAYS),
    )
    if menu_ids is not None:
        menu_query = menu_query.where(col(MealMenu.id).in_(menu_ids))
    open_menus = db.exec(menu_query.order_by(col(MealMenu.day), col(MealMenu.id))).all()
    placed = 0
    for row in standing:
        retiree = directory.retiree(db, row.retiree_id)
        if retiree is None or retiree.status == RetireeStatus.deceased:
            continue
        ancestors = menus.home_ancestors(db, retiree)
        weekdays = {int(d) for d in row.weekdays.split(",") if d}
        starts = to_local(row.created_at).date()
        for menu in open_menus:
            if (
                menu.meal != row.meal
                or menu.unit_id not in ancestors
                or menu.day.isoweekday() not in weekdays
                or menu.day < starts
            ):
                continue
            placed += _place(db, clock=clock, row=row, retiree=retiree, menu=menu)
    return placed


def _place(
    db: Session, *, clock: Clock, row: MealStandingOrder, retiree: Retiree, menu: MealMenu
) -> int:
    key = f"standing:{row.id}:{menu.day.isoformat()}:{menu.meal}"
    bookable_ids = [b.id or 0 for _, b in menus.options_of(db, menu.id or 0)]
    done = queries.by_idempotency_key(db, bookable_ids, key)
    if done is not None:  # placed before (maybe cancelled since by the retiree): never again
        return 0
    option_id = _choose(db, menu, row.tag)
    if option_id is None:
        notices_service.notify(
            db,
            clock=clock,
            retiree_id=row.retiree_id,
            title="这顿没有帮您订",
            body=f"{common.day_label(menu.day, menu.meal)}没有“{row.tag}”的饭菜，"
            "这顿没有帮您订。需要的话请自己挑一个，或打电话给工作人员。",
            dedupe_key=f"{key}:no-tag",
            link_page=f"pages/meals/meals?retiree_id={row.retiree_id}",
        )
        return 0
    if service.active_order_in_menu(db, menu.id or 0, row.retiree_id) is not None:
        return 0
    try:
        with db.begin_nested():
            service.place_order(
                db,
                clock=clock,
                retiree=retiree,
                option_id=option_id,
                quantity=row.quantity,
                mode=row.mode,
                address=row.address,
                diet_notes=row.diet_notes,
                booked_by=f"standing:{row.id}",
                channel="长期订餐",
                idempotency_key=key,
                standing_order_id=row.id,
            )
    except AppError as exc:
        log.info("standing order %s skipped %s: %s", row.id, key, exc.code)
        return 0
    return 1
