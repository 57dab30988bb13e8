"""Console pages for meals (助餐): the week's menus and publishing, one menu's orders (book by
phone, mark paid, cancel with a reason, portions), the kitchen counts and delivery list."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError, model_validator

from backend.accounts import units
from backend.accounts.models import Retiree
from backend.accounts.scope import get_scoped, staff_actor
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import (
    FilterDay,
    PickedRetiree,
    attempt,
    blank_to_none,
    form_errors,
    form_once,
    outcome,
    redirect,
    whole_number,
)
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Text, nfkc
from backend.core.xlsx import xlsx_response
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

router = page_router("/meals")
OPTION_ROWS = 3
_SPLIT = re.compile(r"[、，,；;\s]+")


def _week_page(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    errors: list[str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
    start: date | None = None,
) -> HTMLResponse:
    scope = scope_of(request)
    today = local_today(clock)
    start = start or today
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
def week(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleStaff, start: FilterDay = None
) -> HTMLResponse:
    return _week_page(request, db, clock, start=start)


class OptionRow(BaseModel):
    """One option row of the publish form (name_1, dishes_1, tags_1 …), as typed."""

    name: str = ""
    dishes: str = ""
    tags: list[str] = []
    price: str = ""
    subsidised: str = ""
    portions: str = ""

    def to_input(self) -> OptionIn:
        name = self.name.strip()
        try:
            price = Decimal(nfkc(self.price) or "x")
            subsidised = Decimal(nfkc(self.subsidised) or str(price))
        except InvalidOperation as exc:
            raise ValueError(f"“{name}”的价格请填数字，如 12 或 8.5。") from exc
        return OptionIn.model_validate(
            {
                "name": name,
                "dishes": [d for d in _SPLIT.split(self.dishes) if d],
                "tags": self.tags,
                "price": price,
                "subsidised_price": subsidised,
                "portions": nfkc(self.portions) or 0,
            }
        )


class MenuForm(BaseModel):
    """The publish form as the browser sends it: the menu's boxes, then OPTION_ROWS option rows
    whose boxes are numbered (name_1, price_1, tags_1 …), gathered into `rows`. Boxes stay text
    here, so a wrong one is said by MenuIn / OptionIn on the re-rendered form."""

    date: str = ""
    meal: str = ""
    cutoff_at: str = ""
    note: str = ""
    unit_id: str = ""
    rows: list[OptionRow] = []

    @model_validator(mode="before")
    @classmethod
    def _rows(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        rows = []
        for i in range(1, OPTION_ROWS + 1):
            row = {k: _first(data.get(f"{k}_{i}")) for k in _ROW_BOXES}
            tags = data.get(f"tags_{i}")
            row["tags"] = tags if isinstance(tags, list) else [tags] if tags else []
            rows.append({k: v for k, v in row.items() if v is not None})
        return {**data, "rows": rows}

    def values(self) -> dict[str, Any]:
        """What the form shows again after a refusal (the rows' boxes by their numbered names)."""
        shown: dict[str, Any] = self.model_dump(exclude={"rows"})
        for i, row in enumerate(self.rows, start=1):
            shown.update({f"{k}_{i}": getattr(row, k) for k in _ROW_BOXES})
        return shown

    def to_input(self) -> MenuIn:
        options = [row.to_input() for row in self.rows if row.name.strip()]
        if not options:
            raise ValueError("请至少填一个套餐（名称、菜品、价格、份数）。")
        return MenuIn.model_validate(
            {
                "date": self.date,
                "meal": self.meal,
                "options": options,
                "cutoff_at": self.cutoff_at or None,
                "note": blank_to_none(self.note),
                "unit_id": self.unit_id or None,
            }
        )


_ROW_BOXES = ("name", "dishes", "price", "subsidised", "portions")


def _first(value: Any) -> Any:
    """A box sent twice counts once (the first), as a browser's form would."""
    return value[0] if isinstance(value, list) else value


@router.post("", response_class=HTMLResponse)
@form_once
def publish(
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleStaff,
    form: Annotated[MenuForm, Form()],
) -> Response:
    try:
        data = form.to_input()
    except ValidationError as exc:
        return _week_page(request, db, clock, form_errors(exc), form.values(), 422)
    except ValueError as exc:
        return _week_page(request, db, clock, [str(exc)], form.values(), 422)
    scope = scope_of(request)
    menu, error = attempt(
        db, lambda: changes.publish(db, clock=clock, staff=me, scope=scope, data=data)
    )
    if error is not None or menu is None:
        message = error.message if error else "没有发布成功"
        return _week_page(request, db, clock, [message], form.values(), 400)
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
    booking_status = views.order_public(db, placed, clock.now()).status
    text = "已订上。" if booking_status == "confirmed" else "份数已满，已排候补。"
    return redirect(_menu_url(menu_id), text)


def _order_back(db: SessionDep, order_id: int) -> str:
    menu_id = service.menu_of_order(db, order_id)
    return _menu_url(menu_id) if menu_id is not None else "/console/meals"


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
    request: Request,
    db: SessionDep,
    clock: ClockDep,
    _: ConsoleStaff,
    date: FilterDay = None,
    meal: str = "午餐",
) -> HTMLResponse:
    scope = scope_of(request)
    day = date or local_today(clock)
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
    date: FilterDay = None,
    meal: str = "",
) -> Response:
    scope = scope_of(request)
    day = date or local_today(clock)
    meal = meal if meal in ("午餐", "晚餐") else "午餐"
    sheet = kitchen.kitchen_sheet(db, clock=clock, scope=scope, day=day, meal=meal)
    route = kitchen.delivery_list(db, scope=scope, day=day, meal=meal)
    return xlsx_response(export.kitchen_xlsx(sheet, route), f"kitchen-{day.isoformat()}.xlsx")
