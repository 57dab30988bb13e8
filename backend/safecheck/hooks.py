"""报平安 hears of a death (the plan is turned off, so nobody is reminded or told again) and of a
hospital stay (the check pauses until discharge)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from backend.core import events
from backend.core.actors import Actor
from backend.safecheck import pauses
from backend.safecheck.models import SafecheckPlan


def on_retiree_deceased(*, db: Session, retiree: Any, **_: Any) -> None:
    plan = db.get(SafecheckPlan, retiree.id)
    if plan is not None and plan.enabled:
        plan.enabled = False
        plan.updated_by = "system:deceased"
        db.add(plan)


def on_hospital_admitted(*, db: Session, retiree: Any, clock: Any, on: Any, **_: Any) -> None:
    """A hospital stay reported (visits: 住院) pauses the daily check until discharge."""
    plan = db.get(SafecheckPlan, retiree.id)
    if plan is not None and plan.enabled:
        pauses.hospital_admitted(
            db, clock=clock, retiree_id=retiree.id, on=on, actor=Actor.system("visits.hospital")
        )


def on_death_revoked(*, db: Session, retiree: Any, restored: list[str], **_: Any) -> None:
    plan = db.get(SafecheckPlan, retiree.id)
    if plan is not None and not plan.enabled and plan.updated_by == "system:deceased":
        plan.enabled = True
        plan.updated_by = "system:death-revoked"
        db.add(plan)
        restored.append("每天报平安已恢复")


def install() -> None:
    from backend.safecheck import open_items

    open_items.install()
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
    events.subscribe(events.RETIREE_DEATH_REVOKED, on_death_revoked)
    events.subscribe(events.HOSPITAL_ADMITTED, on_hospital_admitted)
