"""Staff API for meals: publish and change menus, orders per menu, kitchen counts, delivery
list, book for a retiree who phoned, mark paid, cancel with a reason. Every write is audited."""

from __future__ import annotations

from fastapi import Query
from fastapi.responses import Response

from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.models import Retiree
from backend.accounts.scope import get_scoped, staff_actor
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Day, Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response
from backend.meals import changes, export, kitchen, menus, service, views
from backend.meals.models import MealMenu
from backend.meals.schemas import (
    CancelIn,
    DeliveryList,
    KitchenSheet,
    Meal,
    MealOrderPublic,
    MenuIn,
    MenuPatch,
    OptionPatch,
    StaffMenu,
    StaffMenus,
    StaffOption,
    StaffOrderIn,
    StaffOrders,
)

router = APIRouter(prefix="/api/v1/staff/meals", tags=["工作人员：助餐"])


@router.post("/menus", response_model=StaffMenu, status_code=201, summary="发布菜单")
def publish(
    body: MenuIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> StaffMenu:
    menu = changes.publish(db, clock=clock, staff=me, scope=scope, data=body)
    return views.staff_menu(db, menu)


@router.get("/menus", response_model=StaffMenus, summary="一段日子的菜单")
def list_menus(
    db: SessionDep,
    clock: ClockDep,
    scope: StaffScope,
    start: Day | None = None,
    days: int = Query(default=7, ge=1, le=31),
) -> StaffMenus:
    data = views.staff_menus(db, scope=scope, start=start or local_today(clock), days=days)
    return StaffMenus(data=data, count=len(data))


@router.get("/menus/{menu_id}", response_model=StaffMenu, summary="一个菜单")
def get_menu(menu_id: Id, db: SessionDep, scope: StaffScope) -> StaffMenu:
    return views.staff_menu(db, get_scoped(db, MealMenu, menu_id, scope))


@router.patch("/menus/{menu_id}", response_model=StaffMenu, summary="改截止时间或说明（写原因）")
def patch_menu(
    menu_id: Id,
    body: MenuPatch,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffMenu:
    menu = get_scoped(db, MealMenu, menu_id, scope)
    changes.patch_menu(db, clock=clock, staff=me, menu=menu, data=body)
    return views.staff_menu(db, menu)


@router.post("/menus/{menu_id}/cancel", summary="取消这顿饭（告诉所有订了的人）")
def cancel_menu(
    menu_id: Id,
    body: CancelIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> dict[str, int]:
    menu = get_scoped(db, MealMenu, menu_id, scope)
    count = changes.cancel_menu(db, clock=clock, staff=me, menu=menu, reason=body.reason)
    return {"orders_cancelled": count}


@router.get("/menus/{menu_id}/orders", response_model=StaffOrders, summary="这顿饭的订单")
def menu_orders(menu_id: Id, db: SessionDep, scope: StaffScope) -> StaffOrders:
    data = kitchen.menu_orders(db, get_scoped(db, MealMenu, menu_id, scope))
    return StaffOrders(data=data, count=len(data))


@router.patch(
    "/options/{option_id}",
    response_model=StaffOption,
    summary="改套餐（菜品、价格、份数；有人订了要写原因）",
)
def patch_option(
    option_id: Id,
    body: OptionPatch,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> StaffOption:
    option, menu, bookable = menus.get_option_in_scope(db, option_id, scope)
    changes.patch_option(
        db, clock=clock, staff=me, option=option, menu=menu, bookable=bookable, data=body
    )
    return views.staff_option(db, option, bookable)


@router.post("/options/{option_id}/cancel", summary="取消一个套餐（告诉订了的人）")
def cancel_option(
    option_id: Id,
    body: CancelIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> dict[str, int]:
    option, menu, _ = menus.get_option_in_scope(db, option_id, scope)
    count = changes.cancel_option(
        db, clock=clock, staff=me, option=option, menu=menu, reason=body.reason
    )
    return {"orders_cancelled": count}


@router.get("/kitchen", response_model=KitchenSheet, summary="厨房统计（按套餐、菜品、要求、方式）")
def kitchen_sheet(
    db: SessionDep, clock: ClockDep, scope: StaffScope, date: Day, meal: Meal
) -> KitchenSheet:
    return kitchen.kitchen_sheet(db, clock=clock, scope=scope, day=date, meal=meal.value)


@router.get(
    "/kitchen.xlsx",
    summary="导出厨房统计和送餐名单",
    responses=XLSX_DOWNLOAD,
    response_class=Response,
)
def kitchen_export(
    db: SessionDep, clock: ClockDep, scope: StaffScope, date: Day, meal: Meal
) -> Response:
    sheet = kitchen.kitchen_sheet(db, clock=clock, scope=scope, day=date, meal=meal.value)
    route = kitchen.delivery_list(db, scope=scope, day=date, meal=meal.value)
    return xlsx_response(export.kitchen_xlsx(sheet, route), f"kitchen-{date.isoformat()}.xlsx")


@router.get("/delivery", response_model=DeliveryList, summary="送餐名单（按楼栋）")
def delivery(db: SessionDep, scope: StaffScope, date: Day, meal: Meal) -> DeliveryList:
    return kitchen.delivery_list(db, scope=scope, day=date, meal=meal.value)


@router.post(
    "/orders", response_model=MealOrderPublic, status_code=201, summary="代老同志订餐（电话、窗口）"
)
def order_for(
    body: StaffOrderIn, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> MealOrderPublic:
    retiree = get_scoped(db, Retiree, body.retiree_id, scope)
    placed = service.staff_place_order(db, clock=clock, staff=me, retiree=retiree, data=body)
    return views.order_public(db, placed, clock.now())


@router.post("/orders/{order_id}/paid", response_model=MealOrderPublic, summary="记为已付")
def mark_paid(
    order_id: Id, db: SessionDep, clock: ClockDep, me: CurrentStaff, scope: StaffScope
) -> MealOrderPublic:
    placed, booking = service.get_order_in_scope(db, order_id, scope)
    service.mark_paid(db, clock=clock, staff=me, order=placed, booking=booking)
    return views.order_public(db, placed, clock.now())


@router.post(
    "/orders/{order_id}/cancel", response_model=MealOrderPublic, summary="取消一份订餐（写原因）"
)
def cancel_order(
    order_id: Id,
    body: CancelIn,
    db: SessionDep,
    clock: ClockDep,
    me: CurrentStaff,
    scope: StaffScope,
) -> MealOrderPublic:
    placed, _ = service.get_order_in_scope(db, order_id, scope)
    service.cancel_order(
        db, clock=clock, order=placed, by=staff_actor(me).label, reason=body.reason, staff=me
    )
    return views.order_public(db, placed, clock.now())
