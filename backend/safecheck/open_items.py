"""报平安 still asked of a retiree every day."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from backend.core import open_items
from backend.safecheck.models import SafecheckPlan


def listed(db: Session, retiree_id: int, _now: datetime) -> list[str]:
    plan = db.get(SafecheckPlan, retiree_id)
    return ["每天报平安"] if plan is not None and plan.enabled else []


def install() -> None:
    open_items.register(
        "safecheck", tables=("safecheck_plan", "safecheck_pause"), open_items=listed
    )
