"""Demo meals: a week of lunch and dinner menus (no two days alike) at the demo 军休所, orders and
one standing order ("every weekday lunch") for the retiree on WeChat."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.actors import Actor
from backend.core.clock import Clock, local_today
from backend.core.errors import AppError
from backend.meals import changes, menus, service, standing
from backend.meals.schemas import DietTag, Meal, MenuIn, Mode, OptionIn, StandingOrderIn

# A week that does not repeat: lunch has a fish or meat set, a soft set, a vegetarian set;
# dinner is light. Prices in 元: full price, then what the retiree pays after the subsidy.
_LUNCH_MAINS = [
    (["清蒸鲈鱼", "西兰花", "米饭", "紫菜蛋花汤"], ["红烧冬瓜", "肉末豆腐", "软米饭"]),
    (["土豆炖牛肉", "醋溜白菜", "米饭", "西红柿汤"], ["肉末茄子", "蒸蛋羹", "软米饭"]),
    (["红烧带鱼", "蒜蓉油麦菜", "米饭", "冬瓜汤"], ["鸡蛋羹", "炖豆腐", "软米饭"]),
    (["黄焖鸡", "清炒菜心", "二米饭", "白菜豆腐汤"], ["鱼丸冬瓜", "烂糊白菜", "软米饭"]),
    (["猪肉白菜饺子", "拌黄瓜", "饺子汤"], ["肉末粥", "蒸南瓜", "小花卷"]),
    (["番茄炖牛腩", "炒西葫芦", "米饭", "萝卜汤"], ["清蒸鸡蛋", "炖冬瓜", "软米饭"]),
    (["炖排骨", "木耳炒山药", "米饭", "海带汤"], ["虾仁豆腐", "菠菜泥", "软米饭"]),
]
_VEGETARIAN = [
    ["香菇油菜", "番茄炒蛋", "杂粮饭"],
    ["麻婆豆腐（不辣）", "炒土豆丝", "米饭"],
    ["地三鲜", "炒豆芽", "杂粮饭"],
    ["素烧茄子", "家常豆腐", "米饭"],
    ["韭菜鸡蛋饺子", "拌菠菜"],
    ["素炒三丝", "蒸南瓜", "杂粮饭"],
    ["腐竹青菜", "素炒木须", "米饭"],
]
_DINNER = [
    (["小米粥", "花卷", "拌黄瓜"], ["清炖牛肉", "白菜粉丝", "米饭"]),
    (["南瓜粥", "馒头", "炒青菜"], ["羊肉萝卜汤", "烧饼"]),
    (["绿豆粥", "葱油饼", "拌豆腐"], ["清炖牛肉面"]),
    (["八宝粥", "豆沙包", "炒西葫芦"], ["牛肉炖土豆", "米饭"]),
    (["鸡蛋面条", "拌菠菜"], ["羊肉汤", "烧饼"]),
    (["小米粥", "肉包子", "拌海带丝"], ["清真牛肉包子", "小米粥"]),
    (["山药粥", "发糕", "炒白菜"], ["牛肉丸子汤", "馒头"]),
]

# name, dishes, diet tags, price, subsidised price
MenuRow = tuple[str, list[str], list[DietTag], str, str]


def _lunch(day: date) -> list[MenuRow]:
    main, soft = _LUNCH_MAINS[day.weekday()]
    return [
        ("套餐A", main, [DietTag.low_salt], "18", "9"),
        ("软烂套餐", soft, [DietTag.soft], "15", "7.5"),
        ("素食", _VEGETARIAN[day.weekday()], [DietTag.vegetarian], "12", "6"),
    ]


def _dinner(day: date) -> list[MenuRow]:
    light, halal = _DINNER[day.weekday()]
    return [
        ("清淡晚餐", light, [DietTag.low_sugar], "10", "5"),
        ("清真", halal, [DietTag.halal], "16", "8"),
    ]


def _menu(day: date, meal: Meal, rows: list[MenuRow], unit: Unit) -> MenuIn:
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
    days: int = 8,
) -> int:
    """Returns how many menus were published: today and the next seven days (today's lunch is
    skipped once its cutoff has passed), so there is always a full week ahead."""
    today = local_today(clock)
    published = 0
    for offset in range(days):
        day = today + timedelta(days=offset)
        for meal, rows in ((Meal.lunch, _lunch(day)), (Meal.dinner, _dinner(day))):
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
            by=Actor.self_().label,
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
                        booked_by=Actor.self_().label,
                        channel="小程序",
                        idempotency_key=None,
                    )
            except AppError:
                continue
    return published
