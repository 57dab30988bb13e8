"""Figures of the accounts domain for the monthly sheet: retirees on the roll (在册) per unit."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from backend.accounts.enums import RetireeStatus
from backend.accounts.models import Retiree
from backend.core.figures import Figures, fold


def on_roll(db: Session, unit_ids: list[int]) -> Figures:
    """{unit id: {"retirees": 在册 retirees now}} in one query (the roll has no history)."""
    if not unit_ids:
        return {}
    rows = db.execute(
        select(Retiree.unit_id, func.count())
        .where(col(Retiree.unit_id).in_(unit_ids), Retiree.status == RetireeStatus.active)
        .group_by(col(Retiree.unit_id))
    ).all()
    return fold(rows, ["retirees"])


def monthly_figures(
    db: Session,
    *,
    unit_ids: list[int],
    start: datetime,  # noqa: ARG001 - the roll is read as it stands today
    end: datetime,  # noqa: ARG001
) -> Figures:
    return on_roll(db, unit_ids)
