"""API shapes for meals. Money goes out as a decimal string ("12.50") and comes in as a
number or string with at most two decimals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator, model_validator

from backend.bookings.status import StatusShape
from backend.core.inputs import Day, Id, Line, Moment, Text


class Meal(StrEnum):
    lunch = "午餐"
    dinner = "晚餐"


class Mode(StrEnum):
    dine_in = "堂食"
    pickup = "自取"
    delivery = "送餐"


class DietTag(StrEnum):
    low_salt = "低盐"
    low_sugar = "低糖"
    soft = "软烂"
    halal = "清真"
    vegetarian = "素食"


Money = Decimal


def _check_money(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if value < 0 or value > Decimal("10000"):
        raise ValueError("价格请填0到10000之间的数")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("价格最多填到分（两位小数）")
    return value


class OptionIn(BaseModel):
    name: Line = Field(title="套餐名称", min_length=1, max_length=40)
    dishes: list[Line] = Field(title="菜品", min_length=1, max_length=12)
    tags: list[DietTag] = Field(title="饮食标签", default_factory=list)
    price: Decimal = Field(title="价格")
    subsidised_price: Decimal = Field(title="补贴后价格")
    portions: int = Field(title="份数", ge=1, le=10000)

    _money = field_validator("price", "subsidised_price")(_check_money)

    @field_validator("dishes")
    @classmethod
    def _dishes(cls, value: list[str]) -> list[str]:
        cleaned = [d.strip() for d in value if d.strip()]
        if not cleaned or any(len(d) > 30 for d in cleaned):
            raise ValueError("请填菜名，每个菜名不超过30个字")
        return cleaned

    @model_validator(mode="after")
    def _prices(self) -> OptionIn:
        if self.subsidised_price > self.price:
            raise ValueError("补贴后价格不能高于原价")
        return self


class MenuIn(BaseModel):
    date: Day = Field(title="日期")
    meal: Meal = Field(title="餐次")
    options: list[OptionIn] = Field(title="套餐", min_length=1, max_length=6)
    cutoff_at: Moment | None = Field(
        title="订餐截止时间", default=None, description="空：午餐当天09:30，晚餐15:00"
    )
    note: Text | None = Field(title="说明", default=None, max_length=200)
    unit_id: Id | None = Field(title="单位", default=None, description="空：本单位")


class MenuPatch(BaseModel):
    cutoff_at: Moment | None = Field(default=None, title="订餐截止时间")
    note: Text | None = Field(title="说明", default=None, max_length=200)
    reason: Text | None = Field(title="改动原因", default=None, max_length=200)


class OptionPatch(BaseModel):
    name: Line | None = Field(title="套餐名称", default=None, min_length=1, max_length=40)
    dishes: list[Line] | None = Field(title="菜品", default=None, min_length=1, max_length=12)
    tags: list[DietTag] | None = Field(default=None, title="饮食标签")
    price: Decimal | None = Field(default=None, title="价格")
    subsidised_price: Decimal | None = Field(default=None, title="补贴后价格")
    portions: int | None = Field(title="份数", default=None, ge=1, le=10000)
    reason: Text | None = Field(title="改动原因", default=None, max_length=200)

    _money = field_validator("price", "subsidised_price")(_check_money)


class CancelIn(BaseModel):
    reason: Text = Field(title="原因", min_length=1, max_length=200)


class OrderIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    option_id: Id = Field(title="套餐")
    quantity: int = Field(title="份数", default=1, ge=1, le=5)
    mode: Mode = Field(default=Mode.dine_in, title="用餐方式")
    address: Line | None = Field(title="送餐地址", default=None, max_length=200)
    diet_notes: Text | None = Field(title="饮食要求", default=None, max_length=200)
    idempotency_key: Line | None = Field(
        title="提交编号", default=None, min_length=8, max_length=64
    )


class StaffOrderIn(OrderIn):
    channel: Line = Field(title="订餐方式", default="电话", pattern="^(电话|窗口)$")


class StandingOrderIn(BaseModel):
    retiree_id: Id = Field(title="老同志")
    meal: Meal = Field(title="餐次")
    weekdays: list[int] = Field(title="每周哪几天", min_length=1, max_length=7)
    mode: Mode = Field(default=Mode.dine_in, title="用餐方式")
    quantity: int = Field(title="份数", default=1, ge=1, le=5)
    diet_notes: Text | None = Field(title="饮食要求", default=None, max_length=200)
    address: Line | None = Field(title="送餐地址", default=None, max_length=200)
    tag: DietTag | None = Field(default=None, title="饮食标签")

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if any(d < 1 or d > 7 for d in value):
            raise ValueError("星期请填1到7（1是星期一）")
        return sorted(set(value))


class OptionPublic(BaseModel):
    id: int
    name: str
    dishes: list[str]
    tags: list[str]
    price: Decimal
    subsidised_price: Decimal
    portions_left: int
    my_order_id: int | None = None


class MenuDay(BaseModel):
    date: date
    meal: str
    cutoff_at: datetime
    can_book: bool
    why_not: str | None
    options: list[OptionPublic]


class MenuDays(BaseModel):
    data: list[MenuDay]
    count: int


class MealOrderPublic(StatusShape):
    """status_code / status_label: the shape every booking consumer shares."""

    id: int
    option_id: int
    date: date
    meal: str
    name: str
    dishes: list[str]
    quantity: int
    mode: str
    address: str | None
    diet_notes: str | None
    status: str  # the code again, kept for mini-program versions still in use
    waitlist_position: int | None
    amount_due: Decimal
    paid: bool
    cutoff_at: datetime
    can_cancel: bool


class MealOrders(BaseModel):
    data: list[MealOrderPublic]
    count: int


class StandingOrderPublic(BaseModel):
    id: int
    meal: str
    weekdays: list[int]
    mode: str
    quantity: int
    diet_notes: str | None
    tag: str | None
    active: bool
    created_at: datetime


class StandingOrders(BaseModel):
    data: list[StandingOrderPublic]
    count: int


class StaffOption(BaseModel):
    id: int
    name: str
    dishes: list[str]
    tags: list[str]
    price: Decimal
    subsidised_price: Decimal
    portions: int
    booked: int
    portions_left: int
    waitlisted: int
    status: str


class StaffMenu(BaseModel):
    id: int
    unit_id: int
    unit_name: str
    date: date
    meal: str
    serve_at: datetime
    cutoff_at: datetime
    note: str | None
    status: str
    cancel_reason: str | None
    options: list[StaffOption]


class StaffMenus(BaseModel):
    data: list[StaffMenu]
    count: int


class StaffOrderRow(StatusShape):
    id: int
    booking_id: int
    retiree_id: int
    retiree_name: str
    unit_name: str
    phone: str | None
    option_id: int
    option_name: str
    quantity: int
    mode: str
    address: str | None
    diet_notes: str | None
    status: str  # the code again, kept for mini-program versions still in use
    waitlist_position: int | None
    amount_due: Decimal
    paid: bool
    channel: str
    standing: bool


class StaffOrders(BaseModel):
    data: list[StaffOrderRow]
    count: int


class Count(BaseModel):
    label: str
    portions: int


class KitchenMenu(BaseModel):
    menu_id: int
    unit_name: str
    cutoff_at: datetime
    closed: bool
    total: int
    by_option: list[Count]
    by_dish: list[Count]
    by_diet_note: list[Count]
    by_mode: list[Count]


class KitchenSheet(BaseModel):
    date: date
    meal: str
    menus: list[KitchenMenu]


class DeliveryStop(BaseModel):
    order_id: int
    retiree_name: str
    phone: str | None
    address: str
    option_name: str
    quantity: int
    diet_notes: str | None
    amount_due: Decimal
    paid: bool


class DeliveryGroup(BaseModel):
    building: str
    portions: int
    stops: list[DeliveryStop]


class DeliveryList(BaseModel):
    date: date
    meal: str
    groups: list[DeliveryGroup]
    count: int
