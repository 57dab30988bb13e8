"""失联 cases still open for a retiree (the yearly duty ends by eligibility: core/open_items)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.checkin.models import LostContactCase
from backend.core import open_items


def listed(db: Session, retiree_id: int, _now: datetime) -> list[str]:
    ids = db.exec(
        select(LostContactCase.id)
        .where(LostContactCase.retiree_id == retiree_id, LostContactCase.status == "open")
        .order_by(col(LostContactCase.id))
    ).all()
    return [f"失联案件 {i}" for i in ids]


def install() -> None:
    open_items.register("checkin", tables=("lost_contact_case",), open_items=listed)
