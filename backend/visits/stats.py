"""Figures of the visits domain for the monthly sheet, per unit, for [start, end): visits
recorded, and how many of them were at home (上门). One GROUP BY query."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from backend.core.figures import Figures, fold
from backend.visits.models import VisitRecord


def monthly_figures(db: Session, *, unit_ids: list[int], start: datetime, end: datetime) -> Figures:
    if not unit_ids:
        return {}
    rows = db.execute(
        select(
            VisitRecord.unit_id,
            func.count(),
            func.sum(case((col(VisitRecord.kind) == "上门", 1), else_=0)),
        )
        .where(
            col(VisitRecord.unit_id).in_(unit_ids),
            col(VisitRecord.visited_at) >= start,
            col(VisitRecord.visited_at) < end,
        )
        .group_by(col(VisitRecord.unit_id))
    ).all()
    return fold(rows, ["visits", "home_visits"])
