"""A retiree's death ends their matters: nothing waits for a decision, and a stay abroad asks
for no more quarterly reports or a return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from backend.core import events, open_items
from backend.core.clock import Clock
from backend.matters import service
from backend.matters.models import DONE_OK, OPEN, Kind, Matter

BY = "系统（老同志去世）"


def _still_running(db: Session, retiree_id: int) -> list[Matter]:
    rows = db.exec(
        select(Matter).where(Matter.retiree_id == retiree_id).order_by(col(Matter.id))
    ).all()
    return [
        m
        for m in rows
        if m.status in OPEN
        or (m.kind == Kind.travel and m.status in DONE_OK and m.returned_on is None)
    ]


def on_retiree_deceased(*, db: Session, retiree: Any, clock: Clock, **_: Any) -> None:
    for matter in _still_running(db, retiree.id):
        service.end_on_death(db, clock=clock, matter=matter, by=BY)


def listed(db: Session, retiree_id: int, _now: datetime) -> list[str]:
    return [f"事项 {m.id}（{m.kind}）" for m in _still_running(db, retiree_id)]


def on_death_revoked(*, db: Session, retiree: Any, not_restored: list[str], **_: Any) -> None:
    ended = db.exec(
        select(Matter.id).where(Matter.retiree_id == retiree.id, Matter.status == "ended")
    ).all()
    if ended:
        not_restored.append("事项报告已结束，需要的话请重新报告")


def install() -> None:
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
    open_items.register("matters", tables=("matter",), open_items=listed)
