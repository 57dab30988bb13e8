"""事项报告 figures for the monthly sheet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from backend.matters.models import Matter, Status


def sheet_figures(
    db: Session, *, unit_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """For the monthly sheet: matters reported and 审批 approved in [start, end), per unit."""
    in_units = col(Matter.unit_id).in_(unit_ids)
    out: dict[int, dict[str, int]] = {}
    reported = db.exec(
        select(Matter.unit_id, func.count())
        .where(in_units, col(Matter.submitted_at) >= start, col(Matter.submitted_at) < end)
        .group_by(col(Matter.unit_id))
    ).all()
    for unit_id, n in reported:
        out.setdefault(int(unit_id), {})["matters_reported"] = int(n)
    approved = db.exec(
        select(Matter.unit_id, func.count())
        .where(
            in_units,
            col(Matter.status) == Status.approved.value,
            col(Matter.decided_at) >= start,
            col(Matter.decided_at) < end,
        )
        .group_by(col(Matter.unit_id))
    ).all()
    for unit_id, n in approved:
        out.setdefault(int(unit_id), {})["matters_approved"] = int(n)
    return out


def monthly_figures(
    db: Session,
    *,
    unit_ids: list[int],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> dict[str, int]:
    """For matters of these units in [start, end):
    - reported: submitted in the period (every kind, 审批 and 报备);
    - approved: 审批 approved by the higher department in the period;
    - late: whose deadline fell in the period (up to `now`, when the period is not over) and
      was not met — still open then, or finished after it."""
    upto = min(end, now) if now is not None else end
    in_units = col(Matter.unit_id).in_(unit_ids)
    reported = db.exec(
        select(func.count())
        .select_from(Matter)
        .where(in_units, col(Matter.submitted_at) >= start, col(Matter.submitted_at) < end)
    ).one()
    approved = db.exec(
        select(func.count())
        .select_from(Matter)
        .where(
            in_units,
            col(Matter.status) == Status.approved.value,
            col(Matter.decided_at) >= start,
            col(Matter.decided_at) < end,
        )
    ).one()
    late = db.exec(
        select(func.count())
        .select_from(Matter)
        .where(
            in_units,
            col(Matter.due_at) >= start,
            col(Matter.due_at) < upto,
            or_(col(Matter.decided_at).is_(None), col(Matter.decided_at) > col(Matter.due_at)),
        )
    ).one()
    return {"reported": int(reported), "approved": int(approved), "late": int(late)}
