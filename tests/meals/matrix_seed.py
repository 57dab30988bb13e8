"""Meals records for the access matrix: retiree A has an order on Tuesday's lunch
({order_id} on {option_id} of {menu_id}) and a standing dinner order ({standing_id}); Tuesday's
dinner has an option nobody ordered yet (free_option_id). Everything belongs to 第一军休所."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.core.clock import FrozenClock
from backend.meals import menus, service, standing
from backend.meals.schemas import Meal, MenuIn, Mode, OptionIn, StandingOrderIn

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def _menu(meal: Meal) -> MenuIn:
    return MenuIn(
        date=date(2026, 3, 3),
        meal=meal,
        options=[
            OptionIn(
                name="套餐A",
                dishes=["米饭"],
                price=Decimal("10"),
                subsidised_price=Decimal("6"),
                portions=10,
            )
        ],
    )


def seed_meals(db: Session, *, retiree_id: int, staff_id: int, unit_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    staff = db.get(StaffAccount, staff_id)
    unit = db.get(Unit, unit_id)
    retiree = db.get(Retiree, retiree_id)
    assert staff is not None and unit is not None and retiree is not None
    lunch = menus.publish(db, clock=clock, staff=staff, scope=unit, data=_menu(Meal.lunch))
    dinner = menus.publish(db, clock=clock, staff=staff, scope=unit, data=_menu(Meal.dinner))
    option = menus.options_of(db, lunch.id or 0)[0][0]
    free = menus.options_of(db, dinner.id or 0)[0][0]
    placed = service.place_order(
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
    row = standing.create(
        db,
        clock=clock,
        retiree=retiree,
        data=StandingOrderIn(retiree_id=retiree_id, meal=Meal.dinner, weekdays=[1]),
        by="self",
    )
    db.flush()
    return {
        "menu_id": lunch.id or 0,
        "option_id": option.id or 0,
        "free_option_id": free.id or 0,
        "order_id": placed.id or 0,
        "standing_id": row.id or 0,
    }
