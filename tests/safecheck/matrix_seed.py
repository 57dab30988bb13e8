"""What the access matrix needs for 报平安, on retiree A's side: the plan on (at 09:00, the
tests' clock is 10:00) and a trip away next week."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from backend.core.actors import Actor
from backend.core.clock import FrozenClock
from backend.safecheck import pauses, service
from backend.safecheck.schemas import PauseKind, PauseSettings, PlanSettings

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the tests' clock


def seed_safecheck(db: Session, *, retiree_id: int) -> dict[str, int]:
    clock = FrozenClock(START)
    me = Actor.self_()
    service.save_plan(
        db, clock=clock, retiree_id=retiree_id, data=PlanSettings(due_time="09:00"), actor=me
    )
    away = PauseSettings(kind=PauseKind.away, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 12))
    pause = pauses.add(db, clock=clock, retiree_id=retiree_id, data=away, actor=me)
    return {"pause_id": pause.id or 0}
