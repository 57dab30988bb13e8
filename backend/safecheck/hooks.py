"""报平安 hears of a death: the plan is turned off, so nobody is reminded or told again."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from backend.core import events
from backend.safecheck.models import SafecheckPlan


def on_retiree_deceased(*, db: Session, retiree: Any, **_: Any) -> None:
    plan = db.get(SafecheckPlan, retiree.id)
    if plan is not None and plan.enabled:
        plan.enabled = False
        plan.updated_by = "system:deceased"
        db.add(plan)


def install() -> None:
    events.subscribe(events.RETIREE_DECEASED, on_retiree_deceased)
