"""Mini-program side of meals: the week's menus, order, my orders, cancel, standing orders."""

from __future__ import annotations

from fastapi import Query

from backend.accounts.deps import CurrentViewer
from backend.accounts.identity import Permission, act_for
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Day, Id
from backend.core.routing import APIRouter
from backend.meals import service, standing, views
from backend.meals.schemas import (
    MealOrderPublic,
    MealOrders,
    MenuDays,
    OrderIn,
    StandingOrderIn,
    StandingOrderPublic,
    StandingOrders,
)

router = APIRouter(prefix="/api/v1/meals", tags=["小程序：助餐"])


@router.get("/menus", response_model=MenuDays, summary="这几天的菜单（能不能订、为什么）")
def list_menus(
    retiree_id: Id,
    db: SessionDep,
    clock: ClockDep,
    viewer: CurrentViewer,
    start: Day | None = None,
    days: int = Query(default=7, ge=1, le=14),
) -> MenuDays:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    data = views.menu_days(
        db,
        clock=clock,
        retiree=acting.retiree,
        start=start or local_today(clock),
        days=days,
    )
    return MenuDays(data=data, count=len(data))


@router.post(
    "/orders",
    response_model=MealOrderPublic,
    summary="订餐（没有份了自动排候补；同一个编号重发只算一次）",
)
def order(body: OrderIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> MealOrderPublic:
    acting = act_for(db, viewer, body.retiree_id, Permission.book)
    placed = service.place_order(
        db,
        clock=clock,
        retiree=acting.retiree,
        option_id=body.option_id,
        quantity=body.quantity,
        mode=body.mode.value,
        address=body.address,
        diet_notes=body.diet_notes,
        booked_by=acting.label,
        channel="小程序",
        idempotency_key=body.idempotency_key,
    )
    reply = views.order_public(db, placed, clock.now())
    db.commit()  # release the option's lock here, not after the reply is serialised
    return reply


@router.get("/orders", response_model=MealOrders, summary="我的订餐（应付多少、付了没有）")
def my_orders(retiree_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> MealOrders:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    data = service.orders_of(db, clock=clock, retiree=acting.retiree)
    return MealOrders(data=data, count=len(data))


@router.post(
    "/orders/{order_id}/cancel", response_model=MealOrderPublic, summary="取消订餐或退出候补"
)
def cancel(order_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer) -> MealOrderPublic:
    placed, booking = service.get_order(db, order_id)
    acting = act_for(db, viewer, booking.retiree_id, Permission.book, missing="没有找到这份订餐。")
    service.cancel_order(db, clock=clock, order=placed, by=acting.label)
    reply = views.order_public(db, placed, clock.now())
    db.commit()  # release the option's lock here, not after the reply is serialised
    return reply


@router.get("/standing-orders", response_model=StandingOrders, summary="长期订餐")
def list_standing(retiree_id: Id, db: SessionDep, viewer: CurrentViewer) -> StandingOrders:
    acting = act_for(db, viewer, retiree_id, Permission.view)
    data = [standing.to_public(r) for r in standing.list_for(db, acting.retiree)]
    return StandingOrders(data=data, count=len(data))


@router.post(
    "/standing-orders",
    response_model=StandingOrderPublic,
    summary="长期订餐（如每个工作日午餐；有菜单的日子自动订上）",
)
def create_standing(
    body: StandingOrderIn, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> StandingOrderPublic:
    acting = act_for(db, viewer, body.retiree_id, Permission.book)
    row = standing.create(db, clock=clock, retiree=acting.retiree, data=body, by=acting.label)
    reply = standing.to_public(row)
    db.commit()  # release the options' locks here, not after the reply is serialised
    return reply


@router.post(
    "/standing-orders/{standing_id}/stop",
    response_model=StandingOrderPublic,
    summary="停止长期订餐（已订上的不变）",
)
def stop_standing(
    standing_id: Id, db: SessionDep, clock: ClockDep, viewer: CurrentViewer
) -> StandingOrderPublic:
    row = standing.get(db, standing_id)
    acting = act_for(db, viewer, row.retiree_id, Permission.book, missing="没有找到这个长期订餐。")
    return standing.to_public(standing.stop(db, clock=clock, row=row, by=acting.label))
