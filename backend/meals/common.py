"""Small shared pieces of the meals domain: money in fen, JSON lists, labels, default times."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from backend.bookings.enums import BookableKind, BookingStatus
from backend.core.clock import format_local

KIND = BookableKind.meal


class MenuStatus(StrEnum):
    open = "open"
    cancelled = "cancelled"


MAX_QUANTITY = 3
SERVE_TIME = {"午餐": time(11, 30), "晚餐": time(17, 30)}
DEFAULT_CUTOFF = {"午餐": time(9, 30), "晚餐": time(15, 0)}
STATUS_LABELS: dict[str, str] = {
    BookingStatus.confirmed: "已订",
    BookingStatus.waitlisted: "候补中",
    BookingStatus.cancelled: "已取消",
}
MEAL_ORDER = {"午餐": 0, "晚餐": 1}


def to_fen(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def to_money(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan(fen: int) -> str:
    return f"{to_money(fen)}元"


def amount_for(*, price_fen: int, subsidised_fen: int, quantity: int) -> int:
    """The retiree's own portion at the subsidised price, extra portions (for a spouse, a
    carer) at the full price."""
    return subsidised_fen + price_fen * (quantity - 1)


def load_list(text: str) -> list[str]:
    data = json.loads(text or "[]")
    return [str(v) for v in data] if isinstance(data, list) else []


def dump_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def day_label(day: date, meal: str) -> str:
    return f"{day.month}月{day.day}日{meal}"


def clock_label(value: datetime) -> str:
    return format_local(value, "%m月%d日 %H:%M")
