"""Visits still to make for a retiree: open tasks and follow-ups."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from backend.core import open_items
from backend.visits.models import VisitFollowUp, VisitTask


def listed(db: Session, retiree_id: int, _now: datetime) -> list[str]:
    tasks = db.exec(
        select(VisitTask.id)
        .where(VisitTask.retiree_id == retiree_id, VisitTask.status == "open")
        .order_by(col(VisitTask.id))
    ).all()
    follow_ups = db.exec(
        select(VisitFollowUp.id)
        .where(VisitFollowUp.retiree_id == retiree_id, VisitFollowUp.status == "open")
        .order_by(col(VisitFollowUp.id))
    ).all()
    return [f"走访任务 {i}" for i in tasks] + [f"走访跟进 {i}" for i in follow_ups]


def install() -> None:
    open_items.register("visits", tables=("visit_task", "visit_follow_up"), open_items=listed)
