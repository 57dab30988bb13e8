"""Demo meals: lunch and dinner menus for the coming days at the demo 军休所, a few orders and
one standing order ("every weekday lunch") for the retiree on WeChat."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import Clock, local_today
from backend.core.errors import AppError
from backend.meals import changes, menus, service, standing
from backend.meals.schemas import DietTag, Meal, MenuIn, Mode, OptionIn, StandingOrderIn

_LUNCH = [
    ("套餐A", ["清蒸鲈鱼", "西兰花", "米饭", "紫菜汤"], [DietTag.low_salt], "18", "9"),
    ("套餐B", ["肉末豆腐", "炒青菜", "软米饭"], [DietTag.soft], "15", "7.5"),
    ("素食", ["香菇油菜", "番茄炒蛋", "杂粮饭"], [DietTag.vegetarian], "12", "6"),
]
_DINNER = [
    ("套餐A", ["小米粥", "花卷", "拌黄瓜"], [DietTag.low_sugar], "10", "5"),
    ("清真", ["清炖牛肉", "白菜粉丝", "米饭"], [DietTag.halal], "16", "8"),
]


def _menu(day: date, meal: Meal, rows: list[tuple], unit: Unit) -> MenuIn:
    return MenuIn(
        date=day,
        meal=meal,
        unit_id=unit.id,
        options=[
            OptionIn(
                name=name,
                dishes=dishes,
                tags=tags,
                price=Decimal(price),
                subsidised_price=Decimal(subsidised),
                portions=30,
            )
            for name, dishes, tags, price, subsidised in rows
        ],
    )


def load(
    db: Session,
    *,
    clock: Clock,
    staff: StaffAccount,
    unit: Unit,
    retirees: list[Retiree],
    days: int = 5,
) -> int:
    """Returns how many menus were published. Days whose cutoff has passed are skipped."""
    today = local_today(clock)
    published = 0
    for offset in range(days):
        day = today + timedelta(days=offset)
        for meal, rows in ((Meal.lunch, _LUNCH), (Meal.dinner, _DINNER)):
            try:
                with db.begin_nested():
                    changes.publish(
                        db, clock=clock, staff=staff, scope=unit, data=_menu(day, meal, rows, unit)
                    )
                published += 1
            except AppError:
                continue
    if retirees:
        standing.create(
            db,
            clock=clock,
            retiree=retirees[0],
            data=StandingOrderIn(
                retiree_id=retirees[0].id or 0,
                meal=Meal.lunch,
                weekdays=[1, 2, 3, 4, 5],
                mode=Mode.delivery,
                diet_notes="少盐，饭要软一点",
            ),
            by="self",
        )
    for retiree in retirees[1:4]:
        upcoming = menus.menus_between(
            db, unit_ids=menus.home_ancestors(db, retiree), start=today, days=days, meal="午餐"
        )
        for menu in upcoming[1:2]:
            option = menus.options_of(db, menu.id or 0)[0][0]
            try:
                with db.begin_nested():
                    service.place_order(
                        db,
                        clock=clock,
                        retiree=retiree,
                        option_id=option.id or 0,
                        quantity=1,
                        mode=Mode.dine_in.value,
                        address=None,
                        diet_notes=None,
                        booked_by="self",
                        channel="小程序",
                        idempotency_key=None,
                    )
            except AppError:
                continue
    return published
