"""Bookings a retiree still holds on things not over yet (activities, terms, meals, ride seats)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.bookings import queries
from backend.core import open_items


def listed(db: Session, retiree_id: int, now: datetime) -> list[str]:
    return [
        f"预约 {b.id}（{b.status}）"
        for b in queries.open_for_retiree(db, retiree_id, starting_after=now)
    ]


def install() -> None:
    open_items.register("bookings", tables=("booking",), open_items=listed)
