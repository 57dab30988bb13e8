"""Console pages for meals (助餐): the week's menus and publishing, one menu's orders (book by
phone, mark paid, cancel with a reason, portions), the kitchen counts and delivery list."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from backend.accounts import units
from backend.accounts.models import Retiree
from backend.accounts.scope import get_scoped, staff_actor
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    PickedRetiree,
    attempt,
    blank_to_none,
    day_or,
    form_errors,
    form_once,
    once_for,
    outcome,
    redirect,
    whole_number,
)
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Text
from backend.meals import changes, export, kitchen, menus, service, views
from backend.meals.models import MealMenu
from backend.meals.schemas import (
    CancelIn,
    DietTag,
    Meal,
    MenuIn,
    Mode,
    OptionIn,
    OptionPatch,
    StaffOrderIn,
)

router = APIRouter(prefix="/meals")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTION_ROWS = 3
_SPLIT = re.compile(r"[、，,；;\s]+")


def _week_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    errors: list[str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    scope = scope_of(request)
    today = local_today(clock)
    start = day_or(request.query_params.get("start"), today)
    return page(
        request,
        "meals.html",
        {
            "nav": "meals",
            "rows": views.staff_menus(db, scope=scope, start=start, days=7),
            "start": start,
            "prev": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "units": units.subtree(db, scope),
            "meals": [m.value for m in Meal],
            "tags": [t.value for t in DietTag],
            "option_rows": range(1, OPTION_ROWS + 1),
            "errors": errors or [],
            "v": values or {"date": (today + timedelta(days=1)).isoformat()},
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def week(request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff) -> HTMLResponse:
    return _week_page(request, db, clock)


@router.post("", response_class=HTMLResponse)
async def publish(request: Request, db: SessionDep, clock: ClockDep, me: ConsoleStaff) -> Response:
    form = await request.form()
    token = str(form.get("form_token", ""))
    act = functools.partial(_publish, request, db, clock, me, form)
    return await run_in_threadpool(once_for, request, db, me.id, token, act)


def _options_from(form: Any) -> list[OptionIn]:
    result = []
    for i in range(1, OPTION_ROWS + 1):
        name = str(form.get(f"name_{i}", "")).strip()
        if not name:
            continue
        try:
            price = Decimal(str(form.get(f"price_{i}", "")).strip() or "x")
            subsidised = Decimal(str(form.get(f"subsidised_{i}", "")).strip() or str(price))
        except InvalidOperation as exc:
            raise ValueError(f"“{name}”的价格请填数字，如 12 或 8.5。") from exc
        portions = str(form.get(f"portions_{i}", "")).strip()
        result.append(
            OptionIn.model_validate(
                {
                    "name": name,
                    "dishes": [d for d in _SPLIT.split(str(form.get(f"dishes_{i}", ""))) if d],
                    "tags": [str(t) for t in form.getlist(f"tags_{i}")],
                    "price": price,
                    "subsidised_price": subsidised,
                    "portions": int(portions) if portions.isdigit() else 0,
                }
            )
        )
    if not result:
        raise ValueError("请至少填一个套餐（名称、菜品、价格、份数）。")
    return result


def _publish(request: Request, db: SessionDep, clock: ClockDep, me: Any, form: Any) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    try:
        cutoff = values.get("cutoff_at", "").strip()
        data = MenuIn.model_validate(
            {
                "date": values.get("date", ""),
                "meal": values.get("meal", ""),
                "options": _options_from(form),
                "cutoff_at": datetime.fromisoformat(cutoff) if cutoff else None,
                "note": blank_to_none(values.get("note")),
                "unit_id": int(values["unit_id"]) if values.get("unit_id", "").isdigit() else None,
            }
        )
    except ValidationError as exc:
        errors = form_errors(exc)
        return _week_page(request, db, clock, errors, values, 422)
    except ValueError as exc:
        return _week_page(request, db, clock, [str(exc)], values, 422)
    scope = scope_of(request)
    menu, error = attempt(
        db, lambda: changes.publish(db, clock=clock, staff=me, scope=scope, data=data)
    )
    if error is not None or menu is None:
        message = error.message if error else "没有发布成功"
        return _week_page(request, db, clock, [message], values, 400)
    return redirect(f"/console/meals/menus/{menu.id}", "菜单已发布，老同志在小程序里就能订了。")


@router.get("/menus/{menu_id}", response_class=HTMLResponse)
def menu_detail(
    request: Request, menu_id: int, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    menu = get_scoped(db, MealMenu, menu_id, scope_of(request))
    return page(
        request,
        "meals_menu.html",
        {
            "nav": "meals",
            "m": views.staff_menu(db, menu),
            "rows": kitchen.menu_orders(db, menu),
            "closed": menus.is_closed(menu, clock.now()),
            "modes": [m.value for m in Mode],
        },
    )


class CancelForm(CancelIn):
    """A blank reason reaches the service, which says what to write (same rule as the API)."""

    reason: Text = Field(title="原因", default="", max_length=200)


class PortionsForm(OptionPatch):
    portions: Annotated[int, whole_number("份数请填一个大于0的数字。")] = Field(
        title="份数", ge=1, le=10000
    )


class OrderForm(PickedRetiree, StaffOrderIn):
    pass


def _menu_url(menu_id: int) -> str:
    return f"/console/meals/menus/{menu_id}"


@router.post("/menus/{menu_id}/cancel")
def cancel_menu(
    request: Request,
    menu_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CancelForm, Form()],
) -> Response:
    menu = get_scoped(db, MealMenu, menu_id, scope_of(request))
    count, error = attempt(
        db, lambda: changes.cancel_menu(db, clock=clock, staff=me, menu=menu, reason=form.reason)
    )
    return outcome(_menu_url(menu_id), error, f"这顿饭已取消，已通知 {count} 位老同志。")


@router.post("/options/{option_id}/portions")
def portions(
    request: Request,
    option_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[PortionsForm, Form()],
) -> Response:
    option, menu, bookable = menus.get_option_in_scope(db, option_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: changes.patch_option(
            db, clock=clock, staff=me, option=option, menu=menu, bookable=bookable, data=form
        ),
    )
    return outcome(_menu_url(menu.id or 0), error, "份数已调整，候补的人按顺序补上了。")


@router.post("/options/{option_id}/cancel")
def cancel_option(
    request: Request,
    option_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CancelForm, Form()],
) -> Response:
    option, menu, _ = menus.get_option_in_scope(db, option_id, scope_of(request))
    count, error = attempt(
        db,
        lambda: changes.cancel_option(
            db, clock=clock, staff=me, option=option, menu=menu, reason=form.reason
        ),
    )
    done = f"套餐已取消，已通知 {count} 位老同志。"
    return outcome(_menu_url(menu.id or 0), error, done)


@router.post("/menus/{menu_id}/orders")
@form_once
def order_by_phone(
    request: Request,
    menu_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[OrderForm, Form()],
) -> Response:
    scope = scope_of(request)
    get_scoped(db, MealMenu, menu_id, scope)

    def work() -> Any:
        retiree = get_scoped(db, Retiree, form.retiree_id, scope)
        return service.staff_place_order(db, clock=clock, staff=me, retiree=retiree, data=form)

    placed, error = attempt(db, work)
    if error is not None or placed is None:
        return outcome(_menu_url(menu_id), error, "没有订上")
    booking_status = service.order_public(db, placed, clock.now()).status
    text = "已订上。" if booking_status == "confirmed" else "份数已满，已排候补。"
    return redirect(_menu_url(menu_id), text)


def _order_back(db: SessionDep, order_id: int) -> str:
    from backend.meals.models import MealOption, MealOrder

    order = db.get(MealOrder, order_id)
    option = db.get(MealOption, order.option_id) if order else None
    return _menu_url(option.menu_id) if option else "/console/meals"


@router.post("/orders/{order_id}/paid")
def mark_paid(
    request: Request,
    order_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
) -> Response:
    order, booking = service.get_order_in_scope(db, order_id, scope_of(request))
    _, error = attempt(
        db, lambda: service.mark_paid(db, clock=clock, staff=me, order=order, booking=booking)
    )
    return outcome(_order_back(db, order_id), error, "已记为已付。")


@router.post("/orders/{order_id}/cancel")
def cancel_order(
    request: Request,
    order_id: int,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[CancelForm, Form()],
) -> Response:
    order, _ = service.get_order_in_scope(db, order_id, scope_of(request))
    _, error = attempt(
        db,
        lambda: service.cancel_order(
            db, clock=clock, order=order, by=staff_actor(me).label, reason=form.reason, staff=me
        ),
    )
    return outcome(_order_back(db, order_id), error, "已取消，已告诉老同志。")


@router.get("/kitchen", response_class=HTMLResponse)
def kitchen_page(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff
) -> HTMLResponse:
    scope = scope_of(request)
    day = day_or(request.query_params.get("date"), local_today(clock))
    meal = request.query_params.get("meal", "午餐")
    meal = meal if meal in ("午餐", "晚餐") else "午餐"
    return page(
        request,
        "meals_kitchen.html",
        {
            "nav": "meals",
            "sheet": kitchen.kitchen_sheet(db, clock=clock, scope=scope, day=day, meal=meal),
            "route": kitchen.delivery_list(db, scope=scope, day=day, meal=meal),
            "meals": [m.value for m in Meal],
        },
    )


@router.get("/kitchen.xlsx")
def kitchen_xlsx(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    date: str = "",
    meal: str = "",
) -> Response:
    scope = scope_of(request)
    day = day_or(date, local_today(clock))
    meal = meal if meal in ("午餐", "晚餐") else "午餐"
    sheet = kitchen.kitchen_sheet(db, clock=clock, scope=scope, day=day, meal=meal)
    route = kitchen.delivery_list(db, scope=scope, day=day, meal=meal)
    return Response(
        export.kitchen_xlsx(sheet, route),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="kitchen-{day.isoformat()}.xlsx"'},
    )
