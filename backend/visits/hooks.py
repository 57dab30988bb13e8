"""What the visits domain does when accounts announce a retiree has died: their open visit
tasks and follow-ups are closed (nobody is sent to visit), the assignment stays as history."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from backend.accounts.models import Retiree
from backend.core import events
from backend.core.clock import Clock
from backend.visits.models import VisitFollowUp, VisitTask

DECEASED_NOTE = "老同志已去世"


def on_retiree_deceased(*, db: Session, retiree: Retiree, clock: Clock, **_: Any) -> None:
    now = clock.now()
    for task in db.exec(
        select(VisitTask).where(VisitTask.retiree_id == retiree.id, VisitTask.status == "open")
    ):
        task.status = "done"
        task.closed_at = now
    for row in db.exec(
        select(VisitFollowUp).where(
            VisitFollowUp.retiree_id == retiree.id, VisitFollowUp.status == "open"
        )
    ):
        row.status = "closed"
        row.close_note = DECEASED_NOTE
        row.closed_at = now


def install() -> None:
    from backend.visits import open_items

    open_items.install()
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
